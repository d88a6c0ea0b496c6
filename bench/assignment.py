"""Time the exact jury assignment on 10,000 dossiers x 1,000 jurors x 3 jurors per dossier.

The instance is random but deterministic (numpy default_rng(42)): 8 themes of skewed sizes (so
the popular themes run out of experts and the optimum must choose who reviews off-theme), each
juror with one main expertise theme (affinity 1.0), up to two secondary ones (0.5) and 0.1
elsewhere; about 250 institutions (several jurors each: one per dossier when possible); 5 % of
the (dossier, juror) pairs in conflict; no hard load bound and every juror's target the fair
share, floor to ceil of 10,000 x 3 / 1,000 = exactly 30 dossiers (the app's default).

Prints one JSON line per figure:
- "assignment_10000x1000": seconds (whole solve, validation and diagnostics included, wall
  clock) and cpu_seconds (the process's CPU time: the budget's measure on a shared machine),
  objective, optimal (the solver's own certificate: pricing of every excluded pair with the
  flow's potentials, affinities on the exact grid), departures from the soft rules (shared
  institutions, loads off target), the lowest and highest load, greedy_objective and
  greedy_departures, peak_memory_mb (peak RSS of the process at that point), arcs of the last
  flow graph, candidate pairs, rounds (min-cost flows solved) and certified (pricing rounds
  settled by the potentials of the wider graph, without solving again);
- "assignment_uneven_10000x1000": the same with 50 jurors in conflict with all but about 20
  dossiers each, so the targets cannot all be met: the solver's second mode (loads priced by
  their convex penalty) and its departures;
- "assignment_check_1000x100": the same generator on a smaller instance (forced through the
  candidate/pricing path), its objective and the optimum of an independent solver, SciPy's
  HiGHS on the LP of the assignment with the targets and one juror per institution as hard
  constraints (integral: a network matrix; the lexicographic optimum when the solver reports
  no departure), and whether they agree.
Run: .venv/bin/python bench/assignment.py   (about fifteen seconds)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402

if not settings.configured:  # the causes of infeasibility are translated strings
    settings.configure(USE_I18N=False)

from jury.assignment import (  # noqa: E402
    AssignmentProblem,
    affinity_from_themes,
    greedy_assignment,
    solve_detailed,
)

THEMES = 8
THEME_SHARES = np.array([0.22, 0.18, 0.15, 0.12, 0.11, 0.09, 0.07, 0.06])


def make_instance(
    n_dossiers: int, n_jurors: int, seed: int = 42, *, cornered: int = 0
) -> AssignmentProblem:
    """The random instance; `cornered` jurors are in conflict with all but ~20 dossiers."""
    rng = np.random.default_rng(seed)
    groups = rng.choice(THEMES, size=n_dossiers, p=THEME_SHARES)
    # Main theme 1.0, two secondary themes at 0.4-0.8, 0.0-0.2 elsewhere: all on a 0.1 grid.
    table = rng.integers(0, 3, (n_jurors, THEMES)) / 10
    secondary = rng.integers(0, THEMES, (n_jurors, 2))
    table[np.arange(n_jurors)[:, None], secondary] = rng.integers(4, 9, (n_jurors, 2)) / 10
    table[np.arange(n_jurors), rng.integers(0, THEMES, n_jurors)] = 1.0
    in_conflict = rng.random((n_dossiers, n_jurors)) < 0.05
    in_conflict[:, :cornered] |= rng.random((n_dossiers, cornered)) < 1 - 20 / n_dossiers
    share = n_dossiers * 3 / n_jurors
    return AssignmentProblem(
        affinity=affinity_from_themes(table, groups),
        conflicts=np.argwhere(in_conflict),
        institutions=rng.integers(0, max(n_jurors // 4, 1), n_jurors),
        capacity_min=np.zeros(n_jurors, dtype=np.int64),
        capacity_max=np.full(n_jurors, n_dossiers),
        target_min=np.full(n_jurors, int(np.floor(share))),
        target_max=np.full(n_jurors, int(np.ceil(share))),
        per_dossier=3,
        dossier_groups=groups,
        group_labels=[f"Thème {t}" for t in range(THEMES)],
        juror_labels=[f"Juré {j}" for j in range(n_jurors)],
        dossier_labels=[f"LTI-2026-{d:05d}" for d in range(n_dossiers)],
    )


def highs_optimum(problem: AssignmentProblem) -> float:
    """The LP optimum by HiGHS (dual simplex), built independently of the flow code (pairs as
    variables), the targets and one juror per institution as hard constraints."""
    n_dossiers, n_jurors = problem.affinity.shape
    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    allowed[problem.conflicts[:, 0], problem.conflicts[:, 1]] = False
    dd, jj = np.nonzero(allowed)
    n = len(dd)
    columns = np.arange(n)
    _, inst = np.unique(problem.institutions, return_inverse=True)
    _, seat_row = np.unique(dd * (inst.max() + 1) + inst[jj], return_inverse=True)
    per_juror = sparse.csr_array((np.ones(n), (jj, columns)), shape=(n_jurors, n))
    per_seat = sparse.csr_array((np.ones(n), (seat_row, columns)), shape=(seat_row.max() + 1, n))
    result = linprog(
        -problem.affinity[dd, jj],
        A_ub=sparse.vstack([per_juror, -per_juror, per_seat]).tocsr(),
        b_ub=np.concatenate([problem.target_max, -problem.target_min, np.ones(per_seat.shape[0])]),
        A_eq=sparse.csr_array((np.ones(n), (dd, columns)), shape=(n_dossiers, n)),
        b_eq=np.full(n_dossiers, problem.per_dossier),
        bounds=(0, 1),
        method="highs-ds",
    )
    if not result.success:
        raise RuntimeError(result.message)
    return float(-result.fun)


def timed_line(name: str, problem: AssignmentProblem) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    result, stats = solve_detailed(problem)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = np.bincount(result.pairs[:, 1], minlength=problem.shape[1])
    greedy = greedy_assignment(problem)
    return {
        "name": name,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "objective": round(result.objective, 6),
        "optimal": result.optimal,
        "departures": len(result.departures),
        "loads": [int(load.min()), int(load.max())],
        "greedy_objective": round(greedy.objective, 6),
        "greedy_departures": len(greedy.departures),
        "peak_memory_mb": round(peak),
        "arcs": stats.arcs,
        "candidate_pairs": stats.candidate_pairs,
        "rounds": stats.rounds,
        "certified": stats.certified,
        "phases": {name: round(value, 2) for name, value in stats.seconds.items()},
    }


def main() -> None:
    print(json.dumps(timed_line("assignment_10000x1000", make_instance(10_000, 1_000))), flush=True)
    uneven = make_instance(10_000, 1_000, cornered=50)
    print(json.dumps(timed_line("assignment_uneven_10000x1000", uneven)), flush=True)

    small = make_instance(1_000, 100, seed=7)
    start = time.perf_counter()
    result, stats = solve_detailed(small, candidates_per_dossier=5)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    reference = highs_optimum(small)
    highs_seconds = time.perf_counter() - start
    line = {
        "name": "assignment_check_1000x100",
        "seconds": round(seconds, 2),
        "objective": round(result.objective, 6),
        "departures": len(result.departures),
        "highs_objective": round(reference, 6),
        "highs_seconds": round(highs_seconds, 2),
        "rounds": stats.rounds,
        "optimal": result.optimal,
        "agree": not result.departures
        and abs(result.objective - reference) <= 1e-6 * max(1.0, reference),
    }
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
