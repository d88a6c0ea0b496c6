"""Instances of the assignment solver and an independent reference: SciPy's HiGHS MILP.

The reference states the objective as the solver's docstring does, level by level, and solves
one MILP per level with the previous levels' optima as constraints (no big costs, so no
tolerance issue): 1. fewest extra jurors of one institution on a dossier; 2. smallest load
penalty (the k-th dossier below a juror's target minimum costs k, the k-th above its target
maximum min(k, steps + 1) with steps = max(target maximum, 1)); 3. largest total affinity.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from jury.assignment import AssignmentProblem, affinity_from_themes

A, B, C, E = range(4)  # the jurors of the hand-made instance


def make_problem(
    affinity,
    *,
    institutions=None,
    conflicts=(),
    low=None,
    high=None,
    target_low=None,
    target_high=None,
    per_dossier=1,
    groups=None,
    themes=("Mobilité",),
    jurors=None,
    dossiers=None,
) -> AssignmentProblem:
    affinity = np.asarray(affinity, dtype=np.float64)
    n_dossiers, n_jurors = affinity.shape
    return AssignmentProblem(
        affinity=affinity,
        conflicts=np.asarray(conflicts, dtype=np.int64).reshape(-1, 2),
        institutions=np.arange(n_jurors) if institutions is None else np.asarray(institutions),
        capacity_min=np.zeros(n_jurors, dtype=np.int64) if low is None else np.asarray(low),
        capacity_max=np.full(n_jurors, n_dossiers) if high is None else np.asarray(high),
        per_dossier=per_dossier,
        dossier_groups=np.zeros(n_dossiers, dtype=int) if groups is None else np.asarray(groups),
        group_labels=list(themes),
        juror_labels=jurors or [f"Juré {j}" for j in range(n_jurors)],
        dossier_labels=dossiers or [f"LTI-2026-{d + 1:04d}" for d in range(n_dossiers)],
        target_min=None if target_low is None else np.asarray(target_low),
        target_max=None if target_high is None else np.asarray(target_high),
    )


def hand_made(**changes) -> AssignmentProblem:
    """3 dossiers x 2 jurors; A and B share an institution; A conflicts with dossier 2.

    By hand: institution {A, B} can seat one juror per dossier, C one dossier, E two: 3 + 1 + 2
    = the 6 evaluations, so each dossier gets one of A/B, and C and E share the rest. B must
    take dossier 2 (A's conflict); A on 0 and 1 (1.0 + 1.0) beats B on either (0.9, 0.8).
    C on dossier 1 (0.9 + E's 0.2 + 0.4 = 1.5) beats C on 0 (1.2) or on 2 (1.1).
    Optimum 1.0 + 1.0 + 0.7 + 0.9 + 0.2 + 0.4 = 4.2.
    """
    arguments = {
        "affinity": [[1.0, 0.9, 0.5, 0.2], [1.0, 0.8, 0.9, 0.3], [0.1, 0.7, 0.6, 0.4]],
        "institutions": [0, 0, 1, 2],
        "conflicts": [(2, A)],
        "high": [2, 2, 1, 2],
        "per_dossier": 2,
    }
    return make_problem(**(arguments | changes))


def _penalty_columns(problem: AssignmentProblem) -> tuple[list, list, list]:
    """Unit variables of the load penalty: (juror, sign, cost) per column, sign -1 for a unit
    below the target minimum (it adds to the load), +1 above the target maximum."""
    n_dossiers = problem.shape[0]
    target_low, target_high = problem.targets()
    jurors, signs, costs = [], [], []
    for j, (low, high) in enumerate(zip(target_low, target_high, strict=True)):
        for k in range(1, int(low) + 1):
            jurors.append(j), signs.append(-1), costs.append(k)
        steps = max(int(high), 1)
        for k in range(1, n_dossiers - int(high) + 1):
            jurors.append(j), signs.append(1), costs.append(min(k, steps + 1))
    return jurors, signs, costs


def lexicographic_reference(problem: AssignmentProblem, fixed=()) -> tuple[int, int, float] | None:
    """(extra jurors of one institution, load penalty, affinity) of the lexicographic optimum,
    or None when the hard rules cannot all hold."""
    n_dossiers, n_jurors = problem.shape
    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    allowed[problem.conflicts[:, 0], problem.conflicts[:, 1]] = False
    dd, jj = np.nonzero(allowed)
    n_pairs = len(dd)
    pairs = np.arange(n_pairs)
    _, seat = np.unique(dd * (n_jurors + 1) + problem.institutions[jj], return_inverse=True)
    n_seats = seat.max() + 1 if n_pairs else 0
    pen_j, pen_sign, pen_cost = (np.asarray(a, dtype=np.int64) for a in _penalty_columns(problem))
    n_pen = len(pen_j)
    n = n_pairs + n_seats + n_pen
    seat_cols, pen_cols = n_pairs + np.arange(n_seats), n_pairs + n_seats + np.arange(n_pen)

    def block(rows, cols, values, height):
        return sparse.csr_array((values, (rows, cols)), shape=(height, n))

    target_low, target_high = problem.targets()
    below, above = pen_cols[pen_sign < 0], pen_cols[pen_sign > 0]
    ones = np.ones(n_pairs)
    rows = [
        block(dd, pairs, ones, n_dossiers),  # jurors per dossier
        block(jj, pairs, ones, n_jurors),  # hard loads
        # One seat per institution and dossier; each juror beyond it counts in the seat's extra.
        block(
            np.r_[seat, np.arange(n_seats)],
            np.r_[pairs, seat_cols],
            np.r_[ones, -np.ones(n_seats)],
            n_seats,
        ),
        # load + units below >= target minimum; load - units above <= target maximum
        block(
            np.r_[jj, pen_j[pen_sign < 0]],
            np.r_[pairs, below],
            np.ones(n_pairs + len(below)),
            n_jurors,
        ),
        block(
            np.r_[jj, pen_j[pen_sign > 0]],
            np.r_[pairs, above],
            np.r_[ones, -np.ones(len(above))],
            n_jurors,
        ),
    ]
    per = np.full(n_dossiers, problem.per_dossier)
    unbounded = np.full(n_jurors, np.inf)
    lower = np.r_[per, problem.capacity_min, np.full(n_seats, -np.inf), target_low, -unbounded]
    upper = np.r_[per, problem.capacity_max, np.ones(n_seats), unbounded, target_high]
    floor = np.zeros(n)
    for d, j in fixed:
        floor[:n_pairs][(dd == d) & (jj == j)] = 1
    ceiling = np.r_[np.ones(n_pairs), np.full(n_seats, problem.per_dossier), np.ones(n_pen)]
    levels = [
        np.r_[np.zeros(n_pairs), np.ones(n_seats), np.zeros(n_pen)],
        np.r_[np.zeros(n_pairs + n_seats), pen_cost],
        np.r_[-np.asarray(problem.affinity)[dd, jj], np.zeros(n_seats + n_pen)],
    ]
    matrix = sparse.vstack(rows).tocsr()
    optima = []
    for level, cost in enumerate(levels):
        result = milp(
            cost,
            constraints=LinearConstraint(matrix, lower, upper),
            bounds=Bounds(floor, ceiling),
            integrality=np.ones(n),
        )
        if result.status != 0:
            return None
        optima.append(result.fun)
        if level < 2:  # the next levels keep this one at its optimum
            matrix = sparse.vstack([matrix, sparse.csr_array(cost.reshape(1, -1))]).tocsr()
            lower, upper = np.r_[lower, -np.inf], np.r_[upper, round(result.fun)]
    return round(optima[0]), round(optima[1]), float(-optima[2])


def levels_of(problem: AssignmentProblem, pairs: np.ndarray) -> tuple[int, int, float]:
    """The three levels of an assignment, computed from its pairs as the reference states them."""
    n_jurors = problem.shape[1]
    seats = pairs[:, 0] * (n_jurors + 1) + problem.institutions[pairs[:, 1]]
    _, counts = np.unique(seats, return_counts=True)
    load = np.bincount(pairs[:, 1], minlength=n_jurors)
    target_low, target_high = problem.targets()
    penalty = 0
    for j in range(n_jurors):
        penalty += sum(range(1, int(target_low[j] - load[j]) + 1))
        steps = max(int(target_high[j]), 1)
        penalty += sum(min(k, steps + 1) for k in range(1, int(load[j] - target_high[j]) + 1))
    affinity = float(np.asarray(problem.affinity)[pairs[:, 0], pairs[:, 1]].sum())
    return int((counts - 1).sum()), penalty, affinity


def assert_valid(problem: AssignmentProblem, pairs: np.ndarray) -> None:
    """Every hard rule holds (the soft ones are checked through `levels_of`)."""
    n_dossiers, n_jurors = problem.affinity.shape
    assert len(np.unique(pairs, axis=0)) == len(pairs)
    assert np.all(np.bincount(pairs[:, 0], minlength=n_dossiers) == problem.per_dossier)
    load = np.bincount(pairs[:, 1], minlength=n_jurors)
    assert np.all(load >= problem.capacity_min) and np.all(load <= problem.capacity_max)
    conflicts = {tuple(pair) for pair in problem.conflicts.tolist()}
    assert not conflicts & {tuple(pair) for pair in pairs.tolist()}


def random_problem(
    seed: int, n_dossiers: int, n_jurors: int, *, targets=False
) -> AssignmentProblem:
    """Random instances; with `targets`, hard bounds loose and fair-share targets (floor, ceil),
    and institutions crowded enough that the soft rules often bind."""
    rng = np.random.default_rng(seed)
    per_dossier = int(rng.integers(1, 4))
    table = rng.integers(0, 11, (n_jurors, 3)) / 10
    groups = rng.integers(0, 3, n_dossiers)
    high = rng.integers(1, 2 * n_dossiers * per_dossier // n_jurors + 3, n_jurors)
    low = np.minimum(rng.integers(0, 3, n_jurors), high)
    target_low = target_high = None
    institutions = rng.integers(0, max(n_jurors - 2, 1), n_jurors)
    if targets:
        share = n_dossiers * per_dossier / n_jurors
        high = np.full(n_jurors, n_dossiers)
        low = np.zeros(n_jurors, dtype=np.int64)
        target_low = np.full(n_jurors, int(np.floor(share)))
        target_high = np.full(n_jurors, int(np.ceil(share)))
        institutions = rng.integers(0, max(n_jurors // 2, 1), n_jurors)
    return make_problem(
        affinity_from_themes(table, groups) + rng.integers(0, 3, (n_dossiers, n_jurors)) / 100,
        institutions=institutions,
        conflicts=np.argwhere(rng.random((n_dossiers, n_jurors)) < (0.15 if targets else 0.1)),
        low=low,
        high=high,
        target_low=target_low,
        target_high=target_high,
        per_dossier=per_dossier,
        groups=groups,
        themes=("Mobilité", "Énergie", "Santé"),
    )
