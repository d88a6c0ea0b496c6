"""Time the exact jury assignment on 10,000 dossiers x 1,000 jurors x 3 jurors per dossier.

The instance is random but deterministic (numpy default_rng(42)): 8 themes of skewed sizes (so
the popular themes run out of experts and the optimum must choose who reviews off-theme), each
juror with one main expertise theme (affinity 1.0), up to two secondary ones (0.5) and 0.1
elsewhere; about 250 institutions (several jurors each, at most one of them per dossier); 5 % of
the (dossier, juror) pairs in conflict; capacities min 0-10, max 30-50 (about 40,000 places for
30,000 evaluations).

Prints one JSON line per figure:
- "assignment_10000x1000": seconds (whole solve, validation and diagnostics included),
  objective, optimal (the solver's own certificate: pricing of every excluded pair with the
  flow's potentials, affinities on the exact grid), greedy_objective, peak_memory_mb (peak RSS of
  the process at that point), arcs of the last flow graph, candidate pairs, pricing rounds;
- "assignment_check_1000x100": the same generator on a smaller instance (forced through the
  candidate/pricing path), its objective and the optimum of an independent solver, SciPy's
  HiGHS on the LP of the assignment (integral: a network matrix), and whether they agree.
Run: .venv/bin/python bench/assignment.py   (about ten seconds)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

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


def make_instance(n_dossiers: int, n_jurors: int, seed: int = 42) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    groups = rng.choice(THEMES, size=n_dossiers, p=THEME_SHARES)
    # Main theme 1.0, two secondary themes at 0.4-0.8, 0.0-0.2 elsewhere: all on a 0.1 grid.
    table = rng.integers(0, 3, (n_jurors, THEMES)) / 10
    secondary = rng.integers(0, THEMES, (n_jurors, 2))
    table[np.arange(n_jurors)[:, None], secondary] = rng.integers(4, 9, (n_jurors, 2)) / 10
    table[np.arange(n_jurors), rng.integers(0, THEMES, n_jurors)] = 1.0
    conflicts = np.argwhere(rng.random((n_dossiers, n_jurors)) < 0.05)
    # 30-50 dossiers per juror at 10 dossiers per juror, scaled for other shapes.
    high = np.maximum(rng.integers(30, 51, n_jurors) * n_dossiers // (10 * n_jurors), 3)
    return AssignmentProblem(
        affinity=affinity_from_themes(table, groups),
        conflicts=conflicts,
        institutions=rng.integers(0, max(n_jurors // 4, 1), n_jurors),
        capacity_min=np.minimum(rng.integers(0, 11, n_jurors), high),
        capacity_max=high,
        per_dossier=3,
        dossier_groups=groups,
        group_labels=[f"Thème {t}" for t in range(THEMES)],
        juror_labels=[f"Juré {j}" for j in range(n_jurors)],
        dossier_labels=[f"LTI-2026-{d:05d}" for d in range(n_dossiers)],
    )


def highs_optimum(problem: AssignmentProblem) -> float:
    """The LP optimum by HiGHS, built independently of the flow code (pairs as variables)."""
    n_dossiers, n_jurors = problem.affinity.shape
    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    allowed[problem.conflicts[:, 0], problem.conflicts[:, 1]] = False
    dd, jj = np.nonzero(allowed)
    n = len(dd)
    columns = np.arange(n)
    _, inst = np.unique(problem.institutions, return_inverse=True)
    seat = dd * (inst.max() + 1) + inst[jj]
    _, seat_row = np.unique(seat, return_inverse=True)
    rows = [
        sparse.csr_array((np.ones(n), (dd, columns)), shape=(n_dossiers, n)),
        sparse.csr_array((np.ones(n), (jj, columns)), shape=(n_jurors, n)),
        sparse.csr_array((np.ones(n), (seat_row, columns)), shape=(seat_row.max() + 1, n)),
    ]
    per = np.full(n_dossiers, problem.per_dossier)
    seats = seat_row.max() + 1
    lower = np.concatenate([per, problem.capacity_min, np.zeros(seats)])
    upper = np.concatenate([per, problem.capacity_max, np.ones(seats)])
    result = milp(
        -problem.affinity[dd, jj],
        constraints=LinearConstraint(sparse.vstack(rows).tocsr(), lower, upper),
        bounds=Bounds(0, 1),
        integrality=np.zeros(n),
    )
    if not result.success:
        raise RuntimeError(result.message)
    return float(-result.fun)


def main() -> None:
    problem = make_instance(10_000, 1_000)
    start = time.perf_counter()
    result, stats = solve_detailed(problem)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    greedy = greedy_assignment(problem)
    line = {
        "name": "assignment_10000x1000",
        "seconds": round(seconds, 2),
        "objective": round(result.objective, 6),
        "optimal": result.optimal,
        "greedy_objective": round(greedy.objective, 6),
        "peak_memory_mb": round(peak),
        "arcs": stats.arcs,
        "candidate_pairs": stats.candidate_pairs,
        "rounds": stats.rounds,
        "phases": {name: round(value, 2) for name, value in stats.seconds.items()},
    }
    print(json.dumps(line), flush=True)

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
        "highs_objective": round(reference, 6),
        "highs_seconds": round(highs_seconds, 2),
        "rounds": stats.rounds,
        "optimal": result.optimal,
        "agree": abs(result.objective - reference) <= 1e-6 * max(1.0, reference),
    }
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
