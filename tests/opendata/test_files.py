"""/donnees/: the files validate against datapackage.json (frictionless), the GeoJSON has one
feature per awarded organisation, identifiers are stable, nothing embargoed ever appears."""

import csv
import io
import json
from pathlib import Path

import pytest
from frictionless import Package, Resource, Schema, validate

from awards.models import Award, AwardOrganisation
from catalogue.search import index_awards
from opendata.publishing import FILES, read_release, regenerate_open_data
from territories.models import Organisation
from tests.catalogue.builders import make_award, make_edition, set_current_phase
from tests.factories import AwardOrganisationFactory

pytestmark = pytest.mark.django_db

# data/palmares.csv as imported: its awards, their (award, organisation) rows, the distinct
# organisations they were awarded to.
AWARDS, ROWS, ORGANISATIONS = 60, 69, 59
# Of those organisations, the communes and EPCI have a point (14 communes, 30 EPCI); the 15 others
# (régions, départements, syndicats, parcs, offices de tourisme…) have a null geometry.
POINTS, UNLOCATED = 44, 15


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, directory: Path) -> dict[str, bytes]:
    """Every file of /donnees/ as served, saved side by side like a reuser would."""
    contents = {}
    for name in FILES:
        response = client.get(f"/donnees/{name}")
        assert response.status_code == 200, name
        contents[name] = body(response)
        (directory / name).write_bytes(contents[name])
    return contents


def test_every_file_validates_against_the_datapackage(visitor, palmares, tmp_path):
    contents = download(visitor, tmp_path)
    descriptor = json.loads(contents["datapackage.json"])

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    assert [task.name for task in report.tasks] == [
        "palmares",
        "palmares-json",
        "structures-laureates",
    ]
    assert report.tasks[0].stats["rows"] == ROWS
    # palmares.json: the same rows, checked against the same Table Schema.
    schema = Schema.from_descriptor(descriptor["resources"][0]["schema"])
    json_rows = json.loads(contents["palmares.json"])
    json_report = Resource(data=json_rows, schema=schema).validate()
    assert json_report.valid, json_report.flatten(["rowNumber", "type", "note"])
    assert json_report.tasks[0].stats["rows"] == ROWS
    # palmares.geojson: each feature's properties against the resource's schema.
    properties_schema = Schema.from_descriptor(descriptor["resources"][2]["schema"])
    features = json.loads(contents["palmares.geojson"])["features"]
    geo_report = Resource(
        data=[feature["properties"] for feature in features], schema=properties_schema
    ).validate()
    assert geo_report.valid, geo_report.flatten(["rowNumber", "type", "note"])


def test_the_datapackage_states_sizes_hashes_and_licence(visitor, palmares, tmp_path):
    contents = download(visitor, tmp_path)
    package = Package(str(tmp_path / "datapackage.json"))
    descriptor = json.loads(contents["datapackage.json"])

    assert [resource.path for resource in package.resources] == list(FILES[:3])
    for resource in descriptor["resources"]:
        assert resource["bytes"] == len(contents[resource["path"]])
    assert descriptor["licenses"] == [
        {
            "name": "etalab-2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "title": "Licence Ouverte / Open Licence version 2.0",
        }
    ]
    fields = {field["name"]: field for field in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["level"]["constraints"]["enum"] == ["or", "argent", "bronze"]
    assert fields["award_id"]["constraints"]["required"] is True
    assert fields["siren"]["constraints"]["pattern"] == r"^\d{9}$"
    assert fields["url"]["format"] == "uri"


def test_a_tampered_file_fails_validation(visitor, palmares, tmp_path):
    download(visitor, tmp_path)
    csv_path = tmp_path / "palmares.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace(",or,", ",platine,", 1), encoding="utf-8"
    )

    report = validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert {error[0] for error in report.flatten(["type"])} >= {"constraint-error"}


def test_geojson_has_one_feature_per_awarded_organisation(visitor, palmares):
    collection = json.loads(body(visitor.get("/donnees/palmares.geojson")))
    awarded = (
        AwardOrganisation.objects.filter(award__in=Award.objects.public())
        .values("organisation")
        .distinct()
        .count()
    )

    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == awarded == ORGANISATIONS
    assert {tuple(sorted(feature)) for feature in collection["features"]} == {
        ("geometry", "id", "properties", "type")
    }
    assert {feature["type"] for feature in collection["features"]} == {"Feature"}
    # Communes and EPCI have a point; other bodies a null geometry (RFC 7946 § 3.2), never a
    # made-up point.
    geometries = [feature["geometry"] for feature in collection["features"]]
    assert sum(geometry is None for geometry in geometries) == UNLOCATED
    assert [geometry["type"] for geometry in geometries if geometry] == ["Point"] * POINTS
    located_kinds = {
        feature["properties"]["kind"] for feature in collection["features"] if feature["geometry"]
    }
    assert located_kinds == {
        "commune",
        "metropole",
        "communaute_urbaine",
        "communaute_agglomeration",
        "communaute_communes",
    }
    assert len({feature["id"] for feature in collection["features"]}) == ORGANISATIONS
    rennes_metropole = next(
        feature
        for feature in collection["features"]
        if feature["id"] == "rennes-metropole-243500139"
    )
    assert rennes_metropole["properties"]["siren"] == "243500139"
    assert rennes_metropole["properties"]["region_code"] == "53"
    assert rennes_metropole["properties"]["awards_count"] == len(
        rennes_metropole["properties"]["award_ids"]
    )
    # Longitude first (RFC 7946), rounded to 4 decimals.
    brest_feature = next(
        feature
        for feature in collection["features"]
        if feature["properties"]["insee_code"] == "29019"
    )
    brest = Organisation.objects.get(kind="commune", insee_code="29019")
    assert brest_feature["geometry"] == {
        "type": "Point",
        "coordinates": [round(brest.longitude, 4), round(brest.latitude, 4)],
    }
    assert brest_feature["geometry"]["coordinates"] == [-4.5058, 48.4059]


def test_csv_rows_carry_stable_identifiers(visitor, palmares):
    rows = list(csv.DictReader(io.StringIO(body(visitor.get("/donnees/palmares.csv")).decode())))
    pulse = [row for row in rows if row["award_id"] == "2024-pulse-bordeaux"]
    brest = [row for row in rows if row["insee_code"] == "29019"]
    sivu = [row for row in rows if row["organisation_name"] == "SIVU"]

    assert len(rows) == ROWS
    assert len({row["award_id"] for row in rows}) == AWARDS
    assert pulse == [
        {
            "award_id": "2024-pulse-bordeaux",
            "year": "2024",
            "contest": "label-territoire-innovant",
            "level": "or",
            "theme": "Service usagers & accessibilité",
            "title": "Pulse - Bordeaux",
            "url": "http://127.0.0.1:8000/projets/2024-pulse-bordeaux/",
            "organisation_position": "0",
            "organisation_role": "lead",
            "organisation_name": "Bordeaux Métropole",
            "organisation_published_name": "Bordeaux Métropole",
            "organisation_kind": "metropole",
            "organisation_match": "name",
            "siren": "243300316",
            "insee_code": "",
            "departement_code": "33",
            "region_code": "75",
            "distinctions": "",
        }
    ]
    assert {row["siren"] for row in brest} == {"212900195"}
    # Outside the referential: empty codes, never invented.
    assert [(row["siren"], row["insee_code"], row["region_code"]) for row in sivu] == [("", "", "")]


def test_a_siren_leads_to_all_its_awards_across_years(visitor, palmares):
    rows = json.loads(body(visitor.get("/donnees/palmares.json")))
    from_files = sorted(row["award_id"] for row in rows if row["siren"] == "243500139")
    from_db = sorted(
        Award.objects.public()
        .filter(organisations__siren="243500139")
        .values_list("slug", flat=True)
    )

    assert from_files == from_db
    assert len({row["year"] for row in rows if row["siren"] == "243500139"}) > 1


@pytest.fixture
def embargoed(label, rennes):
    """A published 2024 award and a 2025 award still under embargo, both of Rennes."""
    published, levels = make_edition(label, 2024, is_historical=True)
    shown = make_award(published, "Carte des données publiées", level=levels["or"])
    AwardOrganisationFactory(award=shown, organisation=rennes)
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    hidden = make_award(edition, "Carte des données sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=hidden, organisation=rennes)
    index_awards()
    return edition, hidden


def test_nothing_under_embargo_appears_in_any_file(visitor, embargoed, tmp_path):
    _edition, hidden = embargoed
    contents = download(visitor, tmp_path)
    page = visitor.get("/donnees/").content

    for name, content in [*contents.items(), ("page", page)]:
        assert hidden.slug.encode() not in content, name
        assert hidden.title.encode() not in content, name
        assert b'"year": 2025' not in content, name
        assert b",2025," not in content, name
    rows = json.loads(contents["palmares.json"])
    assert [row["title"] for row in rows] == ["Carte des données publiées"]


def test_results_made_public_appear_without_anyone_regenerating(visitor, embargoed):
    edition, hidden = embargoed
    before = json.loads(body(visitor.get("/donnees/palmares.json")))
    edition.phases.filter(kind="embargo").update(results_public=True)

    after = json.loads(body(visitor.get("/donnees/palmares.json")))

    assert [row["title"] for row in before] == ["Carte des données publiées"]
    assert [row["title"] for row in after] == [hidden.title, "Carte des données publiées"]


def test_regenerating_unchanged_data_keeps_the_files_and_their_date(palmares):
    first = regenerate_open_data()
    second = regenerate_open_data()

    assert second.directory == first.directory
    assert second.modified == first.modified
    assert read_release().content_hash == first.content_hash


def test_a_change_makes_a_new_release_and_old_ones_are_removed(palmares, label, rennes):
    first = regenerate_open_data()
    edition = label.editions.get(year=2024)
    AwardOrganisationFactory(award=make_award(edition, "Nouveau projet"), organisation=rennes)
    second = regenerate_open_data()
    make_award(edition, "Encore un projet")
    third = regenerate_open_data()

    assert (second.awards, third.awards) == (AWARDS + 1, AWARDS + 2)
    assert third.issued == first.issued
    assert third.modified > first.modified
    assert not first.directory.exists()  # two releases back: nobody reads it any more
    assert second.directory.exists() and third.directory.exists()


def test_files_answer_conditional_requests_and_cors(visitor, palmares):
    response = visitor.get("/donnees/palmares.csv")
    etag, modified = response["ETag"], response["Last-Modified"]

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert visitor.get("/donnees/palmares.csv", headers={"if-none-match": etag}).status_code == 304
    assert (
        visitor.get("/donnees/palmares.csv", headers={"if-modified-since": modified}).status_code
        == 304
    )
    assert visitor.get("/donnees/palmares.csv", headers={"if-none-match": '"x"'}).status_code == 200
    assert visitor.get("/donnees/autre.csv").status_code == 404
    assert visitor.post("/donnees/palmares.csv").status_code == 405


def test_dcat_catalogue_describes_every_distribution(visitor, palmares, tmp_path):
    contents = download(visitor, tmp_path)
    catalogue = json.loads(contents["catalogue.jsonld"])
    dataset = catalogue["dcat:dataset"][0]

    assert catalogue["@type"] == "dcat:Catalog"
    # Who awards the site's configured contest (its seeded data).
    assert catalogue["dct:publisher"]["foaf:name"] == "Les Interconnectés"
    assert (
        dataset["dct:license"]["@id"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    )
    assert {
        distribution["dcat:downloadURL"]["@id"]: int(distribution["dcat:byteSize"]["@value"])
        for distribution in dataset["dcat:distribution"]
    } == {f"http://127.0.0.1:8000/donnees/{name}": len(contents[name]) for name in FILES[:3]}
    assert dataset["dct:modified"]["@value"] >= dataset["dct:issued"]["@value"]
    assert catalogue["dcat:service"][0]["dcat:endpointDescription"]["@id"] == (
        "http://127.0.0.1:8000/api/v1/openapi.json"
    )


def test_data_page_explains_files_licence_and_sizes(visitor, palmares):
    response = visitor.get("/donnees/")
    html = response.content.decode()
    release = read_release()

    assert response.status_code == 200
    assert "Licence Ouverte 2.0" in html
    for name in FILES:
        assert f'href="/donnees/{name}"' in html
    assert f"{ROWS} lignes, une par label et par structure" in html
    assert f"{ORGANISATIONS} entités" in html
    assert "organisation_position" in html
    assert release.files["palmares.csv"].bytes > 0
    assert len(response.content) < 60_000
