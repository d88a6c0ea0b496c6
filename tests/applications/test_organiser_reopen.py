"""Organisers reopen a submitted dossier with a reason; the applicants are told (by the domain)."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

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
