"""Who may open each organiser page of the dossiers: organisers do, applicants get 403,
visitors are sent to the login page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from contests.models import Contest
from tests.factories import ApplicationFactory, EditionFactory

EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}
REFERENCE = {"reference": "LTI-2026-0001"}
PAGES = [
    (
        "applications:edition_applications",
        EDITION,
        "Dossiers de l'édition Label Territoire Innovant 2026",
    ),
    (
        "applications:mailing",
        EDITION,
        "Écrire aux candidats de l'édition Label Territoire Innovant 2026",
    ),
    (
        "applications:edition_questions",
        EDITION,
        "Questions complémentaires de l'édition Label Territoire Innovant 2026",
    ),
    ("applications:reopen", REFERENCE, "Rouvrir le dossier LTI-2026-0001"),
]


@pytest.fixture
def dossier(db, rennes):
    """A submitted dossier of the Ville de Rennes, the applicant persona's own structure."""
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    return ApplicationFactory(
        edition=edition, reference="LTI-2026-0001", lead_organisation=rennes, state="submitted"
    )


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_organiser_may_open_the_page(organiser_client, dossier, name, kwargs, heading):
    response = organiser_client.get(reverse(name, kwargs=kwargs))

    assertContains(response, f"<h1>{heading}</h1>", html=True)


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_applicant_may_not_open_the_page_even_for_their_own_dossier(
    applicant_client, dossier, name, kwargs, heading
):
    assert applicant_client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_visitor_is_sent_to_login(visitor, dossier, name, kwargs, heading):
    url = reverse(name, kwargs=kwargs)

    response = visitor.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


def test_organiser_may_download_the_csv(organiser_client, dossier):
    response = organiser_client.get(reverse("opendata:applications_csv", kwargs=EDITION))

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "text/csv; charset=utf-8",
        'attachment; filename="dossiers-label-territoire-innovant-2026.csv"',
    )


def test_applicant_may_not_download_the_csv(applicant_client, dossier):
    response = applicant_client.get(reverse("opendata:applications_csv", kwargs=EDITION))

    assert response.status_code == 403


def test_visitor_may_not_download_the_csv(visitor, dossier):
    url = reverse("opendata:applications_csv", kwargs=EDITION)

    assert visitor.get(url).url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("applications:edition_applications", {**EDITION, "year": 1999}),
        ("opendata:applications_csv", {**EDITION, "contest_slug": "inconnu"}),
        ("applications:mailing", {**EDITION, "year": 1999}),
        ("applications:edition_questions", {**EDITION, "contest_slug": "inconnu"}),
        ("applications:reopen", {"reference": "LTI-2026-9999"}),
    ],
)
def test_unknown_edition_or_dossier_is_not_found(organiser_client, dossier, name, kwargs):
    assert organiser_client.get(reverse(name, kwargs=kwargs)).status_code == 404
