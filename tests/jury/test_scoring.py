"""jury.scoring: the one computation of a dossier's score and elimination in a round."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jury.enums import ConflictStatus, EvaluationState
from jury.models import RoundEntry
from jury.scoring import _round_half_up, compute_entry_score, recompute_edition, recompute_round
from tests.jury.factories import ConflictFactory

from .scoring_setup import INSUFFICIENT, make_setup

pytestmark = pytest.mark.django_db


def test_score_is_the_weighted_mean_of_criterion_means_with_insufficient_as_zero():
    setup = make_setup(weights=("1.5", "1", "0.5"))
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 4, usagers: 2, sobriete: 5})
    setup.evaluate(setup.juror("B"), entry, {innovation: 5, usagers: 3, sobriete: 5})
    setup.evaluate(
        setup.juror("C"),
        entry,
        {innovation: 3, usagers: (INSUFFICIENT, "Aucune enquête."), sobriete: 4},
    )

    compute_entry_score(entry)

    # Means: innovation 12/3 = 4; usagers (2 + 3 + 0)/3 = 5/3; sobriété 14/3.
    # (1.5 × 4 + 1 × 5/3 + 0.5 × 14/3) / 3 = (6 + 5/3 + 7/3) / 3 = 10/3 = 3.333…
    entry.refresh_from_db()
    assert entry.score == Decimal("3.333")
    assert entry.evaluations_submitted == 3
    assert entry.computed_at is not None


def test_score_rounds_half_up_to_three_decimals():
    assert _round_half_up(Fraction(12345, 10000)) == Decimal("1.235")
    assert _round_half_up(Fraction(2, 3)) == Decimal("0.667")
    assert _round_half_up(Fraction(5)) == Decimal("5.000")


def test_score_ignores_drafts_and_criteria_outside_the_round():
    setup = make_setup(weights=("2", "1", "1"))
    innovation, usagers, sobriete = setup.criteria
    setup.round.criteria.set([innovation, usagers])
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 4, usagers: 1, sobriete: 0})
    setup.evaluate(
        setup.juror("B"), entry, {innovation: 0, usagers: 0}, state=EvaluationState.DRAFT
    )

    compute_entry_score(entry)

    # (2 × 4 + 1 × 1) / 3 = 3: sobriété (not in the round) and the draft do not count.
    assert entry.score == Decimal("3.000")
    assert entry.evaluations_submitted == 1


def test_score_ignores_the_evaluation_of_a_juror_now_in_conflict():
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 5, usagers: 5, sobriete: 5})
    conflicted = setup.juror("B")
    setup.evaluate(conflicted, entry, {innovation: 0, usagers: 0, sobriete: 0})
    ConflictFactory(juror=conflicted, application=entry.application)

    compute_entry_score(entry)

    assert (entry.score, entry.evaluations_submitted) == (Decimal("5.000"), 1)


def test_score_counts_a_dismissed_conflict_juror():
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 5, usagers: 5, sobriete: 5})
    juror = setup.juror("B")
    setup.evaluate(juror, entry, {innovation: 2, usagers: 2, sobriete: 2})
    ConflictFactory(juror=juror, application=entry.application, status=ConflictStatus.DISMISSED)

    compute_entry_score(entry)

    assert (entry.score, entry.evaluations_submitted) == (Decimal("3.500"), 2)


def test_no_submitted_evaluation_gives_no_score():
    setup = make_setup()
    entry = setup.dossier()

    compute_entry_score(entry)

    assert (entry.score, entry.eliminated, entry.elimination, entry.evaluations_submitted) == (
        None,
        False,
        [],
        0,
    )


def _three_jurors_one_and_two_insufficient(rule: str) -> tuple[RoundEntry, RoundEntry]:
    """Dossier 1: one juror of three judges « Innovation » insufficient; dossier 2: two do."""
    setup = make_setup(rule=rule)
    innovation, usagers, sobriete = setup.criteria
    jurors = [setup.juror(name) for name in ("A", "B", "C")]
    one, two = setup.dossier(), setup.dossier()
    for index, juror in enumerate(jurors):
        first = (INSUFFICIENT, f"Pas innovant ({juror.full_name}).") if index == 0 else 4
        second = (INSUFFICIENT, f"Déjà vu ({juror.full_name}).") if index < 2 else 4
        setup.evaluate(juror, one, {innovation: first, usagers: 3, sobriete: 3})
        setup.evaluate(juror, two, {innovation: second, usagers: 3, sobriete: 3})
    return compute_entry_score(one), compute_entry_score(two)


def test_rule_any_eliminates_when_one_juror_judges_a_criterion_insufficient():
    one, two = _three_jurors_one_and_two_insufficient("any")

    assert one.eliminated is True
    assert one.elimination == [
        {"criterion": "Innovation", "jurors": 1, "comments": ["Pas innovant (A)."]}
    ]
    assert two.eliminated is True
    assert two.elimination == [
        {
            "criterion": "Innovation",
            "jurors": 2,
            "comments": ["Déjà vu (A).", "Déjà vu (B)."],
        }
    ]


def test_rule_majority_eliminates_only_when_more_than_half_judge_it_insufficient():
    one, two = _three_jurors_one_and_two_insufficient("majority")

    assert (one.eliminated, one.elimination) == (False, [])
    assert two.eliminated is True
    assert two.elimination == [
        {
            "criterion": "Innovation",
            "jurors": 2,
            "comments": ["Déjà vu (A).", "Déjà vu (B)."],
        }
    ]


def test_rule_majority_is_not_met_by_exactly_half():
    setup = make_setup(rule="majority")
    innovation, usagers, _sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: (INSUFFICIENT, "Non."), usagers: 3})
    setup.evaluate(setup.juror("B"), entry, {innovation: 3, usagers: 3})

    assert compute_entry_score(entry).eliminated is False


def test_rule_all_eliminates_only_when_every_juror_judges_it_insufficient():
    one, two = _three_jurors_one_and_two_insufficient("all")
    assert (one.eliminated, two.eliminated) == (False, False)

    setup = make_setup(rule="all", year=2028)
    _innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {sobriete: (INSUFFICIENT, "Énergivore."), usagers: 2})
    setup.evaluate(setup.juror("B"), entry, {sobriete: (INSUFFICIENT, "Trop lourd."), usagers: 2})

    compute_entry_score(entry)

    assert entry.elimination == [
        {"criterion": "Sobriété numérique", "jurors": 2, "comments": ["Énergivore.", "Trop lourd."]}
    ]
    # Insufficient weighs 0: (0 + 2) / 2.
    assert entry.score == Decimal("1.000")


def test_a_non_eliminatory_criterion_judged_insufficient_only_weighs_zero():
    setup = make_setup(rule="any", eliminatory=(True, False, True))
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(
        setup.juror("A"), entry, {innovation: 4, usagers: (INSUFFICIENT, "Faible."), sobriete: 5}
    )

    compute_entry_score(entry)

    assert (entry.eliminated, entry.elimination, entry.score) == (False, [], Decimal("3.000"))


def test_changing_a_weight_recomputes_the_stored_scores():
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 5, usagers: 2, sobriete: 2})
    compute_entry_score(entry)
    assert entry.score == Decimal("3.000")

    innovation.weight = Decimal("4")
    innovation.save()

    entry.refresh_from_db()
    # (4 × 5 + 2 + 2) / 6 = 4.
    assert entry.score == Decimal("4.000")


def test_making_a_criterion_eliminatory_recomputes_the_elimination():
    setup = make_setup(eliminatory=(True, False, True))
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(
        setup.juror("A"), entry, {innovation: 4, usagers: (INSUFFICIENT, "Faible."), sobriete: 5}
    )
    compute_entry_score(entry)
    assert entry.eliminated is False

    usagers.eliminatory = True
    usagers.save()

    entry.refresh_from_db()
    assert entry.elimination == [{"criterion": "Usagers", "jurors": 1, "comments": ["Faible."]}]


def test_changing_the_round_criteria_recomputes_the_stored_scores():
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 5, usagers: 2, sobriete: 2})
    compute_entry_score(entry)

    setup.round.criteria.set([innovation])

    entry.refresh_from_db()
    assert entry.score == Decimal("5.000")


def test_recompute_edition_updates_every_round():
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier()
    setup.evaluate(setup.juror("A"), entry, {innovation: 1, usagers: 2, sobriete: 3})

    assert recompute_edition(setup.edition) == 1

    entry.refresh_from_db()
    assert entry.score == Decimal("2.000")


@pytest.mark.parametrize("count", [1, 3])
def test_recompute_round_costs_the_same_queries_for_1_and_3_dossiers(
    count, django_assert_num_queries
):
    setup = make_setup()
    innovation, usagers, sobriete = setup.criteria
    juror = setup.juror("A")
    entries = [setup.dossier() for _ in range(count)]
    for entry in entries:
        setup.evaluate(juror, entry, {innovation: 3, usagers: 3, sobriete: (INSUFFICIENT, "Non.")})

    # Entries, round criteria, edition criteria, conflicts, scores, one bulk update.
    with django_assert_num_queries(6):
        assert recompute_round(setup.round) == count

    assert [e.score for e in RoundEntry.objects.filter(round=setup.round)] == [
        Decimal("2.000")
    ] * count


def test_changing_the_edition_s_rule_recomputes_the_eliminations():
    from contests.domain import ForumDetails, update_edition

    one, two = _three_jurors_one_and_two_insufficient("any")
    edition = one.round.edition
    edition.elimination_rule = "majority"
    update_edition(edition, ForumDetails(), by=None)
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.eliminated, two.eliminated) == (False, True)
    edition.elimination_rule = "all"
    update_edition(edition, ForumDetails(), by=None)
    two.refresh_from_db()
    assert (two.eliminated, two.elimination) == (False, [])
