"""An elimination has one home before publication: the reasons jury.scoring stores on the round
entry. Every reader (the entry, the round's queries, the deliberation board and its proposal,
publication's outcomes, the result email's reasons) follows when a score lifts it."""

import pytest

from applications.enums import ApplicationState
from awards.deliberation import board, open_deliberation
from awards.publication.emails import elimination_reasons
from awards.publication.outcomes import dossier_outcomes, eliminated_application_ids
from contests.enums import EliminationRule
from contests.models import Edition
from jury.domain.evaluations import CriterionMark, save_evaluation
from jury.models import RoundEntry
from jury.scoring import compute_entry_score
from tests.factories import UserFactory
from tests.jury.scoring_setup import INSUFFICIENT

from .deliberation_setup import REFERENCES, make_deliberated

pytestmark = pytest.mark.django_db

C = REFERENCES["C"]


def shown(case, deliberation) -> dict[str, object]:
    """What each reader says of dossier C."""
    entry = RoundEntry.objects.get(round=case.round, application__reference=C)
    row = next(row for row in board(deliberation, user=None).rows if row.reference == C)
    outcome = next(o for o in dossier_outcomes(deliberation) if o.application.reference == C)
    return {
        "entry": entry.eliminated,
        "round": list(
            RoundEntry.objects.filter(round=case.round)
            .eliminated()
            .values_list("application__reference", flat=True)
        ),
        "board": (row.eliminated, row.proposed_level.code if row.proposed_level else None),
        "publication": entry.application_id in eliminated_application_ids(case.edition),
        "outcome": outcome.state,
        "reasons": elimination_reasons(entry.application),
    }


def test_a_score_that_lifts_the_elimination_changes_everything_that_shows_it():
    # Rule « all »: C is eliminated while Alice, its only evaluator so far, judges « Sobriété
    # numérique » insufficient; Bruno's evaluation, submitted later, lifts it.
    case = make_deliberated("ABD")
    Edition.objects.filter(pk=case.edition.pk).update(elimination_rule=EliminationRule.ALL)
    setup = case.setup
    c1, c2, c3 = setup.criteria
    entry = setup.dossier(C, theme=case.themes["mobilites"], title="Projet C")
    setup.evaluate(case.alice, entry, {c1: 4, c2: 4, c3: (INSUFFICIENT, "Trop énergivore")})
    compute_entry_score(entry)
    assignment = setup.assign(case.bruno, entry)
    deliberation = open_deliberation(
        case.edition, case.round, by=UserFactory(is_organiser=True), normalised=False
    )
    assert shown(case, deliberation) == {
        "entry": True,
        "round": [C],
        "board": (True, None),  # its 3.000 would reach bronze, were it not eliminated
        "publication": True,
        "outcome": ApplicationState.ELIMINATED,
        "reasons": ["Critère « Sobriété numérique » jugé insuffisant : Trop énergivore"],
    }

    save_evaluation(
        assignment,
        {criterion.pk: CriterionMark("4") for criterion in (c1, c2, c3)},
        "",
        expected_version=0,
        by=case.bruno.user,
        submit=True,
    )

    # Mean of Alice's 3 and Bruno's 4: 3.5, the « or » of its theme on the live board; the
    # staged decision (no level) stands until the jury restages, so publication would now give
    # « non labellisé », no longer « éliminé ».
    assert shown(case, deliberation) == {
        "entry": False,
        "round": [],
        "board": (False, "or"),
        "publication": False,
        "outcome": ApplicationState.NOT_AWARDED,
        "reasons": [],
    }
    assert RoundEntry.objects.get(pk=entry.pk).elimination == []
