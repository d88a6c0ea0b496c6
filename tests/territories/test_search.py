"""territories.search and territories.suggestions against the real referential (imported in
every test database): structures found under the names agents type, and what the search says
when it finds nothing. Codes checked in vendor/decoupage-administratif/data (INSEE code, or
SIREN for an EPCI)."""

import pytest

from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.search import (
    MAX_QUERY_CHARACTERS,
    query_problem,
    read_query,
    search_organisations,
)
from territories.suggestions import edit_distance, explain_no_match, trigrams

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# What agents type → the body they mean, (kind, INSEE code or SIREN), expected in the first three.
AGENT_QUERIES: dict[str, tuple[str, str]] = {
    # The examples, which found nothing before.
    "Commune de Brest": ("commune", "29019"),
    "Ville de Brest": ("commune", "29019"),
    "Département du Finistère": ("departement", "29"),
    "Région Bretagne": ("region", "53"),
    "Mairie de Lyon": ("commune", "69123"),
    "Conseil départemental de la Haute-Garonne": ("departement", "31"),
    # Homonyms: the commune of Seine-Saint-Denis and that of La Réunion are both offered.
    "Saint-Denis": ("commune", "93066"),
    "Saint Denis": ("commune", "97411"),
    "Saint-Denis 974": ("commune", "97411"),
    "Saint-Denis (93)": ("commune", "93066"),
    "Saint-Denis (La Réunion)": ("commune", "97411"),
    # Métropoles both ways round.
    "Métropole de Lyon": ("metropole", "200046977"),
    "Lyon Métropole": ("metropole", "200046977"),
    "Rennes Métropole": ("metropole", "243500139"),
    "Métropole de Rennes": ("metropole", "243500139"),
    "Metropole Aix Marseille Provence": ("metropole", "200054807"),
    # EPCI under their long form, their abbreviation, or the kind they had before.
    "CA du Pays Basque": ("communaute_agglomeration", "200067106"),
    "Agglo du Pays Basque": ("communaute_agglomeration", "200067106"),
    "Communauté d'agglomération du Pays Basque": ("communaute_agglomeration", "200067106"),
    "CC du Pays de Landerneau-Daoulas": ("communaute_agglomeration", "242900801"),
    "Communauté urbaine de Brest": ("metropole", "242900314"),
    "Communauté urbaine de Dunkerque": ("communaute_urbaine", "245900428"),
    "Communauté de communes du Pays de Pontchâteau Saint-Gildas-des-Bois": (
        "communaute_communes",
        "200000438",
    ),
    # Départements by their council, their abbreviation and their code.
    "Conseil départemental 35": ("departement", "35"),
    "CD35": ("departement", "35"),
    "CD 29": ("departement", "29"),
    "CD 974": ("departement", "974"),
    "Conseil départemental du 93": ("departement", "93"),
    "Département 2A": ("departement", "2A"),
    "Conseil général du Nord": ("departement", "59"),
    "Département de la Réunion": ("departement", "974"),
    "Conseil départemental des Côtes-d'Armor": ("departement", "22"),
    "Département de Paris": ("departement", "75"),
    # Régions, by their usual name too.
    "Région Sud": ("region", "93"),
    "Région Réunion": ("region", "04"),
    "Conseil régional de Bretagne": ("region", "53"),
    "Région Hauts de France": ("region", "32"),
    "Région Auvergne Rhône Alpes": ("region", "84"),
    # Communes: « Saint / St / Ste », articles, accents, apostrophes, hyphens.
    "St-Malo": ("commune", "35288"),
    "Mairie de St-Malo": ("commune", "35288"),
    "Saint Etienne": ("commune", "42218"),
    "Ste-Maxime": ("commune", "83115"),
    "Ville du Havre": ("commune", "76351"),
    "Mairie des Sables-d'Olonne": ("commune", "85194"),
    "Commune de L'Haÿ-les-Roses": ("commune", "94038"),
    "Mairie d'Ajaccio": ("commune", "2A004"),
    "Ville de Nîmes": ("commune", "30189"),
    "Ville de Paris": ("commune", "75056"),
    "Ville d'Avray": ("commune", "92077"),
    # A merged body's name finds its successor (territories/matching.py's table).
    "Grand Lyon": ("metropole", "200046977"),
    # Codes, as before.
    "29200": ("commune", "29019"),
    "35238": ("commune", "35238"),
    "200 067 213": ("communaute_urbaine", "200067213"),
}


def code_of(organisation: Organisation) -> tuple[str, str]:
    return (
        organisation.kind,
        organisation.siren if organisation.is_epci else organisation.insee_code,
    )


@pytest.mark.parametrize(("query", "expected"), AGENT_QUERIES.items())
def test_agent_query_finds_the_body_in_the_first_three(query, expected):
    assert expected in [code_of(o) for o in search_organisations(query, limit=3)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mairie de Lyon", ["Lyon", "Lyons-la-Forêt", "Sainte-Foy-lès-Lyon"]),
        ("Commune de Brest", ["Brest", "Brestot", "Esboz-Brest"]),
        ("Département du Rhône", ["Rhône", "Bouches-du-Rhône"]),
        ("Département du Finistère", ["Finistère"]),
        ("Métropole de Rennes", ["Rennes Métropole"]),
        ("Saint-Denis 974", ["Saint-Denis"]),
    ],
)
def test_prefix_restricts_the_kinds_and_ranks_the_exact_name_first(query, expected):
    assert [o.name for o in search_organisations(query, limit=3)] == expected


def test_homonym_communes_are_both_in_the_first_three():
    results = [code_of(o) for o in search_organisations("Saint-Denis", limit=3)]

    # La Réunion's is the more populated one.
    assert results[:2] == [("commune", "97411"), ("commune", "93066")]


def test_exact_names_rank_one_and_codes_rank_zero():
    assert [o.rank for o in search_organisations("Commune de Brest", limit=2)] == [1, 2]
    assert [o.rank for o in search_organisations("CD 35")] == [0]
    assert [o.rank for o in search_organisations("Région Sud")] == [0]


def test_prefix_named_kind_does_not_match_inside_a_word():
    """« Métropole de Rennes » is not the CC du Bassin de Marennes."""
    assert [o.name for o in search_organisations("metropole rennes")] == ["Rennes Métropole"]


def test_kind_prefix_finds_a_body_added_by_hand():
    parc = OrganisationFactory(
        kind=OrganisationKind.PARC_NATUREL_REGIONAL, name="Parc naturel régional du Vercors"
    )
    OrganisationFactory(kind=OrganisationKind.SYNDICAT, name="Syndicat mixte Mégalis Bretagne")

    assert list(search_organisations("PNR du Vercors", limit=3)) == [parc]
    assert [o.name for o in search_organisations("Syndicat Mégalis", limit=3)] == [
        "Syndicat mixte Mégalis Bretagne"
    ]


def test_search_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(search_organisations("Conseil départemental de la Haute-Garonne"))


# --- reading -------------------------------------------------------------------------------


def test_read_query_keeps_the_name_as_typed_and_the_kind():
    reading = read_query("Conseil départemental de la Haute-Garonne")

    assert (reading.kinds, reading.core, reading.named, reading.code) == (
        {"departement"},
        "haute garonne",
        "Haute-Garonne",
        "",
    )


def test_read_query_takes_a_code_after_a_council():
    reading = read_query("CD35")

    assert (reading.kinds, reading.code, reading.code_only) == ({"departement"}, "35", True)


def test_read_query_takes_a_trailing_departement_code_as_the_place():
    reading = read_query("Saint-Denis 974")

    assert (reading.kinds, reading.core, reading.named, reading.context) == (
        None,
        "saint denis",
        "Saint-Denis",
        "974",
    )


def test_read_query_admits_every_epci_kind_after_an_epci_prefix():
    reading = read_query("CC du Pays de Landerneau-Daoulas")

    assert reading.kinds == {"communaute_communes"}
    assert reading.allowed == OrganisationKind.epci_kinds()
    assert reading.core == "pays de landerneau daoulas"


# --- bad input -----------------------------------------------------------------------------


def test_one_letter_is_refused_with_a_message():
    assert query_problem(" B ") == (
        "« B » est trop court pour chercher une structure : saisissez au moins 2 lettres ou "
        "chiffres de son nom, ou son code INSEE, son numéro SIREN ou son code postal."
    )
    assert list(search_organisations("B")) == []


def test_too_long_query_is_refused_with_a_message():
    query = "Commune de Brest " * 18  # 306 characters, 305 once stripped

    assert query_problem(query) == (
        "Votre recherche est trop longue (305 caractères) : saisissez au plus 100 caractères, "
        "par exemple le nom de la structure, son code INSEE, son numéro SIREN ou son code postal."
    )
    assert list(search_organisations(query)) == []


@pytest.mark.parametrize("query", ["", "Br", "B" * MAX_QUERY_CHARACTERS, "29"])
def test_query_problem_accepts_what_can_be_searched(query):
    assert query_problem(query) == ""


# --- when nothing matches ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "suggested"),
    [
        (
            "Commune de Brestt",
            "Aucune commune nommée « Brestt » ; vouliez-vous dire « Brest » ou « Brestot » ?",
            ["29019", "27110"],
        ),
        (
            "Département du Finistre",
            "Aucun département nommé « Finistre » ; vouliez-vous dire « Finistère » ?",
            ["29"],
        ),
        (
            "Région Bretagen",
            "Aucune région nommée « Bretagen » ; vouliez-vous dire « Bretagne » ?",
            ["53"],
        ),
        (
            "Ville de Strasbourgg",
            "Aucune commune nommée « Strasbourgg » ; vouliez-vous dire « Strasbourg » ?",
            ["67482"],
        ),
        (
            "Commune de Montpelier",
            "Aucune commune nommée « Montpelier » ; vouliez-vous dire « Montpellier » ou "
            "« Montélier » ?",
            ["34172", "26197"],
        ),
        (
            "Marseile",
            "Aucune structure nommée « Marseile » ; vouliez-vous dire « Marseille » ?",
            ["13055"],
        ),
        (
            "Sint Etienne",
            "Aucune structure nommée « Sint Etienne » ; vouliez-vous dire « Saint-Étienne » ?",
            ["42218"],
        ),
        (
            "Rennes Metropolle",
            "Aucune structure nommée « Rennes Metropolle » ; vouliez-vous dire "
            "« Rennes Métropole » ?",
            ["243500139"],
        ),
        (
            "CC du pays de landernau daoulas",
            "Aucune intercommunalité nommée « pays de landernau daoulas » ; vouliez-vous dire "
            "« CA du Pays de Landerneau-Daoulas » ?",
            ["242900801"],
        ),
        (
            "Département de l'Ile et Vilaine",
            "Aucun département nommé « Ile et Vilaine » ; vouliez-vous dire « Ille-et-Vilaine » ?",
            ["35"],
        ),
        (
            "Commune du Finistère",
            "Aucune commune nommée « Finistère » ; vouliez-vous dire « Finistère » ?",
            ["29"],
        ),
        (
            "Saint-Denis 975",
            "Aucune structure nommée « Saint-Denis » dans le département « 975 » ; vouliez-vous "
            "dire « Saint-Denis » (La Réunion), « Saint-Denis » (Seine-Saint-Denis) ou "
            "« Saint-Denis » (Aude) ?",
            ["97411", "93066", "11339"],
        ),
    ],
)
def test_no_match_says_what_was_understood_and_suggests(query, message, suggested):
    assert list(search_organisations(query)) == []

    no_match = explain_no_match(query)

    assert no_match.message == message
    assert [o.siren if o.is_epci else o.insee_code for o in no_match.suggestions] == suggested


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "Zzzzzz",
            "Aucune structure nommée « Zzzzzz ». Vérifiez l'orthographe, ou essayez un code "
            "INSEE, un numéro SIREN ou un code postal.",
        ),
        (
            "PNR du Vercors",
            "Aucun parc naturel régional nommé « Vercors ». Vérifiez l'orthographe, ou essayez "
            "un code INSEE, un numéro SIREN ou un code postal.",
        ),
        (
            "CD 99",
            "Aucun département ne porte le code « 99 ». Vérifiez-le, ou cherchez la structure "
            "par son nom.",
        ),
        (
            "99999",
            "Aucune structure ne porte le code « 99999 ». Vérifiez-le, ou cherchez la structure "
            "par son nom.",
        ),
    ],
)
def test_no_match_without_anything_close_says_so(query, message):
    no_match = explain_no_match(query)

    assert (no_match.message, no_match.suggestions) == (message, [])


def test_no_match_takes_at_most_two_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        explain_no_match("Commune de Brestt")


def test_edit_distance_counts_letters_to_change():
    assert edit_distance("brestt", "brest") == 1
    assert edit_distance("bretagen", "bretagne") == 2
    assert edit_distance("toulouze", "toulouzette") == 3
    assert edit_distance("", "lyon") == 4


def test_trigrams_are_inside_words_in_order():
    assert trigrams("saint malo") == ["sai", "ain", "int", "mal", "alo"]
