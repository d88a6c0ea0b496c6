"""/api/v1/ beyond laureates: editions, themes, organisations, events; and what every answer
shares (CORS, conditional requests, rate limit, JSON errors in French, embargo)."""

import json

import pytest

from catalogue.search import index_awards
from territories.models import Organisation
from tests.catalogue.builders import make_award, make_edition, set_current_phase
from tests.factories import AwardOrganisationFactory, EventFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def get(client, url, **params) -> tuple[int, dict]:
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.status_code, json.loads(response.content)


def test_editions_with_their_funnel_counts(visitor, palmares):
    status, data = get(visitor, "/api/v1/editions", year="2024")

    assert status == 200
    assert data["count"] == 1
    edition = data["results"][0]
    assert edition["id"] == "label-territoire-innovant-2024"
    assert edition["funnel"] == {"applications": 45, "auditioned": 28, "laureates": 21, "gold": 5}
    assert edition["awards_recorded"] == 21
    assert [level["code"] for level in edition["levels"]] == ["or", "argent", "bronze"]
    assert edition["url"] == "http://testserver/palmares/2024/"


def test_unpublished_funnel_counts_are_null(visitor, palmares):
    _status, data = get(visitor, "/api/v1/editions")
    funnels = {edition["year"]: edition["funnel"] for edition in data["results"]}

    assert data["count"] == 10
    assert None in funnels[2013].values()  # never published for 2013, so unknown: null


def test_themes_by_year(visitor, palmares):
    _status, data = get(visitor, "/api/v1/themes", year="2024")

    assert data["count"] == 6
    assert data["results"][0] == {
        "id": "inclusion-numerique",
        "name": "Inclusion numérique",
        "description": None,
        "contest": "label-territoire-innovant",
        "year": 2024,
        "position": 1,
        "awards_recorded": 5,
    }


def test_a_siren_leads_to_all_its_awards_across_years(visitor, palmares):
    _status, listed = get(visitor, "/api/v1/organisations", siren="243500139")
    status, detail = get(visitor, "/api/v1/organisations/243500139")

    assert status == 200
    assert listed["results"] == [detail]
    assert detail["name"] == "Rennes Métropole"
    assert detail["siren"] == "243500139"
    assert [award["year"] for award in detail["awards"]] == sorted(
        (award["year"] for award in detail["awards"]), reverse=True
    )
    assert len({award["year"] for award in detail["awards"]}) > 1


def test_organisations_by_insee_code(visitor, palmares):
    _status, data = get(visitor, "/api/v1/organisations", insee="29019")

    assert [(o["name"], o["siren"], o["insee_code"]) for o in data["results"]] == [
        ("Brest", "212900195", "29019")
    ]


def test_unknown_organisation_is_a_json_404(visitor, palmares):
    assert get(visitor, "/api/v1/organisations/000000000") == (
        404,
        {"detail": "Aucune structure lauréate d'un label public n'a le SIREN « 000000000 »."},
    )
    # A body of the referential without any award is not a laureate either.
    ouessant = Organisation.objects.get(kind="commune", insee_code="29155")
    status, _data = get(visitor, f"/api/v1/organisations/{ouessant.siren}")
    assert status == 404


def test_events_by_kind(visitor, palmares):
    EventFactory(kind="stage", name="Étape IntercoTOUR de Rennes", slug="etape-rennes")
    _status, stages = get(visitor, "/api/v1/events", kind="stage")

    assert [event["id"] for event in stages["results"]] == ["etape-rennes"]
    assert stages["results"][0]["editions"] == []


@pytest.mark.parametrize(
    ("url", "params", "detail"),
    [
        (
            "/api/v1/editions",
            {"year": "deux"},
            "Année : « deux » n'est pas un nombre entier de 1 à 9999.",
        ),
        (
            "/api/v1/themes",
            {"contest": "x"},
            "Concours : « x » n'est pas une valeur connue. Valeurs acceptées : "
            "label-territoire-innovant, start-up-interconnectee.",
        ),
        ("/api/v1/organisations", {"siren": "12"}, "SIREN : « 12 » n'a pas la forme d'un SIREN."),
        ("/api/v1/organisations", {"region": "99"}, "Région : « 99 » n'est pas un code de région."),
        (
            "/api/v1/events",
            {"page": "0"},
            "Page : « 0 » n'est pas un nombre entier de 1 à 1000000.",
        ),
        ("/api/v1/events", {"page": "7"}, "La page 7 n'existe pas : cette liste en compte 1."),
        (
            "/api/v1/events",
            {"sort": "x"},
            "Paramètre inconnu : sort. Paramètres acceptés : contest, kind, year, page.",
        ),
    ],
)
def test_bad_parameters_get_400_with_a_french_detail(visitor, palmares, url, params, detail):
    assert get(visitor, url, **params) == (400, {"detail": detail})


def test_pages_link_next_and_previous(visitor, palmares):
    _status, first = get(visitor, "/api/v1/organisations")
    _status, second = get(visitor, "/api/v1/organisations", page="2")

    assert first["count"] == 59
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/organisations?page=2"
    assert second["previous"] == "http://testserver/api/v1/organisations?page=1"
    assert {o["url"] for o in first["results"]}.isdisjoint(o["url"] for o in second["results"])


def test_other_api_addresses_are_json_404(visitor):
    assert get(visitor, "/api/v1/lauréats") == (
        404,
        {"detail": "Cette adresse ne correspond à aucune ressource de l'API. Voir /api/v1/."},
    )


def test_writing_is_refused_with_a_json_405(visitor):
    response = visitor.post("/api/v1/editions")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content) == {
        "detail": "La méthode POST n'est pas permise : cette API est en lecture seule (GET)."
    }


def test_cors_preflight_is_answered(visitor):
    response = visitor.options(
        "/api/v1/laureates",
        headers={"origin": "https://exemple.org", "access-control-request-method": "GET"},
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match, If-Modified-Since"


@pytest.mark.parametrize("url", ["/api/v1/editions", "/api/v1/laureates?year=2024"])
def test_conditional_requests_get_304(visitor, palmares, url):
    response = visitor.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]

    unchanged = visitor.get(url, headers={"if-none-match": etag})
    not_since = visitor.get(url, headers={"if-modified-since": modified})
    other = visitor.get(url, headers={"if-none-match": '"autre"'})

    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged["ETag"] == etag
    assert not_since.status_code == 304
    assert other.status_code == 200


def test_a_change_changes_the_etag(visitor, palmares, label):
    before = visitor.get("/api/v1/themes", {"year": "2024"})["ETag"]
    ThemeFactory(edition=label.editions.get(year=2024), name="Nouveau thème", slug="nouveau")

    response = visitor.get("/api/v1/themes", {"year": "2024"}, headers={"if-none-match": before})

    assert response.status_code == 200
    assert response["ETag"] != before


def test_rate_limit_per_address_with_a_french_429(visitor, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS = 3, 60
    statuses = [visitor.get("/api/v1/events").status_code for _ in range(4)]
    refused = visitor.get("/api/v1/events")
    other_address = visitor.get("/api/v1/events", REMOTE_ADDR="192.0.2.7")

    assert statuses == [200, 200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert json.loads(refused.content)["detail"].startswith(
        "Trop de requêtes depuis votre adresse : 3 par période de 60 secondes au plus. "
        "Réessayez dans "
    )
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert other_address.status_code == 200


@pytest.fixture
def embargoed(label, rennes):
    published, levels = make_edition(label, 2024, is_historical=True)
    shown = make_award(published, "Carte des données publiées", level=levels["or"])
    AwardOrganisationFactory(award=shown, organisation=rennes)
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    ThemeFactory(edition=edition, name="Thème secret", slug="theme-secret")
    hidden = make_award(edition, "Carte des données sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=hidden, organisation=rennes)
    index_awards()
    return hidden


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/laureates",
        "/api/v1/laureates?year=2025",
        "/api/v1/editions",
        "/api/v1/editions?year=2025",
        "/api/v1/themes",
        "/api/v1/organisations",
        "/api/v1/organisations?insee=35238",
        "/api/v1/organisations/213502388",  # the Ville de Rennes, awarded in 2024 only
        "/api/v1/events",
    ],
)
def test_nothing_under_embargo_appears(visitor, embargoed, url):
    content = visitor.get(url).content

    assert embargoed.slug.encode() not in content
    assert embargoed.title.encode() not in content
    assert "Thème secret".encode() not in content
    assert b'"year": 2025' not in content


@pytest.mark.parametrize("count", [1, 3])
def test_organisation_queries_do_not_grow(visitor, label, count, django_assert_num_queries):
    edition, levels = make_edition(label, 2024, is_historical=True)
    for organisation in Organisation.objects.filter(kind="commune", insee_code__startswith="35")[
        :count
    ]:
        for title in ("Projet A", "Projet B"):
            award = make_award(edition, f"{title} {organisation.name}", level=levels["or"])
            AwardOrganisationFactory(award=award, organisation=organisation)

    # Count, organisations (with région, département), their public award links.
    with django_assert_num_queries(3):
        _status, data = get(visitor, "/api/v1/organisations")
    assert data["count"] == count
    assert {len(o["awards"]) for o in data["results"]} == {2}


@pytest.mark.parametrize("count", [1, 3])
def test_edition_queries_do_not_grow(visitor, label, count, django_assert_num_queries):
    for year in range(2020, 2020 + count):
        make_edition(label, year, is_historical=True)

    # Count, editions (with contest, forum, award counts), levels, themes.
    with django_assert_num_queries(4):
        _status, data = get(visitor, "/api/v1/editions")
    assert data["count"] == count
