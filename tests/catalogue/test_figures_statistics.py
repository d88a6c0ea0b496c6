"""The statistics page (/statistiques/): charts, their tables, the 2022 gold labels of Brittany."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from territories.models import Organisation

from .builders import make_award, make_edition, set_current_phase
from .test_map import tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    call_command("import_palmares", str(settings.BASE_DIR / "data/palmares.csv"), verbosity=0)


def test_statistics_show_brittany_gold_labels_of_2022_as_the_data_allows(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"), {"year": 2022})

    assert response.status_code == 200
    assert tables(response)["Labels or par région en 2022"] == [
        ["Bretagne", "4"],
        ["Nouvelle-Aquitaine", "2"],
        ["Auvergne-Rhône-Alpes", "1"],
        ["Région non renseignée", "1"],
    ]
    # Mégalis Bretagne counts in the région its published name states (data/organisations.csv);
    # the Parc naturel régional du Haut-Jura spans two régions: named, never given one.
    assertNotContains(response, "<li>2022 : Mégalis Bretagne</li>", html=True)
    assertContains(response, "<li>2022 : Parc naturel régional du Haut-Jura</li>", html=True)
    assertContains(response, "à une région que si son nom publié la désigne explicitement")


def test_gold_matrix_has_every_year_with_recorded_and_announced_totals(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"))

    html = response.content.decode()
    matrix = tables(response)["Labels or par région et par année (toutes les éditions)"]
    assert matrix[0] == ["Bretagne", "1", "0", "0", "4", "1"]
    assert matrix[-1] == ["Région non renseignée", "0", "0", "0", "1", "0"]
    footer = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", footer).split()) == (
        "Labels or enregistrés 9 1 1 7 5 Labels or annoncés 9 non publié non publié 7 5"
    )


def test_every_chart_is_an_image_followed_by_its_table(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"), {"year": 2024})
    html = response.content.decode()

    charts = re.findall(r'<svg class="chart chart-bars"[^>]*role="img"[^>]*>', html)
    assert len(charts) == 7  # year, funnel, theme, level, région, kind, gold by région
    after_charts = re.findall(r"</svg>\s*(<[a-z]+)", html)
    assert after_charts == ["<table"] * 7
    assert html.count('<title id="par-region-titre">Lauréats par région</title>') == 1


def test_funnel_says_non_publie_for_counts_never_published(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"))

    funnel = tables(response)["Parcours des dossiers par édition"]
    assert funnel[0] == ["2010", "100", "40", "25"]
    assert funnel[-1] == ["2024", "45", "28", "21"]
    assert ["2022", "non publié", "non publié", "25"] in funnel
    per_year = tables(response)[
        "Labels par édition : enregistrés ici et annoncés par l'organisateur"
    ]
    assert ["2022", "7", "25"] in per_year
    assert ["2015", "2", "non publié"] in per_year


def test_statistics_by_level_and_kind_for_a_year(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"), {"year": 2024})

    assert tables(response)["Par niveau"] == [["Or", "5"], ["Argent", "6"], ["Bronze", "10"]]
    # Lyon, Aix-Marseille, Nantes, Rennes, Montpellier, Grenoble, Bordeaux, Nancy, Rouen.
    assert tables(response)["Par type de structure"][:3] == [
        ["Métropole", "9"],
        ["Commune", "4"],
        ["Communauté d'agglomération", "4"],
    ]


def test_statistics_report_a_wrong_year_and_show_all_years(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"), {"year": "abc"})

    assert response.status_code == 200
    assertContains(response, "Sélectionnez un choix valide. abc n’en fait pas partie.")
    assertContains(response, "<p>Toutes les éditions.</p>", html=True)


def test_statistics_ignore_an_embargoed_edition(visitor, label, imported):
    edition, levels = make_edition(label, 2025, laureates_count=99)
    set_current_phase(edition, "embargo", results_public=False)
    make_award(edition, "Projet secret", "Ville de Paris", level=levels["or"])

    response = visitor.get(reverse("catalogue:statistics"))

    per_year = tables(response)[
        "Labels par édition : enregistrés ici et annoncés par l'organisateur"
    ]
    assert per_year[-1] == ["2024", "21", "21"]
    assertNotContains(response, '<option value="2025">')
    assertNotContains(response, "<th>2025</th>", html=True)


def test_statistics_count_a_published_edition(visitor, label, imported):
    edition, levels = make_edition(label, 2025, laureates_count=99)
    set_current_phase(edition, "published", results_public=True)
    make_award(edition, "Projet publié", "Ville de Paris", level=levels["or"])

    response = visitor.get(reverse("catalogue:statistics"))

    per_year = tables(response)[
        "Labels par édition : enregistrés ici et annoncés par l'organisateur"
    ]
    assert per_year[-1] == ["2025", "1", "99"]


@pytest.mark.parametrize("editions", [1, 3])
def test_statistics_query_count_does_not_grow_with_editions(
    visitor, label, django_assert_num_queries, editions
):
    brest = Organisation.objects.get(kind="commune", insee_code="29019")
    for year in range(2030, 2030 + editions):
        edition, levels = make_edition(label, year, is_historical=True, applications_count=10)
        award = make_award(edition, f"Projet {year}", "Ville de Brest", level=levels["or"])
        award.award_organisations.update(organisation=brest)

    # Editions, régions, by theme, level, région (+ unplaced), kind, gold by région
    # (+ unplaced), gold matrix (pairs, per year, unplaced).
    with django_assert_num_queries(12):
        response = visitor.get(reverse("catalogue:statistics"))

    assert tables(response)["Labels or par région, toutes années"] == [["Bretagne", str(editions)]]


def test_statistics_page_without_any_award_says_so(visitor, db):
    response = visitor.get(reverse("catalogue:statistics"))

    assert response.status_code == 200
    assertContains(response, "<p>Aucun label or enregistré pour cette sélection.</p>", html=True)
    assertNotContains(response, "Labels or par région et par année")
