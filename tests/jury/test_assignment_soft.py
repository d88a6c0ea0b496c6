"""The solver's soft rules: loads as even as the conflicts allow (targets, convex penalty), and
no two jurors of one institution on a dossier when the jury allows it; each departure reported
in French, dossier by dossier or juror by juror; exact against a level-by-level MILP."""

from __future__ import annotations

import numpy as np
import pytest

from jury.assignment import Infeasible, solve_assignment, solve_detailed

from .assignment_reference import (
    A,
    B,
    assert_valid,
    hand_made,
    levels_of,
    lexicographic_reference,
    make_problem,
    random_problem,
)

EXPERT = [1.0, 0.75, 0.5, 0.25]  # the same order of preference on every dossier


def loads(result, n_jurors: int) -> list[int]:
    return np.bincount(result.pairs[:, 1], minlength=n_jurors).tolist()


def test_without_targets_the_best_juror_takes_everything_it_may():
    # The lopsided round: 5 dossiers, 3 jurors each, 4 jurors, nothing shares the work.
    problem = make_problem([EXPERT] * 5, per_dossier=3)

    assert loads(solve_assignment(problem), 4) == [5, 5, 5, 0]


def test_fair_share_targets_give_every_juror_three_or_four_dossiers():
    # 5 x 3 / 4 = 3.75: targets 3 to 4; the least suited juror is the one at 3.
    problem = make_problem([EXPERT] * 5, per_dossier=3, target_low=[3] * 4, target_high=[4] * 4)

    result = solve_assignment(problem)

    assert loads(result, 4) == [4, 4, 4, 3]
    assert result.departures == []
    assert lexicographic_reference(problem) == (0, 0, pytest.approx(result.objective))


def test_a_juror_in_conflict_with_most_dossiers_gets_what_it_may_and_is_reported():
    # Juror 0 may take only 2 of the 5 dossiers: the other 13 evaluations go to 3 jurors.
    problem = make_problem(
        [EXPERT] * 5,
        conflicts=[(0, 0), (1, 0), (2, 0)],
        per_dossier=3,
        target_low=[3] * 4,
        target_high=[4] * 4,
        jurors=["Alice Martin", "Bruno Petit", "Chloé Roux", "David Simon"],
    )

    result = solve_assignment(problem)

    assert loads(result, 4) == [2, 5, 4, 4]
    assert result.departures == [
        "Juré Alice Martin : 2 dossiers, moins que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de lui en confier plus.",
        "Juré Bruno Petit : 5 dossiers, plus que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de mieux répartir.",
    ]


def test_the_missing_work_is_spread_rather_than_piled_on_the_best_juror():
    # 6 dossiers x 2 = 12 evaluations, 4 jurors, target 3 each. Juror 0 may take only one
    # dossier: 11 for the other three. Juror 1 is the best, but 5-3-3 costs 1 + 2 = 3 steps of
    # penalty and 4-4-3 only 1 + 1: the convex penalty spreads the extra work.
    affinity = [[0.5, 1.0, 0.5, 0.5]] * 6
    conflicts = [(d, 0) for d in range(1, 6)]
    problem = make_problem(
        affinity, conflicts=conflicts, per_dossier=2, target_low=[3] * 4, target_high=[3] * 4
    )

    result = solve_assignment(problem)

    assert loads(result, 4)[:2] == [1, 4]
    assert sorted(loads(result, 4)[2:]) == [3, 4]
    # Juror 0 two below (1 + 2), two jurors one above (1 + 1): 5, where 1-5-3-3 would cost 6.
    assert levels_of(problem, result.pairs)[:2] == (0, 5)
    assert lexicographic_reference(problem)[:2] == (0, 5)


def test_two_jurors_of_one_institution_never_share_a_dossier_when_avoidable():
    # A1 and A2 of one institution, B and C of others; 3 jurors per dossier: B and C sit on
    # every dossier and A1, A2 share the third seats, even though loads depart from 3 each.
    problem = make_problem(
        np.ones((4, 4)),
        institutions=[0, 0, 1, 2],
        per_dossier=3,
        target_low=[3] * 4,
        target_high=[3] * 4,
        jurors=["A1", "A2", "B", "C"],
    )

    result = solve_assignment(problem)

    by_dossier = [sorted(result.pairs[result.pairs[:, 0] == d, 1].tolist()) for d in range(4)]
    assert all(not {0, 1} <= set(jurors) for jurors in by_dossier)
    assert loads(result, 4) == [2, 2, 4, 4]
    assert result.departures == [
        "Juré A1 : 2 dossiers, moins que sa charge visée (3) ; les conflits d'intérêts et les "
        "autres règles ne permettaient pas de lui en confier plus.",
        "Juré A2 : 2 dossiers, moins que sa charge visée (3) ; les conflits d'intérêts et les "
        "autres règles ne permettaient pas de lui en confier plus.",
        "Juré B : 4 dossiers, plus que sa charge visée (3) ; les conflits d'intérêts et les "
        "autres règles ne permettaient pas de mieux répartir.",
        "Juré C : 4 dossiers, plus que sa charge visée (3) ; les conflits d'intérêts et les "
        "autres règles ne permettaient pas de mieux répartir.",
    ]


def test_an_unavoidable_shared_institution_is_reported_dossier_by_dossier():
    # C is in conflict with dossiers 1 and 3: they can only have A1, A2 and B.
    problem = make_problem(
        np.ones((4, 4)),
        institutions=[0, 0, 1, 2],
        conflicts=[(1, 3), (3, 3)],
        per_dossier=3,
        jurors=["A1", "A2", "B", "C"],
    )

    result = solve_assignment(problem)

    assert_valid(problem, result.pairs)
    assert sorted(result.pairs[result.pairs[:, 0] == 1, 1].tolist()) == [0, 1, 2]
    assert result.departures == [
        "Dossier LTI-2026-0002 : A1 et A2 sont de la même institution ; les conflits "
        "d'intérêts et les limites de charge ne permettaient pas de l'éviter.",
        "Dossier LTI-2026-0004 : A1 et A2 sont de la même institution ; les conflits "
        "d'intérêts et les limites de charge ne permettaient pas de l'éviter.",
    ]
    assert lexicographic_reference(problem)[0] == 2


def test_kept_work_of_one_institution_stays_and_no_third_juror_joins_it():
    # A and B (one institution) both already on dossier 0: kept, and reported.
    result = solve_assignment(hand_made(high=[2, 2, 2, 2]), fixed=np.array([[0, A], [0, B]]))

    assert result.pairs[result.pairs[:, 0] == 0, 1].tolist() == [A, B]
    assert result.departures == [
        "Dossier LTI-2026-0001 : Juré 0 et Juré 1 sont de la même institution ; les conflits "
        "d'intérêts et les limites de charge ne permettaient pas de l'éviter."
    ]


@pytest.mark.parametrize("seed", range(30))
def test_the_soft_rules_match_the_milp_level_by_level(seed):
    rng = np.random.default_rng(2000 + seed)
    problem = random_problem(seed, int(rng.integers(3, 11)), int(rng.integers(3, 8)), targets=True)
    expected = lexicographic_reference(problem)
    if expected is None:  # the hard rules cannot hold: causes, whatever the targets
        with pytest.raises(Infeasible):
            solve_assignment(problem)
        return

    result = solve_assignment(problem)

    assert_valid(problem, result.pairs)
    assert levels_of(problem, result.pairs)[:2] == expected[:2]
    assert result.objective == pytest.approx(expected[2], abs=1e-9)
    assert result.optimal is True
    for per_dossier in (1, 2):  # through the candidates and the pricing, the same optimum
        reduced, _ = solve_detailed(problem, candidates_per_dossier=per_dossier)
        assert levels_of(problem, reduced.pairs)[:2] == expected[:2]
        assert reduced.objective == pytest.approx(expected[2], abs=1e-9)
    # Work already done is kept and the rest is still optimal around it.
    fixed = result.pairs[:: max(len(result.pairs) // 3, 1)][:3]
    around = solve_assignment(problem, fixed=fixed)
    assert {tuple(p) for p in fixed.tolist()} <= {tuple(p) for p in around.pairs.tolist()}
    assert levels_of(problem, around.pairs) == pytest.approx(
        lexicographic_reference(problem, fixed.tolist())
    )
