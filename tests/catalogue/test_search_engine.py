"""The palmarès search on the real imported palmarès: French matching, facets, order, embargo.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the expected values are the same,
which is how the two databases are shown to give the same results.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from awards.models import Award
from catalogue.search import SearchParams, index_awards, search
from catalogue.search.analysis import index_terms
from catalogue.search.backends import matching_award_ids
from catalogue.search.models import SearchDocument
from tests.factories import AwardOrganisationFactory

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def palmares(db) -> None:
    """data/palmares.csv imported as in production (the import refreshes the index)."""
    call_command("import_palmares", "data/palmares.csv", verbosity=0)


def titles(results, page: int = 1) -> list[str]:
    return [award.title for award in results.paginator.page(page)]


def found(q: str = "", **filters: str) -> list[str]:
    params = SearchParams(q=q, filters={name: [value] for name, value in filters.items()})
    return titles(search(params))


def counts(results, facet: str) -> dict[str, int]:
    return {
        value.value: value.count
        for facet_ in results.facets
        if facet_.name == facet
        for value in facet_.values
    }


def test_unaccented_query_finds_accented_words(palmares):
    assert found("donnees") == [
        "Création d'un réseau d'ambassadeurs de la donnée en interne de la CA Porte du Hainaut",
        "Collec-Data – Automatiser la chaîne de publication des données publiques des "
        "collectivités bretonnes",
    ]


def test_singular_finds_plural(palmares):
    assert found("ambassadeur") == [
        "Création d'un réseau d'ambassadeurs de la donnée en interne de la CA Porte du Hainaut"
    ]


def test_every_word_must_match_in_any_order(palmares):
    expected = [
        "Parcours de sensibilisation au numérique responsable à destination des entreprises, "
        "collectivités et administrations",
        "Démarche vers un numérique humain, responsable et souverain",
        "Plan d'actions pour un numérique plus responsable",
    ]

    assert found("numerique responsable") == expected
    assert found("RESPONSABLES numériques") == expected


def test_organisation_names_and_published_names_are_searched(palmares):
    assert found("bordeaux") == [
        "Pulse - Bordeaux",  # in the title: first
        "Opération Pionniers : une nouvelle forme d'association du citoyen à l'action de la Cub",
    ]
    # Published as « Grand Lyon », now the Métropole de Lyon: found under both names.
    assert "Grand Lyon SmartData" in found("metropole lyon")
    assert "Grand Lyon SmartData" in found("grand lyon")


def test_relevance_puts_title_matches_first_then_palmares_order(palmares):
    results = search(SearchParams(q="citoyen"))

    assert titles(results) == [
        # « citoyen(ne)(s) » in the title: newest first, then level, then title.
        "Convention citoyenne « Montpellier à l'heure de l'IA - Quelle intelligence "
        "artificielle pour le territoire et ses habitants »",
        "Opération Pionniers : une nouvelle forme d'association du citoyen à l'action de la Cub",
        "Toulouse.fr & les réseaux sociaux : de nouveaux usages pour interagir auprès des citoyens",
        # Then in the theme « Participation citoyenne » only: or before argent.
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques",
        "Plateforme numérique participative de territoire",
    ]
    assert results.order == "relevance"


def test_year_order_on_request(palmares):
    results = search(SearchParams(q="citoyen", order="year"))

    assert titles(results) == [
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques",
        "Convention citoyenne « Montpellier à l'heure de l'IA - Quelle intelligence "
        "artificielle pour le territoire et ses habitants »",
        "Plateforme numérique participative de territoire",
        "Opération Pionniers : une nouvelle forme d'association du citoyen à l'action de la Cub",
        "Toulouse.fr & les réseaux sociaux : de nouveaux usages pour interagir auprès des citoyens",
    ]
    assert results.order == "year"


def test_empty_query_lists_every_public_award_by_year(palmares):
    results = search(SearchParams())

    assert results.count == 60
    assert results.order == "year"
    assert results.paginator.num_pages == 3
    # 2024, or, then by title.
    assert titles(results)[0] == (
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"
    )
    assert titles(results, 3)[-1] == "Une solution intégrée de communication numérique culturelle"


def test_facet_counts_are_exact(palmares):
    results = search(SearchParams())

    assert counts(results, "year") == {
        "2024": 21,
        "2023": 1,
        "2022": 7,
        "2018": 3,
        "2015": 2,
        "2013": 26,
    }
    assert counts(results, "level") == {"or": 23, "argent": 17, "bronze": 19}
    assert counts(results, "theme")["gestion-des-donnees"] == 2


def test_a_facet_counts_with_the_other_filters_but_not_its_own(palmares):
    results = search(SearchParams(filters={"year": ["2022"], "level": ["or"]}))

    assert results.count == 7
    # Gold labels per year: choosing another year would give these.
    assert counts(results, "year") == {"2024": 5, "2022": 7, "2018": 1, "2015": 1, "2013": 9}
    assert counts(results, "level") == {"or": 7}
    # Brest, Brest métropole with the Finistère, Guingamp-Paimpol, and Mégalis Bretagne (outside
    # the referential, its région recorded from its name in data/organisations.csv).
    assert counts(results, "region") == {"84": 1, "53": 4, "75": 2}


def test_values_of_one_facet_are_alternatives(palmares):
    both = search(SearchParams(filters={"year": ["2022", "2023"]}))

    assert both.count == 8
    assert [
        value.value
        for facet in both.facets
        if facet.name == "year"
        for value in facet.values
        if value.selected
    ] == ["2023", "2022"]


def test_territory_kind_and_population_filters(palmares):
    assert found("", region="53", level="or", year="2022") == [
        "Collectivités bretonnes 100 % démat' en 2024",
        "Programme d'accès aux droits et d'inclusion numérique",
        "Smart littoral",
        "Yroise",
    ]
    assert found("numerique", kind="region") == [
        "Démarche vers un numérique humain, responsable et souverain"
    ]
    assert found("", departement="33") == [
        "Pulse - Bordeaux",
        "Opération Pionniers : une nouvelle forme d'association du citoyen à l'action de la Cub",
    ]
    # CC du Pays de la Châtaigneraie (15,605 inhabitants); Épernay (22,174) with its agglo.
    assert found("", population="10k-50k", year="2024") == [
        "Favoriser l'accès aux droits au Pays de La Châtaigneraie - Territoire Zéro Non Recours",
        "Sites semi-mutualisés entre l'Agglo et des communes membres",
    ]


def test_unknown_facet_value_finds_nothing_but_still_shows_as_chosen(palmares):
    results = search(SearchParams(filters={"region": ["94"]}))  # Corse: no laureate

    assert results.count == 0
    region = next(facet for facet in results.facets if facet.name == "region")
    assert [(value.value, value.count, value.selected) for value in region.selected] == [
        ("94", 0, True)
    ]


@pytest.mark.parametrize("q", ["%%%", "de la le", "", "   "])
def test_queries_without_words_list_everything(palmares, q):
    results = search(SearchParams(q=q))

    assert results.count == 60
    assert results.order == "year"


def test_a_word_found_nowhere_is_named(palmares):
    results = search(SearchParams(q="données licorne"))

    assert results.count == 0
    assert results.unknown_words == ["licorne"]


def test_words_found_but_not_together_name_no_word(palmares):
    results = search(SearchParams(q="pulse yroise"))

    assert results.count == 0
    assert results.unknown_words == []


def test_a_filter_that_removes_everything_names_no_word(palmares):
    results = search(SearchParams(q="pulse", filters={"year": ["2013"]}))

    assert results.count == 0
    assert results.unknown_words == []


def test_absurdly_long_query_finds_nothing_without_error(palmares):
    results = search(SearchParams(q="x" * 500))

    assert results.count == 0
    assert results.unknown_words == ["x" * 500]


def test_embargoed_awards_are_never_found(label, rennes):
    published, levels = make_edition(label, 2024, is_historical=True)
    make_award(published, "Carte des données publiées", level=levels["or"])
    embargoed, levels = make_edition(label, 2025)
    set_current_phase(embargoed, "embargo", results_public=False)
    hidden = make_award(embargoed, "Carte des données sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=hidden, organisation=rennes, published_name="Ville de Rennes")
    index_awards()

    results = search(SearchParams(q="donnees"))

    assert titles(results) == ["Carte des données publiées"]
    assert counts(results, "year") == {"2024": 1}
    assert counts(results, "region") == {}
    assert found("", year="2025") == []


def test_awards_of_an_edition_become_findable_when_its_results_are_published(label):
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    make_award(edition, "Carte des données", level=levels["or"])
    index_awards()
    assert found("donnees") == []

    # Publishing is a phase change: no re-indexing needed.
    edition.phases.filter(kind="embargo").update(results_public=True)

    assert found("donnees") == ["Carte des données"]


def test_index_awards_refreshes_some_documents_and_forgets_deleted_awards(label):
    edition, _levels = make_edition(label, 2024, is_historical=True)
    kept = make_award(edition, "Budget participatif")
    gone = make_award(edition, "Budget vert")
    index_awards()
    assert found("budget") == ["Budget participatif", "Budget vert"]

    Award.objects.filter(pk=kept.pk).update(title="Budget citoyen")
    index_awards([kept.pk])
    gone.delete()  # its document goes with it (and the SQLite full-text rows by trigger)

    assert found("budget") == ["Budget citoyen"]
    assert found("vert") == []
    assert SearchDocument.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own parser")
def test_postgresql_stores_exactly_the_python_terms(label):
    """The 'simple' configuration keeps each Python term as one lexeme, tricky ones included."""
    edition, _levels = make_edition(label, 2024, is_historical=True)
    title = "L.I.V.E. mon-compte.bzh 100 % 1e5 007 Marcq-en-Barœul Ambassad'Ondes 3D"
    award = make_award(edition, title)
    index_awards([award.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(search_vector) ORDER BY lexeme)"
            " FROM catalogue_searchdocument WHERE award_id = %s",
            [award.pk],
        )
        lexemes = cursor.fetchone()[0]

    assert lexemes == sorted(set(index_terms(title).split()))


def test_rebuild_command_indexes_every_award_and_reports(label):
    edition, _levels = make_edition(label, 2024, is_historical=True)
    make_award(edition, "Budget participatif")
    make_award(edition, "Budget vert")
    out = StringIO()

    call_command("rebuild_search_index", stdout=out)

    report = json.loads(out.getvalue())
    assert report["documents"] == 2
    assert found("budget") == ["Budget participatif", "Budget vert"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner setting")
def test_postgresql_lookup_finds_the_awards_and_leaves_the_planner_as_it_was(label):
    """The lookup sends SET, SELECT and RESET as one query: the SELECT's row is the answer, and
    the connection's next queries may scan tables again."""
    edition, _levels = make_edition(label, 2024, is_historical=True)
    wanted = make_award(edition, "Ambassadeurs de la donnée")
    make_award(edition, "Tiers-lieu numérique")
    index_awards([award.pk for award in Award.objects.all()])

    assert list(matching_award_ids(index_terms("ambassadeurs").split())) == [wanted.pk]
    assert list(matching_award_ids(["licorne"])) == []
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
