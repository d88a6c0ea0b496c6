"""After publication, the applicants' dossier page shows the result: the level, the reasons, the
certificate and the project page; nothing of it before (the embargo)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from applications.enums import ApplicationState
from awards.models import Deliberation
from awards.publication import decide_unexamined, publish
from tests.factories import ApplicationFactory

from .publication_setup import (
    BREST_REASON,
    LAUREATE_SLUG,
    QUIMPER_COMMENT,
    SOBRIETY,
    commune,
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

RESULT = '<h2 id="resultat-titre">Résultat</h2>'


def page(client, application):
    return client.get(reverse("applications:detail", kwargs={"reference": application.reference}))


def quimper_client() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="agent@quimper.fr"))
    return client


def test_nothing_of_the_result_shows_before_publication(setup, applicant_client):
    response = page(applicant_client, setup.laureate)

    assert response.status_code == 200
    assertNotContains(response, RESULT, html=True)
    assertNotContains(response, "certificat.pdf")


def test_the_laureate_sees_its_level_certificate_and_project_page(
    setup, organiser, applicant_client
):
    publish(setup.deliberation, by=organiser)

    response = page(applicant_client, setup.laureate)

    assertContains(response, RESULT, html=True)
    assertContains(response, "Le projet est labellisé au palmarès Label Territoire Innovant 2028.")
    assertContains(response, "<dt>Niveau</dt><dd>Or</dd>", html=True)
    assertContains(response, "<dt>Thème</dt><dd>Mobilité</dd>", html=True)
    assertContains(response, f'<a href="/projets/{LAUREATE_SLUG}/">')
    assertContains(response, f'<a href="/projets/{LAUREATE_SLUG}/certificat.pdf">')


def test_a_dossier_not_labelled_shows_the_jury_s_reason(setup, organiser, other_applicant_client):
    publish(setup.deliberation, by=organiser)

    response = page(other_applicant_client, setup.brest)

    assertContains(response, "Le jury n'a pas labellisé le projet.")
    assertContains(response, f'<li class="reason">{escape(BREST_REASON)}</li>')
    assertNotContains(response, "certificat.pdf")


def test_an_eliminated_dossier_shows_the_criterion_and_the_jurors_comment(setup, organiser):
    publish(setup.deliberation, by=organiser)

    response = page(quimper_client(), setup.quimper)

    assertContains(response, "Le dossier a été éliminé : un critère a été jugé insuffisant.")
    assertContains(
        response,
        escape(f"Critère « {SOBRIETY} » jugé insuffisant : {QUIMPER_COMMENT}"),
    )


def test_the_jury_s_reasons_stay_out_when_the_deliberation_says_so(
    setup, organiser, other_applicant_client
):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(send_reasons=False)
    publish(setup.deliberation, by=organiser)

    response = page(other_applicant_client, setup.brest)

    assertContains(response, "Le jury n'a pas labellisé le projet.")
    assertNotContains(response, "Motifs")


def test_a_dossier_no_round_examined_shows_the_organisers_reason(setup, organiser, applicant):
    reason = "Aucune sélection régionale ne couvrait votre région cette année."
    unexamined = ApplicationFactory(
        edition=setup.edition,
        reference="LTI-2028-0005",
        lead_organisation=commune("35238"),  # Rennes: the `applicant` persona's
        state=ApplicationState.SUBMITTED,
    )
    decide_unexamined(setup.deliberation, unexamined, "not_awarded", reason, by=organiser)
    publish(setup.deliberation, by=organiser)
    client = Client()
    client.force_login(applicant)

    response = page(client, unexamined)

    assertContains(response, "L'équipe organisatrice a clos le dossier sans le labelliser.")
    assertContains(response, f'<li class="reason">{reason}</li>')


def test_another_collectivite_sees_no_result_of_the_dossier(
    setup, organiser, other_applicant_client
):
    publish(setup.deliberation, by=organiser)

    assert page(other_applicant_client, setup.laureate).status_code == 404
