"""The formset pages: themes, criteria, levels and phases of an edition."""

from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from contests.enums import PhaseKind
from tests.factories import AwardFactory

from .conftest import paris
from .formsets import formset_data

EDITION_2027 = "/organisation/concours/label-territoire-innovant/2027/"


def page_data(client, page: str) -> dict[str, str]:
    """What the browser would post back untouched."""
    return formset_data(client.get(f"{EDITION_2027}{page}/").context["formset"])


def test_themes_page_adds_a_theme_in_the_empty_row(organiser_client, edition):
    data = page_data(organiser_client, "themes")
    data.update({"themes-0-name": "Inclusion numérique", "themes-0-position": "1"})

    response = organiser_client.post(f"{EDITION_2027}themes/", data)

    assertRedirects(response, f"{EDITION_2027}themes/")
    assert list(edition.themes.values_list("name", "slug", "position")) == [
        ("Inclusion numérique", "inclusion-numerique", 1)
    ]


def test_themes_page_refuses_two_themes_with_one_name(organiser_client, edition):
    edition.themes.create(name="Données", slug="donnees")
    data = page_data(organiser_client, "themes")
    data.update({"themes-1-name": "données", "themes-1-slug": "data"})

    response = organiser_client.post(f"{EDITION_2027}themes/", data)

    assert response.context["formset"].errors == [
        {},
        {"name": ["Un autre thème porte déjà ce nom."]},
    ]
    assertContains(response, 'value="données"')
    assert edition.themes.count() == 1


def test_criteria_page_refuses_a_zero_weight_and_keeps_the_input(organiser_client, edition):
    data = page_data(organiser_client, "criteres")
    data.update({"criteria-0-weight": "0", "criteria-0-description": "Texte tapé à garder"})

    response = organiser_client.post(f"{EDITION_2027}criteres/", data)

    assert response.context["formset"].errors[0] == {
        "weight": ["Le poids doit être strictement positif."]
    }
    assertContains(response, "Texte tapé à garder</textarea>")
    assertContains(response, 'name="criteria-0-weight" value="0"')
    assert edition.criteria.get(name="L'innovation").weight == Decimal("1.00")


def test_criteria_page_refuses_a_repeated_name(organiser_client, edition):
    data = page_data(organiser_client, "criteres")
    data["criteria-1-name"] = "L'innovation"

    response = organiser_client.post(f"{EDITION_2027}criteres/", data)

    assert response.context["formset"].errors[1] == {
        "name": ["Un autre critère porte déjà ce nom."]
    }


def test_criteria_page_removes_and_adds_rows(organiser_client, edition):
    data = page_data(organiser_client, "criteres")
    data["criteria-5-DELETE"] = "on"
    data.update(
        {
            "criteria-6-name": "Impact social",
            "criteria-6-weight": "2",
            "criteria-6-position": "7",
        }
    )

    response = organiser_client.post(f"{EDITION_2027}criteres/", data)

    assertRedirects(response, f"{EDITION_2027}criteres/")
    assert list(edition.criteria.values_list("name", "weight", "eliminatory"))[-2:] == [
        ("L'utilité / efficacité", Decimal("1.00"), True),
        ("Impact social", Decimal("2.00"), True),  # the new row's box comes checked
    ]
    assert edition.criteria.count() == 6


def test_levels_page_swaps_two_ranks(organiser_client, edition):
    data = page_data(organiser_client, "niveaux")
    data.update({"levels-0-rank": "2", "levels-1-rank": "1"})

    response = organiser_client.post(f"{EDITION_2027}niveaux/", data)

    assertRedirects(response, f"{EDITION_2027}niveaux/")
    assert list(edition.levels.values_list("code", "rank")) == [
        ("argent", 1),
        ("or", 2),
        ("bronze", 3),
    ]


def test_levels_page_refuses_a_repeated_rank(organiser_client, edition):
    data = page_data(organiser_client, "niveaux")
    data["levels-2-rank"] = "1"

    response = organiser_client.post(f"{EDITION_2027}niveaux/", data)

    assert response.context["formset"].errors[2] == {"rank": ["Un autre niveau a déjà ce rang."]}
    assertContains(response, 'name="levels-2-rank" value="1"')


def test_levels_page_refuses_to_delete_an_awarded_level(organiser_client, edition):
    AwardFactory(edition=edition, level=edition.levels.get(code="or"))
    data = page_data(organiser_client, "niveaux")
    data["levels-0-DELETE"] = "on"

    response = organiser_client.post(f"{EDITION_2027}niveaux/", data)

    assert response.context["formset"].non_form_errors() == [
        "Le niveau « Or » a des lauréats : il ne peut pas être supprimé."
    ]
    assert edition.levels.count() == 3


def test_phases_page_moves_a_phase(organiser_client, edition):
    data = page_data(organiser_client, "phases")
    data["phases-5-starts_at"] = "2027-03-02T14:30"

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assertRedirects(response, f"{EDITION_2027}phases/")
    assert edition.phases.get(kind=PhaseKind.AUDITIONS).starts_at == paris(2027, 3, 2, 14, 30)


def test_phases_page_refuses_dates_out_of_lifecycle_order(organiser_client, edition):
    data = page_data(organiser_client, "phases")
    data["phases-2-starts_at"] = "2026-09-30T18:00"  # applications closed before they open

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assert response.context["formset"].errors[2] == {
        "starts_at": [
            "Cette phase doit commencer après « Candidatures ouvertes » (01/10/2026 09:00)."
        ]
    }
    assertContains(response, 'value="2026-09-30T18:00"')
    assert edition.phases.get(kind=PhaseKind.APPLICATIONS_CLOSED).starts_at == paris(
        2026, 12, 15, 9
    )


def test_phases_page_refuses_a_repeated_phase(organiser_client, edition):
    edition.phases.filter(kind=PhaseKind.ARCHIVED).delete()
    data = page_data(organiser_client, "phases")
    data.update({"phases-9-kind": "draft", "phases-9-starts_at": "2028-01-01T09:00"})

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assert response.context["formset"].errors[9] == {
        "kind": ["Cette phase figure déjà dans la liste."]
    }


@pytest.mark.parametrize("page", ["themes", "criteres", "niveaux", "phases"])
def test_applicant_may_not_post_rows(applicant_client, edition, page):
    response = applicant_client.post(f"{EDITION_2027}{page}/", {})

    assert response.status_code == 403
