"""The exact jury-assignment solver (pure: no database, no model): its hard rules, exactness and
causes of infeasibility. The soft rules (loads, institutions) are in test_assignment_soft."""

from __future__ import annotations

import numpy as np
import pytest

from jury.assignment import (
    AssignmentProblem,
    Infeasible,
    greedy_assignment,
    solve_assignment,
    solve_detailed,
)
from jury.assignment.instance import in_mode, prepare
from jury.assignment.network import build_network, potentials, price, solve_min_cost
from jury.assignment.problem import integer_weights, validate_fixed

from .assignment_reference import (
    A,
    B,
    C,
    E,
    assert_valid,
    hand_made,
    levels_of,
    lexicographic_reference,
    make_problem,
    random_problem,
)


def reference_optimum(problem: AssignmentProblem, fixed=()) -> float | None:
    """The affinity of the reference's optimum (None if the hard rules cannot hold)."""
    levels = lexicographic_reference(problem, fixed)
    return None if levels is None else levels[2]


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


def test_infeasible_dossier_without_enough_jurors_free_of_conflict():
    affinity = np.ones((5, 4))
    problem = make_problem(
        affinity, conflicts=[(3, 2), (3, 3), (4, 3)], high=[5, 5, 3, 1], per_dossier=3
    )

    assert causes_of(problem) == [
        "Dossier LTI-2026-0004 : seuls 2 jurés sont sans conflit, il en faut 3.",
        # Its consequence on the theme comes second: the most specific cause leads.
        "Thème « Mobilité » : 5 dossiers demandent 15 évaluations, les jurés sans conflit ne "
        "peuvent en prendre que 14.",
        "La capacité totale des jurés (14) est inférieure aux 15 évaluations demandées.",
    ]


def test_infeasible_dossier_with_one_juror_free_of_conflict():
    problem = make_problem(np.ones((2, 3)), conflicts=[(1, 1), (1, 2)], per_dossier=2)

    assert causes_of(problem) == [
        "Dossier LTI-2026-0002 : seul 1 juré est sans conflit, il en faut 2."
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
    # Jurors 0 and 1 owe 2 dossiers each but may only sit on dossiers 0 and 1 (one juror each).
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
    expected = lexicographic_reference(problem)

    if expected is None:
        with pytest.raises(Infeasible):
            solve_assignment(problem)
        return
    result = solve_assignment(problem)
    assert_valid(problem, result.pairs)
    assert levels_of(problem, result.pairs)[:2] == expected[:2]
    assert result.objective == pytest.approx(expected[2], abs=1e-9)
    assert result.optimal is True
    # The reduction: from 1 or 2 candidates per dossier, the pricing reaches the same optimum.
    for per_dossier in (1, 2):
        reduced, _ = solve_detailed(problem, candidates_per_dossier=per_dossier)
        assert_valid(problem, reduced.pairs)
        assert levels_of(problem, reduced.pairs)[:2] == expected[:2]
        assert reduced.objective == pytest.approx(expected[2], abs=1e-9)
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
    prep = in_mode(
        prepare(problem, validate_fixed(problem, None)), soft_loads=False, soft_seats=False
    )
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
