"""The statistics (/statistiques/: charts; /statistiques/tableaux/: their figures as tables), the
2022 gold labels of Brittany."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from territories.models import Organisation

from .builders import make_award, make_edition, set_current_phase
from .test_map import elements_outside_svg, tables

TABLES = "catalogue:statistics_tables"
EDITIONS = "Labels enregistrés et parcours des dossiers, par édition"
GOLD = "Lauréats du plus haut niveau par région et par année (toutes les éditions)"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    call_command("import_palmares", str(settings.BASE_DIR / "data/palmares.csv"), verbosity=0)


def test_statistics_show_brittany_gold_labels_of_2022_as_the_data_allows(visitor, imported):
    response = visitor.get(reverse(TABLES), {"year": 2022})

    assert response.status_code == 200
    gold = {row[0]: row[1:] for row in tables(response)[GOLD]}
    assert gold["Bretagne"] == ["2013 : 1 ; 2022 : 4 ; 2024 : 1", "6"]
    assert gold["Nouvelle-Aquitaine"] == ["2022 : 2 ; 2024 : 1", "3"]
    assert gold["Région non renseignée"] == ["2022 : 1", "1"]
    # Mégalis Bretagne counts in the région its published name states (data/organisations.csv);
    # the Parc naturel régional du Haut-Jura spans two régions: named, never given one.
    assertNotContains(response, "<li>2022 : Mégalis Bretagne</li>", html=True)
    assertContains(response, "<li>2022 : Parc naturel régional du Haut-Jura</li>", html=True)
    assertContains(response, "à une région que si son nom publié la désigne explicitement")
    charts = visitor.get(reverse("catalogue:statistics"), {"year": 2022})
    assertContains(charts, '<title id="or-par-region-titre">Labels or par région en 2022</title>')


def test_gold_table_has_every_year_with_recorded_and_announced_totals(visitor, imported):
    response = visitor.get(reverse(TABLES))

    html = response.content.decode()
    assert tables(response)[GOLD][0] == ["Bretagne", "2013 : 1 ; 2022 : 4 ; 2024 : 1", "6"]
    footer = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", footer).split()) == (
        "Labels or enregistrés 2013 : 9 ; 2015 : 1 ; 2018 : 1 ; 2022 : 7 ; 2024 : 5 23 "
        "Labels or annoncés 2013 : 9 ; 2015 : non publié ; 2018 : non publié ; 2022 : 7 ; "
        "2024 : 5 non publié"
    )


def test_every_chart_is_an_image_followed_by_a_link_to_its_table(visitor, imported):
    response = visitor.get(reverse("catalogue:statistics"), {"year": 2024})
    html = response.content.decode()

    charts = re.findall(r'<svg class="chart chart-bars"[^>]*role="img"[^>]*>', html)
    assert len(charts) == 7  # year, funnel, theme, level, région, kind, gold by région
    after_charts = re.findall(r'</svg>\s*<p><a href="([^"#]+)\?year=2024#([a-z-]+)">', html)
    assert after_charts == [(reverse(TABLES), anchor) for anchor in (
        "par-edition", "par-edition", "par-theme", "par-niveau", "par-region", "par-structure",
        "or-par-region",
    )]  # fmt: skip
    assert html.count('<title id="par-region-titre">Lauréats par région</title>') == 1
    assertNotContains(response, "<table")
    tables_page = visitor.get(reverse(TABLES), {"year": 2024}).content.decode()
    for anchor in ("par-edition", "par-theme", "par-niveau", "par-region", "or-par-region"):
        assert f'<section id="{anchor}"' in tables_page


def test_funnel_says_non_publie_for_counts_never_published(visitor, imported):
    response = visitor.get(reverse(TABLES))

    per_edition = tables(response)[EDITIONS]
    assert per_edition[0] == ["2010", "0", "100", "40", "25"]
    assert per_edition[-1] == ["2024", "21", "45", "28", "21"]
    assert ["2022", "7", "non publié", "non publié", "25"] in per_edition
    assert ["2015", "2", "non publié", "non publié", "non publié"] in per_edition


def test_statistics_by_level_and_kind_for_a_year(visitor, imported):
    response = visitor.get(reverse(TABLES), {"year": 2024})

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


def test_statistics_name_the_values_without_laureate_after_the_table(visitor, imported):
    response = visitor.get(reverse(TABLES), {"year": 2024})

    regions = [row[0] for row in tables(response)["Par région"]]
    assert "Corse" not in regions
    assertContains(response, "Aucun lauréat : Bourgogne-Franche-Comté ;")
    assertContains(response, " ; Corse ; ")


def test_statistics_ignore_an_embargoed_edition(visitor, label, imported):
    edition, levels = make_edition(label, 2025, laureates_count=99)
    set_current_phase(edition, "embargo", results_public=False)
    make_award(edition, "Projet secret", "Ville de Paris", level=levels["or"])

    response = visitor.get(reverse(TABLES))

    assert tables(response)[EDITIONS][-1][0] == "2024"
    assertNotContains(response, "2025")
    assertNotContains(visitor.get(reverse("catalogue:statistics")), '<option value="2025">')


def test_statistics_count_a_published_edition(visitor, label, imported):
    edition, levels = make_edition(label, 2025, laureates_count=99)
    set_current_phase(edition, "published", results_public=True)
    make_award(edition, "Projet publié", "Ville de Paris", level=levels["or"])

    response = visitor.get(reverse(TABLES))

    assert tables(response)[EDITIONS][-1] == ["2025", "1", "non publié", "non publié", "99"]


@pytest.mark.parametrize("editions", [1, 3])
def test_statistics_query_count_does_not_grow_with_editions(
    visitor, label, django_assert_num_queries, editions
):
    brest = Organisation.objects.get(kind="commune", insee_code="29019")
    for year in range(2030, 2030 + editions):
        edition, levels = make_edition(label, year, is_historical=True, applications_count=10)
        award = make_award(edition, f"Projet {year}", "Ville de Brest", level=levels["or"])
        award.award_organisations.update(organisation=brest)

    # The contest and whether it has a level « or », editions, régions, by theme, level,
    # région (+ unplaced), kind, gold by région (+ unplaced).
    with django_assert_num_queries(11):
        visitor.get(reverse("catalogue:statistics"))
    # The same and the gold table (pairs, per year, unplaced).
    with django_assert_num_queries(14):
        response = visitor.get(reverse(TABLES))

    assert tables(response)[GOLD][0] == [
        "Bretagne",
        " ; ".join(f"{year} : 1" for year in range(2030, 2030 + editions)),
        str(editions),
    ]


def test_statistics_page_without_any_award_says_so(visitor, db):
    response = visitor.get(reverse("catalogue:statistics"))
    table = visitor.get(reverse(TABLES))

    assert response.status_code == 200
    # No public edition has a level « or » yet: no gold figures at all (issue 16).
    assertNotContains(response, "Lauréats du plus haut niveau par région")
    assertNotContains(table, "Lauréats du plus haut niveau par région")
    assertNotContains(table, GOLD)


@pytest.mark.parametrize("name", ["catalogue:statistics", TABLES])
def test_statistics_pages_stay_light(visitor, imported, name):
    response = visitor.get(reverse(name))

    # EcoIndex A (bench/pages.py) wants a few hundred elements at most; SVG drawings aside,
    # as EcoIndex counts them.
    assert elements_outside_svg(response) < 350
