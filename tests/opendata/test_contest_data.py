"""The API and the open-data files per contest (issue 16, item 2): `contest=<slug>` on every
list, /api/v1/contests, and one DCAT dataset per contest, published by its organisation."""

import json

import pytest

from catalogue.search import index_awards
from tests.catalogue.builders import make_award, make_edition
from tests.catalogue.other_shape import NAME, ORGANISATION, SLUG, YEAR, build_other_contest
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
LEVELS = [f"niveau-{rank}" for rank in range(1, 6)]


def get(client, url, **params) -> tuple[int, dict]:
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.fixture
def two_contests(label, rennes, brest):
    other = build_other_contest(rennes)
    other.edition.forum = EventFactory(name="Rencontres des Cinq Niveaux")
    other.edition.save()
    edition, levels = make_edition(label, YEAR, is_historical=True)
    award = make_award(edition, "Cartes des écoles", "Brest", level=levels["or"])
    award.award_organisations.update(organisation=brest)
    index_awards()
    return other


def test_laureates_of_one_contest_and_year(visitor, two_contests):
    status, data = get(visitor, "/api/v1/laureates", contest=SLUG, year=str(YEAR))
    _status, every = get(visitor, "/api/v1/laureates", year=str(YEAR))

    assert status == 200
    assert data["count"] == 5
    assert sorted(item["level"] for item in data["results"]) == LEVELS
    assert {item["contest"] for item in data["results"]} == {SLUG}
    assert every["count"] == 6  # without `contest`, every contest, as before


def test_an_unknown_contest_is_a_400_on_every_list(visitor, two_contests):
    for url in (
        "/api/v1/laureates",
        "/api/v1/editions",
        "/api/v1/themes",
        "/api/v1/organisations",
        "/api/v1/events",
    ):
        status, data = get(visitor, url, contest="inconnu")
        assert status == 400, url
        assert "inconnu" in data["detail"]


def test_organisations_and_events_of_one_contest(visitor, two_contests):
    _status, organisations = get(visitor, "/api/v1/organisations", contest=SLUG)
    _status, events = get(visitor, "/api/v1/events", contest=SLUG)
    _status, editions = get(visitor, "/api/v1/editions", contest=SLUG)

    assert [item["name"] for item in organisations["results"]] == ["Rennes"]
    assert {award["contest"] for award in organisations["results"][0]["awards"]} == {SLUG}
    assert [item["name"] for item in events["results"]] == ["Rencontres des Cinq Niveaux"]
    assert editions["results"][0]["url"] == f"http://testserver/palmares/{YEAR}/?concours={SLUG}"


def test_the_contests_endpoint(visitor, two_contests):
    status, data = get(visitor, "/api/v1/contests")

    assert status == 200
    by_id = {item["id"]: item for item in data["results"]}
    assert by_id[SLUG] | {"description": None} == {
        "id": SLUG,
        "name": NAME,
        "awarded_by": ORGANISATION,
        "awarder_website": None,
        "description": None,
        "applicant_kinds": None,
        "years": [YEAR],
        "awards_recorded": 5,
        "url": f"http://testserver/palmares/?concours={SLUG}",
    }
    assert by_id["label-territoire-innovant"]["awards_recorded"] == 1
    assert by_id["label-territoire-innovant"]["awarder_website"] == "https://www.interconnectes.com"
    assert get(visitor, "/api/v1/contests", page="x")[0] == 400


def test_the_openapi_description_has_contests_and_the_contest_parameter(visitor):
    _status, schema = get(visitor, "/api/v1/openapi.json")

    assert "/api/v1/contests" in schema["paths"]
    for path in ("laureates", "editions", "themes", "organisations", "events"):
        names = [p["name"] for p in schema["paths"][f"/api/v1/{path}"]["get"]["parameters"]]
        assert "contest" in names, path


def test_one_dcat_dataset_per_contest_published_by_its_organisation(visitor, two_contests):
    catalogue = json.loads(b"".join(visitor.get("/donnees/catalogue.jsonld").streaming_content))
    package = json.loads(b"".join(visitor.get("/donnees/datapackage.json").streaming_content))

    datasets = {dataset["dct:identifier"]: dataset for dataset in catalogue["dcat:dataset"]}
    label_dataset = "palmares-label-territoire-innovant"
    assert sorted(datasets) == ["palmares", f"palmares-{SLUG}", label_dataset]
    own = datasets[f"palmares-{SLUG}"]
    assert own["dct:title"]["@value"] == f"Palmarès de « {NAME} »"
    assert own["dct:publisher"]["foaf:name"] == ORGANISATION
    assert own["dcat:landingPage"]["@id"] == f"http://127.0.0.1:8000/palmares/?concours={SLUG}"
    fields = {field["name"]: field for field in package["resources"][0]["schema"]["fields"]}
    # Contest by contest (by slug), each in rank order.
    assert fields["level"]["constraints"]["enum"] == [*LEVELS, "or"]
    assert "Territoire Innovant" not in package["title"]


def test_the_files_have_a_contest_column(visitor, two_contests):
    rows = json.loads(b"".join(visitor.get("/donnees/palmares.json").streaming_content))

    assert sorted({row["contest"] for row in rows}) == [SLUG, "label-territoire-innovant"]
