"""Organisers reopen a submitted dossier with a reason; the applicants are told (by the domain)."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertRedirects

from applications.domain import SubmissionRefused, submit_application
from applications.domain.notices import tell_reopened
from applications.enums import ApplicationState
from applications.models import Transition
from contests.models import Contest
from tests.factories import ApplicationFactory, EditionFactory

URL = reverse("applications:reopen", kwargs={"reference": "LTI-2026-0001"})


@pytest.fixture
def dossier(db, rennes):
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    return ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet numérique",
        lead_organisation=rennes,
        state=ApplicationState.SUBMITTED,
    )


def test_organiser_may_reopen_a_submitted_dossier_with_a_reason(
    organiser_client, organiser, dossier, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(URL, {"reason": "Il manque le budget."})

    assertRedirects(response, "/candidatures/LTI-2026-0001/", fetch_redirect_response=False)
    dossier.refresh_from_db()
    transition = Transition.objects.filter(application=dossier).get()
    assert (dossier.state, transition.from_state, transition.by, transition.reason) == (
        ApplicationState.REOPENED,
        ApplicationState.SUBMITTED,
        organiser,
        "Il manque le budget.",
    )
    # The domain tells the applicants; the page does not send a second email.
    assert [message.to for message in mail.outbox] == [["agent@rennes.fr"]]


def test_a_reason_is_required_and_the_dossier_stays_submitted(organiser_client, dossier):
    response = organiser_client.post(URL, {"reason": "   "})

    dossier.refresh_from_db()
    assert (dossier.state, response.context["form"].errors) == (
        ApplicationState.SUBMITTED,
        {"reason": ["Indiquez la raison de la réouverture du dossier."]},
    )
    assertContains(response, "<title>Erreur – Rouvrir le dossier LTI-2026-0001 · Palmarès</title>")


def test_the_form_asks_for_the_reason(organiser_client, dossier):
    response = organiser_client.get(URL)

    assertContains(
        response, '<button type="submit" class="button">Rouvrir le dossier</button>', html=True
    )


@pytest.mark.parametrize("state", [ApplicationState.DRAFT, ApplicationState.REOPENED, "withdrawn"])
def test_a_dossier_that_is_not_submitted_may_not_be_reopened(organiser_client, dossier, state):
    dossier.state = state
    dossier.save()

    response = organiser_client.post(URL, {"reason": "Il manque le budget."})

    dossier.refresh_from_db()
    assert (dossier.state, Transition.objects.filter(application=dossier).count()) == (state, 0)
    assertContains(
        response,
        "Seul un dossier déposé peut être rouvert ; celui-ci est dans l'état « "
        f"{ApplicationState(state).label} ».",
    )


def test_applicant_may_not_reopen_their_own_dossier(applicant_client, dossier):
    response = applicant_client.post(URL, {"reason": "Nous voulons le modifier."})

    dossier.refresh_from_db()
    assert (response.status_code, dossier.state) == (403, ApplicationState.SUBMITTED)


def test_reopening_email_carries_the_link_and_the_new_deadline(
    organiser_client, dossier, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(URL, {"reason": "Il manque le budget.", "until": "2100-02-01T18:00"})

    dossier.refresh_from_db()
    assert timezone.localtime(dossier.reopened_until).isoformat() == "2100-02-01T18:00:00+01:00"
    [message] = mail.outbox
    assert (
        message.subject
        == "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 est rouvert"
    )
    assert message.body == (
        "Bonjour,\n\nL'équipe organisatrice du Label Territoire Innovant 2026 a rouvert le "
        "dossier LTI-2026-0001 « Guichet numérique » pour que vous puissiez le modifier.\n\n"
        "Raison : Il manque le budget.\n\nEt maintenant ? Modifiez le dossier puis déposez-le "
        "de nouveau avant le 1er février 2100 à 18:00 (heure de Paris) :\n"
        "http://127.0.0.1:8000/candidatures/LTI-2026-0001/\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )


def test_a_deadline_in_the_past_is_refused_and_nothing_changes(organiser_client, dossier):
    response = organiser_client.post(URL, {"reason": "Budget.", "until": "2001-02-01T18:00"})

    assertContains(response, "La nouvelle date limite doit être dans le futur.")
    dossier.refresh_from_db()
    assert (dossier.state, dossier.reopened_until, len(mail.outbox)) == (
        ApplicationState.SUBMITTED,
        None,
        0,
    )


def test_a_reopened_dossier_may_not_be_submitted_after_its_new_deadline(dossier, applicant):
    dossier.state = ApplicationState.REOPENED
    dossier.reopened_until = timezone.now() - timedelta(minutes=1)
    dossier.save()

    with pytest.raises(SubmissionRefused) as refusal:
        submit_application(dossier, by=applicant)

    assert refusal.value.message.startswith(
        "Le dossier rouvert devait être déposé de nouveau avant le "
    )
    dossier.refresh_from_db()
    assert dossier.state == ApplicationState.REOPENED


def test_reopening_email_in_english_names_the_contest_without_french_article(
    dossier, applicant, django_capture_on_commit_callbacks
):
    dossier.reopened_until = timezone.make_aware(datetime(2100, 2, 1, 18, 0))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        tell_reopened(dossier, ["agent@rennes.fr"], reason="The budget is missing.")

    [message] = mail.outbox
    assert message.body.startswith(
        "Hello,\n\nThe Label Territoire Innovant 2026 organising team has reopened application "
        "LTI-2026-0001 “Guichet numérique” so that you can edit it."
    ), message.body
    assert message.body.endswith("The Label Territoire Innovant team\nLes Interconnectés")
    assert " du Label" not in message.body and " au Label" not in message.body
