"""The deliberation's domain: board values, proposals, decisions, what-if, validation, log."""

from decimal import Decimal

import numpy as np
import pytest

from awards import aggregation
from awards.deliberation import (
    DeliberationError,
    DeliberationFrozen,
    board,
    change_decision,
    open_deliberation,
    stage_decisions,
    validate,
    what_if,
)
from awards.enums import DeliberationState, ScoreMethod
from awards.models import Decision
from contests.activity import verify
from contests.models import ActivityEntry
from jury.models import CriterionScore
from tests.factories import UserFactory
from tests.jury.factories import ConflictFactory

from .deliberation_setup import REFERENCES, make_deliberated

D = Decimal
pytestmark = pytest.mark.django_db


def _open(case, **settings):
    settings.setdefault("normalised", False)
    return open_deliberation(
        case.edition, case.round, by=UserFactory(is_organiser=True), **settings
    )


def _rows(the_board):
    return {row.reference: row for row in the_board.rows}


def _level_codes(the_board):
    return {
        row.reference: row.proposed_level.code if row.proposed_level else None
        for row in the_board.rows
    }


def test_board_values_on_a_hand_made_round():
    case = make_deliberated()
    deliberation = _open(case)

    the_board = board(deliberation, user=None)

    assert [group.theme.name for group in the_board.groups] == ["Services", "Mobilités"]
    services = the_board.groups[0]
    assert [row.reference for row in services.rows] == [
        REFERENCES["D"],
        REFERENCES["A"],
        REFERENCES["B"],
    ]
    assert [row.rank for row in services.rows] == [1, 2, 3]
    rows = _rows(the_board)
    a, b, c, d = (rows[REFERENCES[key]] for key in "ABCD")
    assert (a.jurors, a.raw.score, a.deviation, a.spread, a.flagged) == (
        3,
        D("3.667"),
        D("0.577"),
        D("1.000"),
        False,
    )
    assert (b.raw.score, b.deviation, b.spread, b.flagged) == (
        D("3.333"),
        D("1.528"),
        D("3.000"),
        True,
    )
    assert (d.raw.score, d.deviation, d.spread, d.raw.lower, d.raw.upper) == (
        D("4.000"),
        D("0.000"),
        D("0.000"),
        D("4.000"),
        D("4.000"),
    )
    # Two jurors (3 and 4): a quarter of the resamples give 3, a quarter 4.
    assert (c.jurors, c.raw.score, c.raw.lower, c.raw.upper) == (
        2,
        D("3.500"),
        D("3.000"),
        D("4.000"),
    )
    assert c.eliminated is True
    assert c.elimination == [
        {"criterion": "Sobriété numérique", "jurors": 1, "comments": ["Trop énergivore"]}
    ]
    # The other intervals are the aggregation's percentile bootstrap over the jurors' totals.
    lower, upper = aggregation.bootstrap_interval(np.array([[4.0, 4.0, 3.0], [2.0, 5.0, 3.0]]))
    assert (a.raw.lower, a.raw.upper) == (D(f"{lower[0]:.3f}"), D(f"{upper[0]:.3f}"))
    assert (b.raw.lower, b.raw.upper) == (D(f"{lower[1]:.3f}"), D(f"{upper[1]:.3f}"))
    # The board's mean is the stored score of jury.scoring when every criterion is scored.
    assert case.entries["A"].score == D("3.667")


def test_proposals_give_one_or_per_theme_and_nothing_to_the_eliminated():
    case = make_deliberated()
    deliberation = _open(case)

    assert _level_codes(board(deliberation, user=None)) == {
        REFERENCES["D"]: "or",
        REFERENCES["A"]: "argent",  # 3.667 reaches or's 3.5, but its theme's one or is taken
        REFERENCES["B"]: "argent",
        REFERENCES["C"]: None,  # eliminated
    }
    decisions = {
        d.application.reference: (d.proposed_level.code if d.proposed_level else None, d.level)
        for d in Decision.objects.select_related("application", "proposed_level", "level")
    }
    assert decisions[REFERENCES["D"]] == ("or", case.levels["or"])
    assert decisions[REFERENCES["C"]] == (None, None)
    assert Decision.objects.get(application=case.application("A")).score == D("3.667")


@pytest.mark.parametrize("rows_per_insert", [1, 3, 1000])
def test_opening_inserts_every_decision_whatever_the_rows_per_statement(
    monkeypatch, rows_per_insert
):
    monkeypatch.setattr("awards.deliberation.ROWS_PER_INSERT", rows_per_insert)
    case = make_deliberated()
    deliberation = _open(case)

    staged = {
        decision.application.reference: decision.score
        for decision in Decision.objects.filter(deliberation=deliberation).select_related(
            "application"
        )
    }
    assert sorted(staged) == sorted(REFERENCES.values())
    assert staged[REFERENCES["A"]] == D("3.667")


def test_a_round_without_criteria_shows_its_dossiers_unscored():
    case = make_deliberated()
    CriterionScore.objects.all().delete()
    case.round.criteria.clear()
    case.edition.criteria.all().delete()
    deliberation = _open(case)

    rows = _rows(board(deliberation, user=None))

    assert sorted(rows) == sorted(REFERENCES.values())
    assert {row.jurors for row in rows.values()} == {0}
    assert {row.raw.score for row in rows.values()} == {None}


def test_normalisation_corrects_a_severe_juror():
    case = make_deliberated("")
    setup = case.setup
    c1, c2, c3 = setup.criteria
    entries = [
        setup.dossier(f"LTI-2028-00{n}", theme=case.themes["services"]) for n in (11, 12, 13)
    ]
    for entry, (alice, bruno) in zip(entries, ((2, 4), (3, 5), (1, None)), strict=True):
        setup.evaluate(case.alice, entry, {c1: alice, c2: alice, c3: alice})
        if bruno is not None:
            setup.evaluate(case.bruno, entry, {c1: bruno, c2: bruno, c3: bruno})
    deliberation = _open(case, normalised=True)

    rows = _rows(board(deliberation, user=None))

    # Alice marks one point below Bruno: her bias is −1, his +1.
    assert [
        (rows[e.application.reference].raw.score, rows[e.application.reference].normalised.score)
        for e in entries
    ] == [
        (D("3.000"), D("3.000")),
        (D("4.000"), D("4.000")),
        (D("1.000"), D("2.000")),
    ]
    assert (
        rows["LTI-2028-0013"].normalised.lower
        == rows["LTI-2028-0013"].normalised.upper
        == D("2.000")
    )
    assert rows["LTI-2028-0013"].score == D("2.000")  # the proposal uses the corrected score


def test_change_decision_needs_a_reason_when_it_differs_from_the_proposal():
    case = make_deliberated()
    _open(case)
    decision = Decision.objects.get(application=case.application("B"))
    juror = case.chloe.user

    with pytest.raises(DeliberationError) as refused:
        change_decision(decision, case.levels["or"], "  ", by=juror)

    assert refused.value.message == (
        "Le niveau choisi diffère du niveau proposé (Argent) : indiquez le motif de ce changement."
    )
    decision.refresh_from_db()
    assert decision.level == case.levels["argent"]
    change_decision(
        decision, case.levels["or"], "Projet exemplaire pour les petites communes.", by=juror
    )
    decision.refresh_from_db()
    assert (decision.level, decision.reason, decision.decided_by) == (
        case.levels["or"],
        "Projet exemplaire pour les petites communes.",
        juror,
    )
    entry = ActivityEntry.objects.filter(action="decision_changed").get()
    assert (entry.subject, entry.details) == (
        REFERENCES["B"],
        {
            "old": "argent",
            "new": "or",
            "proposed": "argent",
            "reason": "Projet exemplaire pour les petites communes.",
            # B (3.333) is below the or's 3.5, and D already holds the theme's one or.
            "beyond_rules": ["below_minimum", "above_maximum"],
        },
    )
    # The proposal itself needs no reason.
    change_decision(decision, case.levels["argent"], "", by=juror)
    decision.refresh_from_db()
    assert (decision.level, decision.reason) == (case.levels["argent"], "")


def test_restaging_keeps_a_decision_changed_by_hand():
    case = make_deliberated()
    deliberation = _open(case)
    decision = Decision.objects.get(application=case.application("A"))
    change_decision(
        decision, case.levels["bronze"], "Déploiement encore partiel.", by=case.alice.user
    )

    staging = stage_decisions(deliberation, by=UserFactory(is_organiser=True))

    decision.refresh_from_db()
    assert (decision.proposed_level, decision.level) == (
        case.levels["argent"],
        case.levels["bronze"],
    )
    assert (staging.created, staging.updated, staging.removed) == ([], [], [])


def test_what_if_median_changes_levels_on_a_hand_made_case():
    case = make_deliberated()
    deliberation = _open(case)

    changes = what_if(
        deliberation, method=ScoreMethod.MEDIAN, normalised=False, leave_out_juror=None
    )

    summary = [
        (c.reference, c.current.code if c.current else None, c.what_if.code if c.what_if else None)
        for c in changes
    ]
    # A and D tie at 4 for the theme's one or: both go down to argent; B's median is 3.
    assert summary == [(REFERENCES["B"], "argent", "bronze"), (REFERENCES["D"], "or", "argent")]


def test_what_if_leaving_one_juror_out_changes_a_level():
    case = make_deliberated()
    deliberation = _open(case)

    changes = what_if(
        deliberation, method=ScoreMethod.MEAN, normalised=False, leave_out_juror=case.bruno
    )

    assert [(c.reference, c.current.code, c.what_if.code) for c in changes] == [
        (REFERENCES["B"], "argent", "bronze")  # (2 + 3) / 2 = 2.5
    ]
    assert what_if(deliberation, method=ScoreMethod.MEAN, normalised=False) == []


def test_conflicted_juror_sees_no_row_of_the_dossier():
    case = make_deliberated()
    deliberation = _open(case)
    # A fourth juror of the round, in conflict with B, which they did not evaluate.
    dana = case.setup.juror("Dana")
    ConflictFactory(juror=dana, application=case.application("B"))

    seen = board(deliberation, user=dana.user)
    everyone = board(deliberation, user=None)
    changes = what_if(deliberation, method=ScoreMethod.MEDIAN, user=dana.user)

    # B's theme is veiled (awards.rules): its other dossiers by reference, without rank or level;
    # the median's changes (D, B) are all there, so Dana is told of none.
    assert [row.reference for row in seen.rows] == [REFERENCES[k] for k in "ADC"]
    assert [(g.theme.name, g.veiled) for g in seen.groups] == [
        ("Services", True),
        ("Mobilités", False),
    ]
    assert changes == []
    assert _level_codes(seen) == {
        REFERENCES["A"]: None,
        REFERENCES["D"]: None,
        REFERENCES["C"]: None,
    }
    assert {row.rank for row in seen.groups[0].rows} == {0}
    # B still takes its place in the proposals, and the others keep their scores.
    assert _level_codes(everyone)[REFERENCES["A"]] == "argent"
    assert _rows(seen)[REFERENCES["A"]].raw == _rows(everyone)[REFERENCES["A"]].raw


def test_validation_freezes_and_fingerprints_the_log():
    case = make_deliberated()
    deliberation = _open(case)
    president = case.alice.user
    decision = Decision.objects.get(application=case.application("B"))
    change_decision(decision, case.levels["bronze"], "Trop peu d'usagers.", by=case.bruno.user)

    validate(deliberation, by=president)

    deliberation.refresh_from_db()
    last = ActivityEntry.objects.order_by("-pk").first()
    assert (deliberation.state, deliberation.validated_by, last.action) == (
        DeliberationState.VALIDATED,
        president,
        "deliberation_validated",
    )
    assert deliberation.validated_at is not None
    assert deliberation.log_fingerprint == last.entry_hash
    assert last.details == {
        "decisions": {
            REFERENCES["A"]: "argent",
            REFERENCES["B"]: "bronze",
            REFERENCES["C"]: "",
            REFERENCES["D"]: "or",
        }
    }
    with pytest.raises(DeliberationFrozen):
        change_decision(decision, case.levels["or"], "Trop tard.", by=president)
    with pytest.raises(DeliberationFrozen):
        stage_decisions(deliberation, by=president)
    with pytest.raises(DeliberationFrozen):
        validate(deliberation, by=president)
    decision.refresh_from_db()
    assert decision.level == case.levels["bronze"]
    actions = list(
        ActivityEntry.objects.filter(edition=case.edition, action__contains="decision")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["decisions_staged", "decision_changed"]
    assert ActivityEntry.objects.filter(action="deliberation_opened", subject="bretagne").exists()
    assert verify() is None


def test_opening_twice_is_refused():
    case = make_deliberated("A")
    _open(case)

    with pytest.raises(DeliberationError) as refused:
        _open(case)

    assert refused.value.message == "La délibération de cette édition est déjà ouverte."


def test_a_round_without_any_evaluation_opens_with_no_level_proposed():
    from awards.deliberation import open_deliberation
    from awards.deliberation_board import board
    from tests.factories import UserFactory
    from tests.jury.scoring_setup import make_setup

    setup = make_setup()
    entry = setup.dossier()
    organiser = UserFactory(is_organiser=True)
    deliberation = open_deliberation(setup.round.edition, setup.round, by=organiser)
    decision = deliberation.decisions.get()
    assert (decision.application_id, decision.score, decision.level) == (
        entry.application_id,
        None,
        None,
    )
    rows = board(deliberation, user=organiser).rows
    assert [row.application.reference for row in rows] == [entry.application.reference]
