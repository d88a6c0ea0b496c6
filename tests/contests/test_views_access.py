"""Who may open each organiser page: organisers see it, applicants get 403, visitors log in."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

EDITION = {"contest_slug": "label-territoire-innovant", "year": 2027}
PAGES = [
    ("contests:dashboard", {}, "Espace organisateur"),
    (
        "contests:edition_create",
        {"contest_slug": "label-territoire-innovant"},
        "Nouvelle édition du concours Label Territoire Innovant",
    ),
    ("contests:edition_detail", EDITION, "Label Territoire Innovant 2027"),
    ("contests:edition_update", EDITION, "Modifier l'édition Label Territoire Innovant 2027"),
    ("contests:edition_themes", EDITION, "Thèmes de l'édition Label Territoire Innovant 2027"),
    ("contests:edition_criteria", EDITION, "Critères de l'édition Label Territoire Innovant 2027"),
    ("contests:edition_levels", EDITION, "Niveaux de l'édition Label Territoire Innovant 2027"),
    ("contests:edition_phases", EDITION, "Phases de l'édition Label Territoire Innovant 2027"),
    (
        "contests:edition_copy",
        EDITION,
        "Créer une édition à partir de Label Territoire Innovant 2027",
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_organiser_may_open_the_page(organiser_client, edition, name, kwargs, heading):
    response = organiser_client.get(reverse(name, kwargs=kwargs))

    assertContains(response, f"<h1>{heading}</h1>", html=True)


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_applicant_may_not_open_the_page(applicant_client, edition, name, kwargs, heading):
    response = applicant_client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "kwargs", "heading"), PAGES)
def test_visitor_is_sent_to_login(visitor, edition, name, kwargs, heading):
    url = reverse(name, kwargs=kwargs)

    response = visitor.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("contests:edition_create", {"contest_slug": "concours-inconnu"}),
        ("contests:edition_detail", {"contest_slug": "label-territoire-innovant", "year": 1999}),
        ("contests:edition_phases", {"contest_slug": "concours-inconnu", "year": 2027}),
    ],
)
def test_unknown_contest_or_year_is_not_found(organiser_client, edition, name, kwargs):
    assert organiser_client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_applicant_may_not_post_a_copy(applicant_client, edition):
    response = applicant_client.post(
        reverse("contests:edition_copy", kwargs=EDITION), {"year": 2028}
    )

    assert (response.status_code, edition.contest.editions.count()) == (403, 1)
