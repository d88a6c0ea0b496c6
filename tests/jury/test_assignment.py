"""The exact jury-assignment solver (pure: no database, no model)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from jury.assignment import (
    AssignmentProblem,
    Infeasible,
    affinity_from_themes,
    greedy_assignment,
    solve_assignment,
    solve_detailed,
)
from jury.assignment.network import build_network, potentials, prepare, price, solve_min_cost
from jury.assignment.problem import integer_weights, validate_fixed

A, B, C, E = range(4)  # the jurors of the hand-made instance


def make_problem(
    affinity,
    *,
    institutions=None,
    conflicts=(),
    low=None,
    high=None,
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


def reference_optimum(problem: AssignmentProblem, fixed=None) -> float | None:
    """The integer optimum by SciPy's HiGHS MILP, modelled independently (pairs as variables)."""
    n_dossiers, n_jurors = problem.affinity.shape
    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    allowed[problem.conflicts[:, 0], problem.conflicts[:, 1]] = False
    dd, jj = np.nonzero(allowed)
    n, columns = len(dd), np.arange(len(dd))
    _, seat = np.unique(dd * (n_jurors + 1) + problem.institutions[jj], return_inverse=True)
    matrix = sparse.vstack(
        [
            sparse.csr_array((np.ones(n), (dd, columns)), shape=(n_dossiers, n)),
            sparse.csr_array((np.ones(n), (jj, columns)), shape=(n_jurors, n)),
            sparse.csr_array((np.ones(n), (seat, columns)), shape=(seat.max() + 1, n)),
        ]
    )
    per = np.full(n_dossiers, problem.per_dossier)
    lower = np.concatenate([per, problem.capacity_min, np.zeros(seat.max() + 1)])
    upper = np.concatenate([per, problem.capacity_max, np.ones(seat.max() + 1)])
    floor = np.zeros(n)
    for d, j in [] if fixed is None else fixed:
        floor[(dd == d) & (jj == j)] = 1
    result = milp(
        -problem.affinity[dd, jj],
        constraints=LinearConstraint(matrix.tocsr(), lower, upper),
        bounds=Bounds(floor, 1),
        integrality=np.ones(n),
    )
    return float(-result.fun) if result.status == 0 else None


def assert_valid(problem: AssignmentProblem, pairs: np.ndarray) -> None:
    n_dossiers, n_jurors = problem.affinity.shape
    assert len(np.unique(pairs, axis=0)) == len(pairs)
    assert np.all(np.bincount(pairs[:, 0], minlength=n_dossiers) == problem.per_dossier)
    load = np.bincount(pairs[:, 1], minlength=n_jurors)
    assert np.all(load >= problem.capacity_min) and np.all(load <= problem.capacity_max)
    seats = np.column_stack([pairs[:, 0], problem.institutions[pairs[:, 1]]])
    assert len(np.unique(seats, axis=0)) == len(pairs)
    conflicts = {tuple(pair) for pair in problem.conflicts.tolist()}
    assert not conflicts & {tuple(pair) for pair in pairs.tolist()}


def random_problem(seed: int, n_dossiers: int, n_jurors: int) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    per_dossier = int(rng.integers(1, 4))
    table = rng.integers(0, 11, (n_jurors, 3)) / 10
    groups = rng.integers(0, 3, n_dossiers)
    high = rng.integers(1, 2 * n_dossiers * per_dossier // n_jurors + 3, n_jurors)
    return make_problem(
        affinity_from_themes(table, groups) + rng.integers(0, 3, (n_dossiers, n_jurors)) / 100,
        institutions=rng.integers(0, max(n_jurors - 2, 1), n_jurors),
        conflicts=np.argwhere(rng.random((n_dossiers, n_jurors)) < 0.1),
        low=np.minimum(rng.integers(0, 3, n_jurors), high),
        high=high,
        per_dossier=per_dossier,
        groups=groups,
        themes=("Mobilité", "Énergie", "Santé"),
    )


def test_solve_assignment_hand_made_optimum():
    result = solve_assignment(hand_made())

    assert result.pairs.tolist() == [[0, A], [0, E], [1, A], [1, C], [2, B], [2, E]]
    assert result.objective == pytest.approx(4.2, abs=1e-12)
    assert result.optimal is True
    assert reference_optimum(hand_made()) == pytest.approx(4.2, abs=1e-9)


def test_solve_assignment_institution_rule_binds():
    # A and B in different institutions: both go to the dossiers they like best.
    free = solve_assignment(hand_made(institutions=[0, 1, 2, 3]))

    assert free.pairs.tolist() == [[0, A], [0, B], [1, A], [1, C], [2, B], [2, E]]
    assert free.objective == pytest.approx(4.9, abs=1e-12)
    # Together, they never sit on the same dossier.
    bound = solve_assignment(hand_made())
    assert not ({(0, A), (0, B)} <= {tuple(pair) for pair in bound.pairs.tolist()})


def test_solve_assignment_conflict_binds():
    problem = make_problem([[1.0, 0.5]])
    in_conflict = make_problem([[1.0, 0.5]], conflicts=[(0, 0)])

    assert solve_assignment(problem).pairs.tolist() == [[0, 0]]
    assert solve_assignment(in_conflict).pairs.tolist() == [[0, 1]]


def test_solve_assignment_capacity_max_binds():
    problem = make_problem([[1.0, 0.5], [1.0, 0.5]], high=[1, 2])

    result = solve_assignment(problem)

    assert result.pairs.tolist() == [[0, 0], [1, 1]]
    assert result.objective == pytest.approx(1.5, abs=1e-12)


def test_solve_assignment_capacity_min_binds():
    without = make_problem([[1.0, 0.5], [1.0, 0.5]], high=[2, 2])
    with_minimum = make_problem([[1.0, 0.5], [1.0, 0.5]], low=[0, 1], high=[2, 2])

    assert solve_assignment(without).pairs.tolist() == [[0, 0], [1, 0]]
    result = solve_assignment(with_minimum)
    assert result.pairs.tolist() == [[0, 0], [1, 1]]
    assert result.objective == pytest.approx(1.5, abs=1e-12)


def test_solve_assignment_keeps_fixed_pairs():
    # B fixed on dossier 0 by hand: A leaves dossier 0 (same institution), B keeps one more.
    result = solve_assignment(hand_made(), fixed=np.array([[0, B]]))

    assert result.pairs.tolist() == [[0, B], [0, E], [1, A], [1, C], [2, B], [2, E]]
    assert result.objective == pytest.approx(4.1, abs=1e-12)
    assert reference_optimum(hand_made(), fixed=[(0, B)]) == pytest.approx(4.1, abs=1e-9)


def test_solve_assignment_all_fixed_returns_them():
    fixed = np.array([[2, E], [0, A], [1, C], [0, E], [1, A], [2, B]])

    result = solve_assignment(hand_made(), fixed=fixed)

    assert result.pairs.tolist() == [[0, A], [0, E], [1, A], [1, C], [2, B], [2, E]]
    assert result.objective == pytest.approx(4.2, abs=1e-12)


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        ([[0, 9]], "out of range"),
        ([[0, B], [0, B]], "same pair twice"),
        ([[2, A]], "conflicting pair"),
        ([[0, A], [0, B]], "same institution"),
        ([[0, C], [1, C]], "capacity_max"),
    ],
)
def test_solve_assignment_rejects_bad_fixed_pairs(fixed, message):
    with pytest.raises(ValueError, match=message):
        solve_assignment(hand_made(), fixed=np.array(fixed))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"affinity": [[-1.0, 0.5]]}, "non-negative"),
        ({"affinity": [[np.nan, 0.5]]}, "finite"),
        ({"affinity": [[1.0, 0.5]], "low": [2, 0], "high": [1, 1]}, "capacity_min"),
        ({"affinity": [[1.0, 0.5]], "per_dossier": 0}, "per_dossier"),
        ({"affinity": [[1.0, 0.5]], "conflicts": [(0, 5)]}, "out of range"),
        ({"affinity": [[1.0, 0.5]], "groups": [3]}, "group_labels"),
        ({"affinity": [[1.0, 0.5]], "institutions": [0]}, "institutions"),
    ],
)
def test_solve_assignment_rejects_malformed_problems(changes, message):
    with pytest.raises(ValueError, match=message):
        solve_assignment(make_problem(**changes))


def causes_of(problem: AssignmentProblem, **options) -> list[str]:
    with pytest.raises(Infeasible) as raised:
        solve_detailed(problem, **options)
    return raised.value.causes


def test_infeasible_dossier_without_enough_institutions():
    affinity = np.ones((5, 4))
    problem = make_problem(affinity, institutions=[0, 0, 1, 2], conflicts=[(3, 3)], per_dossier=3)

    assert causes_of(problem) == [
        "Dossier LTI-2026-0004 : seuls 2 jurés d'institutions différentes sont sans conflit, "
        "il en faut 3.",
        # Its consequence on the theme comes second: the most specific cause leads.
        "Thème « Mobilité » : 5 dossiers demandent 15 évaluations, les jurés sans conflit ne "
        "peuvent en prendre que 14.",
    ]


def test_infeasible_juror_minimum_beyond_dossiers_without_conflict():
    problem = make_problem(
        np.ones((6, 2)),
        conflicts=[(0, 0), (1, 0), (2, 0)],
        low=[5, 0],
        high=[6, 6],
        jurors=["Alice Martin", "Bruno Petit"],
    )

    assert causes_of(problem) == [
        "Juré Alice Martin : capacité minimale de 5 dossiers, mais seuls 3 dossiers sont sans "
        "conflit."
    ]


def test_infeasible_theme_short_of_jurors_without_conflict():
    # 12 Mobilité dossiers; 10 jurors may take 3 each; 5 big jurors conflict with all of them.
    groups = [0] * 12 + [1] * 2
    big = [(d, j) for d in range(12) for j in range(10, 15)]
    problem = make_problem(
        np.ones((14, 15)),
        conflicts=big,
        high=[3] * 10 + [100] * 5,
        per_dossier=3,
        groups=groups,
        themes=("Mobilité", "Énergie"),
    )

    assert causes_of(problem) == [
        "Thème « Mobilité » : 12 dossiers demandent 36 évaluations, les jurés sans conflit ne "
        "peuvent en prendre que 30."
    ]


def test_infeasible_total_capacity_and_theme_most_specific_first():
    problem = make_problem(np.ones((1000, 99)), high=[30] * 99, per_dossier=3)

    assert causes_of(problem) == [
        "Thème « Mobilité » : 1\xa0000 dossiers demandent 3\xa0000 évaluations, les jurés sans "
        "conflit ne peuvent en prendre que 2\xa0970.",
        "La capacité totale des jurés (2\xa0970) est inférieure aux 3\xa0000 évaluations "
        "demandées.",
    ]


def test_infeasible_minimums_above_demand():
    problem = make_problem(np.ones((2, 2)), low=[2, 1], high=[2, 2])

    assert causes_of(problem) == [
        "Les capacités minimales des jurés totalisent 3 dossiers, plus que les 2 évaluations "
        "demandées."
    ]


def test_infeasible_dossiers_sharing_one_juror_found_by_the_cut():
    # Every cheap count passes, but dossiers 1 and 2 can only have juror 0, who takes one.
    conflicts = [(0, 0), (1, 1), (2, 1), (3, 0)]
    problem = make_problem(
        np.ones((4, 2)), conflicts=conflicts, high=[1, 10], groups=[0, 1, 0, 1], themes=("A", "B")
    )

    assert causes_of(problem) == [
        "Dossiers LTI-2026-0002, LTI-2026-0003 : ils demandent 2 évaluations, les jurés sans "
        "conflit ne peuvent leur en donner que 1."
    ]
    assert reference_optimum(problem) is None


def test_infeasible_juror_minimums_found_by_the_cut():
    # Jurors 0 and 1 owe 2 dossiers each but may only sit on dossiers 0 and 1 (one seat each).
    conflicts = [(d, j) for d in (2, 3) for j in (0, 1)]
    problem = make_problem(np.ones((4, 3)), conflicts=conflicts, low=[2, 2, 0], high=[2, 2, 4])

    assert causes_of(problem) == [
        "Jurés Juré 0, Juré 1 : leurs capacités minimales totalisent 4 dossiers, mais ils ne "
        "peuvent en recevoir que 2."
    ]
    assert reference_optimum(problem) is None


@pytest.mark.parametrize("seed", range(40))
def test_solve_assignment_matches_milp_on_random_instances(seed):
    rng = np.random.default_rng(1000 + seed)
    problem = random_problem(seed, int(rng.integers(3, 13)), int(rng.integers(4, 11)))
    expected = reference_optimum(problem)

    if expected is None:
        with pytest.raises(Infeasible):
            solve_assignment(problem)
        return
    result = solve_assignment(problem)
    assert_valid(problem, result.pairs)
    assert result.objective == pytest.approx(expected, abs=1e-9)
    assert result.optimal is True
    # The reduction: from 1 or 2 candidates per dossier, the pricing reaches the same optimum.
    for per_dossier in (1, 2):
        reduced, _ = solve_detailed(problem, candidates_per_dossier=per_dossier)
        assert_valid(problem, reduced.pairs)
        assert reduced.objective == pytest.approx(expected, abs=1e-9)
    try:
        greedy = greedy_assignment(problem)
    except Infeasible:
        return
    assert_valid(problem, greedy.pairs)
    assert greedy.objective <= result.objective + 1e-9


def test_pricing_finds_the_better_juror_behind_a_lone_seat():
    # Candidates: only juror 0 (institution 0, 0.5). Juror 1 (same institution, 1.0) is
    # excluded: the seat is taken by juror 0, and pricing must still see juror 1 is better.
    problem = make_problem([[0.5, 1.0, 0.1]], institutions=[0, 0, 1])
    prep = prepare(problem, validate_fixed(problem, None))
    net = build_network(prep, np.array([0]), np.array([0]))
    flows = solve_min_cost(net)
    candidate = np.array([[True, False, False]])

    found_d, found_j = price(prep, candidate, net, flows, potentials(net, flows), limit=3)

    # Juror 2 may come too: optimal potentials are not unique, so pricing can add a pair that
    # does not improve (it only costs a round); juror 1 must come.
    assert 1 in found_j.tolist()
    assert set(found_d.tolist()) == {0}


def test_pricing_reaches_the_dense_optimum_on_a_larger_instance():
    problem = random_problem(7, 300, 40)
    expected = solve_assignment(problem)

    reduced, stats = solve_detailed(problem, candidates_per_dossier=2)

    assert reduced.objective == pytest.approx(expected.objective, abs=1e-9)
    assert stats.rounds >= 2  # the pricing had to add pairs
    assert stats.candidate_pairs < problem.affinity.size
    assert reference_optimum(problem) == pytest.approx(expected.objective, abs=1e-6)


def test_solve_assignment_exact_where_rounding_to_hundredths_is_wrong():
    # Right: juror 0 on dossier 0, juror 1 on dossier 1, 0.344 + 0.344 = 0.688. Crossed:
    # 0.346 + 0.336 = 0.682, but rounded to 0.01 (as OpenReview does) 0.35 + 0.34 = 0.69 > 0.68.
    affinity = np.array([[0.344, 0.336], [0.346, 0.344]])
    problem = make_problem(affinity, high=[1, 1])
    rounded = make_problem(np.round(affinity, 2), high=[1, 1])

    result = solve_assignment(problem)

    assert result.pairs.tolist() == [[0, 0], [1, 1]]
    assert result.objective == pytest.approx(0.688, abs=1e-12)
    assert solve_assignment(rounded).pairs.tolist() == [[0, 1], [1, 0]]


def test_solve_assignment_tells_a_third_from_0_333():
    # 3 x 1/3 = 1 beats 3 x 0.333 = 0.999 only by 0.001 in total: both are exact on the grid.
    affinity = np.array([[1 / 3, 0.3334], [1 / 3, 0.333], [1 / 3, 0.333]])
    problem = make_problem(affinity, high=[2, 3])

    result = solve_assignment(problem)

    assert result.objective == pytest.approx(2 / 3 + 0.3334, abs=1e-12)
    assert result.optimal is True
    assert integer_weights(affinity)[2] is True


def test_solve_assignment_off_grid_affinity_not_claimed_optimal():
    problem = make_problem([[1 / 17, 1 / 19]])

    result = solve_assignment(problem)

    assert result.pairs.tolist() == [[0, 0]]
    assert result.optimal is False


def test_greedy_assignment_below_optimum():
    # Greedy gives dossier 0 its best juror 0 and leaves dossier 1 with juror 1 (0.1).
    problem = make_problem([[1.0, 0.9], [1.0, 0.1]], high=[1, 2])

    greedy = greedy_assignment(problem)
    optimum = solve_assignment(problem)

    assert greedy.pairs.tolist() == [[0, 0], [1, 1]]
    assert greedy.objective == pytest.approx(1.1, abs=1e-12)
    assert greedy.optimal is False
    assert optimum.pairs.tolist() == [[0, 1], [1, 0]]
    assert optimum.objective == pytest.approx(1.9, abs=1e-12)


def test_greedy_assignment_may_fail_where_the_optimum_exists():
    problem = make_problem([[1.0, 0.9], [1.0, 0.0]], high=[1, 1], conflicts=[(1, 1)])

    with pytest.raises(Infeasible) as raised:
        greedy_assignment(problem)

    assert raised.value.causes == [
        "L'heuristique gloutonne n'a pas pu compléter le dossier LTI-2026-0002."
    ]
    assert solve_assignment(problem).pairs.tolist() == [[0, 1], [1, 0]]
