"""GET /api/v1/laureates: the public contract of docs/architecture.md, from the same search as
the page."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.search import index_awards
from tests.catalogue.builders import make_award, make_edition, set_current_phase
from tests.factories import AwardOrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/laureates"


@pytest.fixture
def palmares(db) -> None:
    """data/palmares.csv imported as in production (the import refreshes the index)."""
    call_command("import_palmares", "data/palmares.csv", verbosity=0)


@pytest.fixture
def label(db):
    from contests.models import Contest

    return Contest.objects.get(slug="label-territoire-innovant")


def get(client, **params) -> tuple[int, dict]:
    response = client.get(URL, params)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_url_is_stable():
    assert reverse("opendata:laureates") == URL


def test_contract_of_a_known_award(visitor, palmares):
    status, data = get(visitor, q="pulse")

    assert status == 200
    assert data == {
        "count": 1,
        "next": None,
        "results": [
            {
                "id": "2024-pulse-bordeaux",
                "contest": "label-territoire-innovant",
                "year": 2024,
                "level": "or",
                "distinctions": [],
                "theme": "Service usagers & accessibilité",
                "title": "Pulse - Bordeaux",
                "organisations": [
                    {
                        "name": "Bordeaux Métropole",
                        "kind": "metropole",
                        "siren": "243300316",
                        "insee_code": None,
                        "region_code": "75",
                    }
                ],
                "url": "http://testserver/projets/2024-pulse-bordeaux/",
            }
        ],
    }


def test_unknown_values_are_null_never_invented(visitor, palmares):
    # 2015: level not published, no theme; SIVU: outside the referential.
    _status, cimetieres = get(visitor, q="cimetieres")
    _status, sivu = get(visitor, q="fibre optique")

    assert cimetieres["results"][0]["level"] is None
    assert cimetieres["results"][0]["theme"] is None
    assert sivu["results"][0]["organisations"] == [
        {"name": "SIVU", "kind": "syndicat", "siren": None, "insee_code": None, "region_code": None}
    ]


def test_communes_have_their_insee_code(visitor, palmares):
    _status, data = get(visitor, q="yroise")

    assert data["results"][0]["organisations"] == [
        {
            "name": "Brest",
            "kind": "commune",
            "siren": "212900195",
            "insee_code": "29019",
            "region_code": "53",
        }
    ]


def test_json_is_utf8_not_escaped(visitor, palmares):
    response = visitor.get(URL, {"q": "pulse"})

    assert "Bordeaux Métropole".encode() in response.content
    assert b"\\u00e9" not in response.content


def test_same_search_as_the_page_with_facets(visitor, palmares):
    _status, data = get(visitor, q="numerique responsable", level="bronze")

    assert data["count"] == 1
    assert [award["title"] for award in data["results"]] == [
        "Plan d'actions pour un numérique plus responsable"
    ]
    _status, data = get(visitor, year="2022", level="or", region="53")
    assert data["count"] == 4  # with Mégalis Bretagne, placed by data/organisations.csv
    _status, data = get(visitor, kind="region", theme="Gestion des données")
    assert data["count"] == 0


def test_next_links_the_following_page_with_the_same_parameters(visitor, palmares):
    _status, first = get(visitor, year="2013")
    _status, second = get(visitor, year="2013", page="2")

    assert first["count"] == 26
    assert len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/laureates?year=2013&page=2"
    assert len(second["results"]) == 6
    assert second["next"] is None
    assert {award["id"] for award in first["results"]}.isdisjoint(
        award["id"] for award in second["results"]
    )


def test_ids_are_the_awards_slugs_stable_across_reindexing(visitor, palmares):
    _status, before = get(visitor, q="pulse")
    index_awards()
    _status, after = get(visitor, q="pulse")

    assert before["results"][0]["id"] == after["results"][0]["id"] == "2024-pulse-bordeaux"


def test_embargoed_award_is_absent(visitor, label, rennes):
    published, levels = make_edition(label, 2024, is_historical=True)
    make_award(published, "Carte des données publiées", level=levels["or"])
    embargoed, levels = make_edition(label, 2025)
    set_current_phase(embargoed, "embargo", results_public=False)
    hidden = make_award(embargoed, "Carte des données sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=hidden, organisation=rennes)
    index_awards()

    _status, data = get(visitor, q="carte")
    _status, by_year = get(visitor, year="2025")

    assert [award["title"] for award in data["results"]] == ["Carte des données publiées"]
    assert data["count"] == 1
    assert by_year == {"count": 0, "next": None, "results": []}
    # A year under embargo answers like a year without any edition: nothing is revealed.
    assert get(visitor, year="2031") == (200, by_year)


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"level": "platine"}, "Niveau : « platine » n'est pas un niveau de label."),
        ({"year": "deux-mille"}, "Année : « deux-mille » n'est pas une année."),
        ({"region": "99"}, "Région : « 99 » n'est pas un code de région."),
        ({"kind": "licorne"}, "Type de structure : « licorne » n'est pas un type de structure."),
        ({"theme": "cuisine"}, "Thème : « cuisine » n'est pas un thème du palmarès."),
        ({"page": "0"}, "Page : le numéro de page est un nombre entier à partir de 1."),
        ({"page": "9"}, "La page 9 n'existe pas : cette recherche en compte 3."),
        ({"order": "hasard"}, "Trier par : « hasard » n'est pas un ordre de tri."),
        (
            {"qq": "pulse"},
            "Paramètre inconnu : qq. Paramètres acceptés : q, contest, year, level, theme, region, "
            "departement, kind, population, order, page.",
        ),
    ],
)
def test_bad_parameters_get_400_with_a_french_detail(visitor, palmares, params, detail):
    status, data = get(visitor, **params)

    assert status == 400
    assert data == {"detail": detail}


@pytest.mark.parametrize("q", ["%%%", "de la le", "x" * 500])
def test_absurd_queries_are_answered_not_refused(visitor, palmares, q):
    status, data = get(visitor, q=q)

    assert status == 200
    assert data["count"] == (0 if q.startswith("x") else 60)


def test_only_reading_is_allowed(visitor, palmares):
    assert visitor.post(URL).status_code == 405
    assert visitor.head(URL).status_code == 200


@pytest.mark.parametrize("awards", [1, 3])
def test_queries_do_not_grow_with_results(
    visitor, label, rennes, brest, awards, django_assert_num_queries
):
    edition, levels = make_edition(label, 2024, is_historical=True)
    for number in range(awards):
        award = make_award(edition, f"Projet numéro {number}", level=levels["or"])
        AwardOrganisationFactory(award=award, organisation=rennes, position=0)
        AwardOrganisationFactory(award=award, organisation=brest, position=1)
    index_awards()
    get(visitor, q="projet")  # loads the facets, the word's documents and the page's awards

    # Index token, public editions (the awards with their organisations and région are kept
    # from the first request: catalogue.search.engine.kept_awards_in_order).
    with django_assert_num_queries(2):
        _status, data = get(visitor, q="projet")
    assert data["count"] == awards
    assert data["results"][0]["organisations"][1]["region_code"] == "53"
