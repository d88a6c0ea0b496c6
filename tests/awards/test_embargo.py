"""The embargo: before publication nothing of the 2028 results is visible to anyone outside the
organisers and the jury — a visitor, an applicant of another dossier, not even the laureate's
own agent — on any page, API answer, open-data file, search result, badge, dossier page or
email; after `publish`, every one of them shows the laureates, exactly."""

import csv
import io
import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from awards.publication import publish
from contests.activity import verify
from territories.models import Organisation
from tests.catalogue.test_map import counted_departements, tables

from .publication_setup import (
    ARGENT_SLUG,
    ARGENT_TITLE,
    LAUREATE_SLUG,
    LAUREATE_TITLE,
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

TITLES = (LAUREATE_TITLE, ARGENT_TITLE)
RENNES_METROPOLE = "243500139"


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def shown(content: str) -> list[str]:
    """Which of the two laureate titles a page shows (HTML-escaped or not)."""
    return [
        title for title in TITLES if title in content or title.replace("'", "&#x27;") in content
    ]


def api(client: Client, path: str, **params) -> dict:
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.content[:200])
    return json.loads(body(response))


def observe(client: Client) -> dict[str, object]:
    """Everything of the 2028 results `client` can see, surface by surface."""
    rennes_siren = Organisation.objects.get(kind="commune", insee_code="35238").siren
    csv_rows = list(csv.DictReader(io.StringIO(body(client.get("/donnees/palmares.csv")))))
    json_rows = json.loads(body(client.get("/donnees/palmares.json")))
    features = json.loads(body(client.get("/donnees/palmares.geojson")))["features"]
    statistics = tables(client.get(reverse("catalogue:statistics_tables")))[
        "Labels enregistrés et parcours des dossiers, par édition"
    ]
    who = client.get(
        reverse("catalogue:who_did_it"),
        {"besoin": "partager les données de mobilité", "structure": "Brest"},
    )
    return {
        "palmarès": shown(body(client.get("/palmares/"))),
        "search": shown(body(client.get("/palmares/", {"q": "données mobilité"}))),
        "edition page": client.get("/palmares/2028/").status_code,
        "project page": client.get(f"/projets/{LAUREATE_SLUG}/").status_code,
        "home": shown(body(client.get("/"))),
        "map": counted_departements(client.get(reverse("catalogue:map_table"))),
        "statistics": [row for row in statistics if row[0] == "2028"],
        "who did it": [s.award.title for s, _reason in who.context["suggestions"]],
        "api laureates": api(client, "/api/v1/laureates", year=2028)["count"],
        "api search": api(client, "/api/v1/laureates", q="mobilité")["count"],
        "api editions": [e["year"] for e in api(client, "/api/v1/editions")["results"]],
        "api organisations": [
            [award["title"] for award in organisation["awards"]]
            for organisation in api(client, "/api/v1/organisations", siren=rennes_siren)["results"]
        ],
        "api organisation": client.get(f"/api/v1/organisations/{RENNES_METROPOLE}").status_code,
        "csv": sorted((row["award_id"], row["organisation_name"]) for row in csv_rows),
        "json": sorted({row["title"] for row in json_rows}),
        "geojson": sorted(
            feature["properties"]["name"]
            for feature in features
            if any(slug.startswith("2028-") for slug in feature["properties"]["award_ids"])
        ),
        "badge": client.get(f"/projets/{LAUREATE_SLUG}/badge.svg").status_code,
        "badge check": client.get(f"/projets/{LAUREATE_SLUG}/verification/").status_code,
        "sitemap": client.get("/sitemap.xml").status_code,
    }


EMBARGOED = {
    "palmarès": [],
    "search": [],
    "edition page": 404,
    "project page": 404,
    "home": [],
    "map": {},
    "statistics": [],
    "who did it": [],
    "api laureates": 0,
    "api search": 0,
    "api editions": [],
    "api organisations": [],
    "api organisation": 404,
    "csv": [],
    "json": [],
    "geojson": [],
    "badge": 404,
    "badge check": 404,
    "sitemap": 404,  # there is no sitemap at all
}
PUBLISHED = {
    "palmarès": [LAUREATE_TITLE, ARGENT_TITLE],
    "search": [LAUREATE_TITLE],
    "edition page": 200,
    "project page": 200,
    "home": [LAUREATE_TITLE, ARGENT_TITLE],
    "map": {"Ille-et-Vilaine": 1, "Loire-Atlantique": 1},
    # Labels recorded, dossiers submitted, auditioned, laureates announced.
    "statistics": [["2028", "2", "4", "3", "2"]],
    "who did it": [LAUREATE_TITLE],
    "api laureates": 2,
    "api search": 1,
    "api editions": [2028],
    "api organisations": [[LAUREATE_TITLE]],
    "api organisation": 200,
    "csv": [
        (LAUREATE_SLUG, "Rennes"),
        (LAUREATE_SLUG, "Rennes Métropole"),
        (ARGENT_SLUG, "Nantes"),
    ],
    "json": sorted(TITLES),
    "geojson": ["Nantes", "Rennes", "Rennes Métropole"],
    "badge": 200,
    "badge check": 200,
    "sitemap": 404,
}


@pytest.fixture
def clients(visitor, applicant_client, other_applicant_client) -> dict[str, Client]:
    return {
        "visitor": visitor,
        "laureate's agent": applicant_client,
        "another applicant": other_applicant_client,
    }


def test_nothing_of_the_results_shows_before_publication(setup, clients):
    for persona, client in clients.items():
        assert observe(client) == EMBARGOED, persona


def test_everything_shows_the_laureates_after_publication(
    setup, clients, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    for persona, client in clients.items():
        assert observe(client) == PUBLISHED, persona
    assert verify() is None


def test_the_dossier_page_shows_no_result_before_publication(setup, applicant_client):
    url = reverse("applications:detail", kwargs={"reference": setup.laureate.reference})

    content = applicant_client.get(url).content.decode()
    mine = applicant_client.get(reverse("applications:my_applications")).content.decode()

    assert '<span class="badge">Auditionné</span>' in content
    for page in (content, mine):
        assert "Labellisé" not in page
        assert ">Or<" not in page and "label or" not in page  # no level named


def test_the_dossier_page_shows_the_result_after_publication(setup, applicant_client, organiser):
    publish(setup.deliberation, by=organiser)
    url = reverse("applications:detail", kwargs={"reference": setup.laureate.reference})

    content = applicant_client.get(url).content.decode()

    assert '<span class="badge">Labellisé</span>' in content


def test_no_email_before_publication_one_per_applicant_after(
    setup, organiser, django_capture_on_commit_callbacks
):
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    assert len(mail.outbox) == 4
