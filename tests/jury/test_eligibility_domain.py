"""jury.domain.eligibility: decisions, state changes, emails to the applicants, the log."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.enums import ApplicationState
from applications.models import Transition
from contests.enums import PhaseKind
from contests.models import ActivityEntry, Contest
from jury.domain.eligibility import (
    EligibilityRefused,
    decide_eligibility,
    eligibility_candidates,
    mark_undecided_eligible,
)
from jury.models import Eligibility
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    PhaseFactory,
)

from .factories import EligibilityFactory, RoundEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db

FUTURE = datetime(2100, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
REASON = "Le projet n'est pas porté par une collectivité."


@pytest.fixture
def edition():
    return EditionFactory(contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026)


@pytest.fixture
def dossier(edition, rennes, brest, applicant, other_applicant):
    """A submitted dossier of Rennes with Brest as partner: two applicants to tell."""
    application = ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet numérique",
        lead_organisation=rennes,
        state=ApplicationState.SUBMITTED,
    )
    ApplicationPartnerFactory(application=application, organisation=brest)
    return application


def _entries(action):
    return list(ActivityEntry.objects.filter(action=action).values("subject", "details"))


def test_ineligible_needs_a_reason(dossier, organiser):
    with pytest.raises(EligibilityRefused) as refusal:
        decide_eligibility(dossier, eligible=False, reason="  ", by=organiser)

    dossier.refresh_from_db()
    assert (refusal.value.message, dossier.state, Eligibility.objects.count()) == (
        "Indiquez le motif de l'irrecevabilité.",
        ApplicationState.SUBMITTED,
        0,
    )


def test_ineligible_changes_state_logs_and_tells_each_applicant(
    dossier, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide_eligibility(dossier, eligible=False, reason=REASON, by=organiser)

    dossier.refresh_from_db()
    transition = Transition.objects.get(application=dossier)
    assert (dossier.state, transition.from_state, transition.reason, transition.by) == (
        ApplicationState.INELIGIBLE,
        ApplicationState.SUBMITTED,
        REASON,
        organiser,
    )
    assert (decision.eligible, decision.reason, decision.decided_by) == (False, REASON, organiser)
    assert _entries("jury.eligibility_decided") == [
        {
            "subject": "LTI-2026-0001",
            "details": {"eligible": False, "reason": REASON, "previous": None},
        }
    ]
    assert [message.to for message in mailoutbox] == [["agent@brest.fr"], ["agent@rennes.fr"]]
    message = mailoutbox[0]
    assert message.subject == (
        "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 n'est pas recevable"
    )
    assert message.body == (
        "Bonjour,\n\nL'équipe organisatrice a examiné le dossier LTI-2026-0001 « Guichet "
        "numérique » déposé au Label Territoire Innovant 2026 : il n'est pas recevable et ne "
        "poursuit pas la sélection.\n\nMotif : Le projet n'est pas porté par une collectivité."
        "\n\nEt maintenant ? Le dossier reste consultable ; si vous pensez que cette décision "
        "repose sur une erreur, répondez à l'équipe organisatrice, qui peut la corriger :\n"
        "http://127.0.0.1:8000/candidatures/LTI-2026-0001/\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )


def test_no_email_leaves_before_commit(dossier, organiser, mailoutbox):
    decide_eligibility(dossier, eligible=False, reason=REASON, by=organiser)

    assert mailoutbox == []


def test_eligible_keeps_the_dossier_submitted_and_tells_what_comes_next(
    dossier, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    PhaseFactory(edition=edition, kind=PhaseKind.JURY_SCORING, starts_at=FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide_eligibility(dossier, eligible=True, reason="ignoré", by=organiser)

    dossier.refresh_from_db()
    assert (dossier.state, decision.eligible, decision.reason) == (
        ApplicationState.SUBMITTED,
        True,
        "",
    )
    assert Transition.objects.filter(application=dossier).count() == 0
    assert _entries("jury.eligibility_decided") == [
        {"subject": "LTI-2026-0001", "details": {"eligible": True, "reason": "", "previous": None}}
    ]
    assert [(m.subject, m.to) for m in mailoutbox] == [
        (
            "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 est recevable",
            ["agent@brest.fr"],
        ),
        (
            "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 est recevable",
            ["agent@rennes.fr"],
        ),
    ]
    assert mailoutbox[0].body == (
        "Bonjour,\n\nL'équipe organisatrice a examiné le dossier LTI-2026-0001 « Guichet "
        "numérique » déposé au Label Territoire Innovant 2026 : il est recevable et poursuit la "
        "sélection.\n\nEt maintenant ? Rien à faire pour l'instant : le jury examine les "
        "dossiers recevables et vous serez informés par courriel de la suite.\n\n"
        "Prochaines étapes de l'édition :\n- Notation du jury : à partir du 1er mars 2100\n\n"
        "Suivre le dossier : http://127.0.0.1:8000/candidatures/LTI-2026-0001/\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )


def test_correcting_to_eligible_resubmits_and_tells_the_applicants(
    dossier, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    decide_eligibility(dossier, eligible=False, reason=REASON, by=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        decide_eligibility(dossier, eligible=True, by=organiser)

    dossier.refresh_from_db()
    states = list(
        Transition.objects.filter(application=dossier)
        .order_by("pk")
        .values_list("from_state", "to_state")
    )
    assert (dossier.state, states) == (
        ApplicationState.SUBMITTED,
        [("submitted", "ineligible"), ("ineligible", "submitted")],
    )
    assert Eligibility.objects.get(application=dossier).eligible is True
    assert [(m.subject, m.to) for m in mailoutbox] == [
        (
            "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 est recevable",
            ["agent@brest.fr"],
        ),
        (
            "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 est recevable",
            ["agent@rennes.fr"],
        ),
    ]
    assert "L'équipe organisatrice a revu sa décision" in mailoutbox[0].body
    assert [e["details"]["previous"] for e in _entries("jury.eligibility_decided")] == [
        None,
        {"eligible": False},
    ]


def test_the_same_decision_twice_changes_nothing(dossier, organiser):
    decide_eligibility(dossier, eligible=True, by=organiser)
    decide_eligibility(dossier, eligible=True, by=organiser)

    assert ActivityEntry.objects.filter(action="jury.eligibility_decided").count() == 1


def test_a_new_reason_for_an_ineligible_dossier_is_logged_and_sent_again(
    dossier, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    decide_eligibility(dossier, eligible=False, reason=REASON, by=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        decide_eligibility(dossier, eligible=False, reason="Hors délai.", by=organiser)

    dossier.refresh_from_db()
    assert (dossier.state, Eligibility.objects.get().reason, len(mailoutbox)) == (
        ApplicationState.INELIGIBLE,
        "Hors délai.",
        2,
    )
    assert "Motif : Hors délai." in mailoutbox[0].body


@pytest.mark.parametrize("state", [ApplicationState.DRAFT, ApplicationState.WITHDRAWN])
def test_a_dossier_not_submitted_may_not_be_decided(dossier, organiser, state):
    dossier.state = state
    dossier.save()

    with pytest.raises(EligibilityRefused) as refusal:
        decide_eligibility(dossier, eligible=True, by=organiser)

    assert refusal.value.message == (
        "La recevabilité du dossier LTI-2026-0001 ne peut plus changer : il est dans l'état "
        f"« {ApplicationState(state).label} »."
    )


def test_a_dossier_in_a_round_may_not_become_ineligible(dossier, organiser):
    EligibilityFactory(application=dossier, eligible=True)
    RoundEntryFactory(
        round=RoundFactory(edition=dossier.edition, name="Bretagne"), application=dossier
    )

    with pytest.raises(EligibilityRefused) as refusal:
        decide_eligibility(dossier, eligible=False, reason=REASON, by=organiser)

    dossier.refresh_from_db()
    assert (refusal.value.message, dossier.state) == (
        "Le dossier LTI-2026-0001 figure déjà dans le tour « Bretagne » : il ne peut plus être "
        "déclaré irrecevable.",
        ApplicationState.SUBMITTED,
    )


def test_mark_undecided_eligible_skips_decided_and_unsubmitted(edition, dossier, organiser, rennes):
    decided = ApplicationFactory(
        edition=edition, reference="LTI-2026-0002", state=ApplicationState.SUBMITTED
    )
    EligibilityFactory(application=decided, eligible=True)
    ApplicationFactory(edition=edition, reference="LTI-2026-0003", state=ApplicationState.DRAFT)
    undecided = ApplicationFactory(
        edition=edition, reference="LTI-2026-0009", state=ApplicationState.SUBMITTED
    )

    done = mark_undecided_eligible(
        eligibility_candidates(edition).order_by("reference"), by=organiser
    )

    assert done == ["LTI-2026-0001", "LTI-2026-0009"]
    assert set(Eligibility.objects.filter(eligible=True).values_list("application", flat=True)) == {
        dossier.pk,
        decided.pk,
        undecided.pk,
    }
    assert ActivityEntry.objects.filter(action="jury.eligibility_decided").count() == 2


def test_candidates_are_submitted_ineligible_or_decided(edition, dossier):
    def make(reference, state, **kwargs):
        return ApplicationFactory(reference=reference, state=state, **kwargs)

    ineligible = make("LTI-2026-0002", ApplicationState.INELIGIBLE, edition=edition)
    moved_on = make("LTI-2026-0003", ApplicationState.ELIMINATED, edition=edition)
    EligibilityFactory(application=moved_on)
    make("LTI-2026-0004", ApplicationState.DRAFT, edition=edition)
    make("LTI-2026-0005", ApplicationState.ELIMINATED, edition=edition)
    make("LTI-2030-0001", ApplicationState.SUBMITTED)  # another edition

    assert set(eligibility_candidates(edition)) == {dossier, ineligible, moved_on}
