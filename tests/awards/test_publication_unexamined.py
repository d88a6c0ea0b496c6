"""Dossiers no round examined: listed before publication, concluded as the organisers decide.

publication_setup's four dossiers were all examined; two more here were not: Vannes, submitted
and never put in a round, and Lorient, shortlisted for the auditions where nobody sent an
evaluation (its staged decision has neither score nor level).
"""

import pytest
from django.core import mail

from applications.enums import ApplicationState
from applications.models import Transition
from awards.enums import UnexaminedOutcome
from awards.models import Decision, UnexaminedDecision
from awards.publication import (
    PublicationRefused,
    UnexaminedRefused,
    decide_all_undecided,
    decide_unexamined,
    publication_preview,
    publish,
    unexamined_applications,
)
from contests.models import ActivityEntry
from jury.models import Eligibility, RoundEntry
from tests.factories import ApplicationFactory

from .publication_setup import (
    commune,
    fresh_cache_and_files_fixture,  # noqa: F401
    member,
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

VANNES, LORIENT = "LTI-2028-0005", "LTI-2028-0006"
VANNES_REASON = "Le projet n'est pas porté par une collectivité : il ne relève pas du label."
LORIENT_REASON = "Le dossier n'a pu être audité faute de jurés disponibles en temps utile."
UNDECIDED = (
    f"Aucun tour n'a examiné 2 dossiers ({VANNES}, {LORIENT}) : décidez de l'issue de chacun, "
    "avec un motif, avant de publier."
)


@pytest.fixture
def unexamined(setup, applicant):
    """Vannes and Lorient, with one applicant each."""
    edition = setup.edition
    vannes = ApplicationFactory(
        edition=edition,
        reference=VANNES,
        lead_organisation=commune("56260"),
        title="Bornes de recharge partagées",
        state=ApplicationState.SUBMITTED,
        created_by=applicant,
    )
    member(vannes.lead_organisation, "agent@vannes.fr")
    lorient = ApplicationFactory(
        edition=edition,
        reference=LORIENT,
        lead_organisation=commune("56121"),
        title="Conciergerie numérique",
        state=ApplicationState.SHORTLISTED,
        created_by=applicant,
    )
    member(lorient.lead_organisation, "agent@lorient.fr")
    RoundEntry.objects.create(round=setup.deliberation.round, application=lorient)
    Decision.objects.create(deliberation=setup.deliberation, application=lorient)
    return vannes, lorient


def test_the_dossiers_no_round_examined_are_listed_and_stop_publication(setup, unexamined):
    preview = publication_preview(setup.deliberation)

    assert [a.reference for a in unexamined_applications(setup.deliberation)] == [VANNES, LORIENT]
    assert [(row.application.reference, row.decision) for row in preview.unexamined] == [
        (VANNES, None),
        (LORIENT, None),
    ]
    assert preview.blocking == [UNDECIDED]


def test_publication_is_refused_while_one_is_undecided_and_changes_nothing(
    setup, unexamined, organiser
):
    vannes, _lorient = unexamined
    decide_unexamined(
        setup.deliberation, vannes, UnexaminedOutcome.NOT_AWARDED, VANNES_REASON, by=organiser
    )

    with pytest.raises(PublicationRefused) as refused:
        publish(setup.deliberation, by=organiser)

    assert str(refused.value) == (
        f"Aucun tour n'a examiné le dossier {LORIENT} : décidez de son issue, avec un motif, "
        "avant de publier."
    )
    vannes.refresh_from_db()
    assert vannes.state == ApplicationState.SUBMITTED


def test_publication_concludes_them_as_decided_with_their_reasons(setup, unexamined, organiser):
    vannes, lorient = unexamined
    decide_unexamined(
        setup.deliberation, vannes, UnexaminedOutcome.INELIGIBLE, VANNES_REASON, by=organiser
    )
    decide_unexamined(
        setup.deliberation, lorient, UnexaminedOutcome.NOT_AWARDED, LORIENT_REASON, by=organiser
    )

    publish(setup.deliberation, by=organiser)

    last = {
        t.application.reference: (t.to_state, t.reason)
        for t in Transition.objects.filter(application__in=unexamined).order_by("pk")
    }
    assert last == {
        VANNES: (ApplicationState.INELIGIBLE, VANNES_REASON),
        LORIENT: (ApplicationState.NOT_AWARDED, LORIENT_REASON),
    }
    eligibility = Eligibility.objects.get(application=vannes)
    assert (eligibility.eligible, eligibility.reason, eligibility.decided_by) == (
        False,
        VANNES_REASON,
        organiser,
    )
    entry = ActivityEntry.objects.get(action="awards.published")
    assert (entry.details["ineligible"], entry.details["unexamined"]) == (
        1,
        {VANNES: "ineligible", LORIENT: "not_awarded"},
    )


def test_a_decision_is_logged_and_may_be_changed_before_publication(setup, unexamined, organiser):
    vannes, _lorient = unexamined

    decide_unexamined(setup.deliberation, vannes, "not_awarded", "Premier motif.", by=organiser)
    decide_unexamined(setup.deliberation, vannes, "ineligible", f"  {VANNES_REASON} ", by=organiser)

    decision = UnexaminedDecision.objects.get()
    assert (decision.outcome, decision.reason, decision.decided_by) == (
        "ineligible",
        VANNES_REASON,
        organiser,
    )
    logged = ActivityEntry.objects.filter(action="awards.unexamined_decided").order_by("pk")
    assert [(e.subject, e.details) for e in logged] == [
        (VANNES, {"outcome": "not_awarded", "reason": "Premier motif."}),
        (VANNES, {"outcome": "ineligible", "reason": VANNES_REASON}),
    ]


def test_a_decision_needs_a_reason(setup, unexamined, organiser):
    vannes, _lorient = unexamined

    with pytest.raises(UnexaminedRefused) as refused:
        decide_unexamined(setup.deliberation, vannes, "not_awarded", "  ", by=organiser)

    assert refused.value.message == (
        "Indiquez le motif : il sera communiqué aux candidats avec le résultat."
    )
    assert not UnexaminedDecision.objects.exists()


def test_a_shortlisted_dossier_may_not_be_declared_ineligible(setup, unexamined, organiser):
    _vannes, lorient = unexamined

    with pytest.raises(UnexaminedRefused) as refused:
        decide_unexamined(setup.deliberation, lorient, "ineligible", LORIENT_REASON, by=organiser)

    assert refused.value.message == (
        f"Le dossier {LORIENT} est « Retenu pour l'audition » : il ne peut plus être déclaré "
        "irrecevable. Choisissez « non labellisé »."
    )


def test_an_examined_dossier_is_the_jury_s_to_decide(setup, unexamined, organiser):
    with pytest.raises(UnexaminedRefused) as refused:
        decide_unexamined(setup.deliberation, setup.brest, "not_awarded", "Non.", by=organiser)

    assert refused.value.message == "Le dossier LTI-2028-0003 a été examiné : le jury en décide."


def test_the_applicants_are_told_the_organisers_reason_whatever_send_reasons(
    setup, unexamined, organiser, django_capture_on_commit_callbacks
):
    vannes, lorient = unexamined
    setup.deliberation.send_reasons = False
    setup.deliberation.save(update_fields=["send_reasons"])
    decide_unexamined(setup.deliberation, vannes, "ineligible", VANNES_REASON, by=organiser)
    decide_unexamined(setup.deliberation, lorient, "not_awarded", LORIENT_REASON, by=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert bodies["agent@vannes.fr"] == (
        "Bonjour,\n\n"
        "L'équipe organisatrice du Label Territoire Innovant 2028 a déclaré le projet "
        f"« Bornes de recharge partagées » (dossier {VANNES}) irrecevable.\n\n"
        f"Motifs :\n- {VANNES_REASON}\n\n"
        "Merci pour votre candidature.\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )
    assert bodies["agent@lorient.fr"] == (
        "Bonjour,\n\n"
        "L'équipe organisatrice du Label Territoire Innovant 2028 a clos le dossier du projet "
        f"« Conciergerie numérique » (dossier {LORIENT}) sans le labelliser.\n\n"
        f"Motifs :\n- {LORIENT_REASON}\n\n"
        "Merci pour votre candidature.\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )
    # The jury's reasons stay out when the deliberation says so.
    assert "Motifs" not in bodies["agent@brest.fr"]


def test_deciding_for_all_decides_the_undecided_only_and_says_when_none_is_left(
    setup, unexamined, organiser
):
    vannes, lorient = unexamined
    decide_unexamined(setup.deliberation, lorient, "not_awarded", LORIENT_REASON, by=organiser)

    decided = decide_all_undecided(setup.deliberation, "ineligible", VANNES_REASON, by=organiser)
    with pytest.raises(UnexaminedRefused) as refused:
        decide_all_undecided(setup.deliberation, "not_awarded", "Encore.", by=organiser)

    assert decided == [VANNES]
    assert sorted(UnexaminedDecision.objects.values_list("application", "outcome")) == [
        (vannes.pk, "ineligible"),
        (lorient.pk, "not_awarded"),
    ]
    assert refused.value.message == "Aucun dossier non examiné n'attend de décision."
