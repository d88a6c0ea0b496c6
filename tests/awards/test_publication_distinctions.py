"""Publishing a palmarès with distinctions: awards carry them, a distinction alone makes a
laureate, and every public surface (pages, badge, certificate, API, open data) names them."""

import json

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from awards.documents.certificate import build_certificate, with_certificate_content
from awards.models import Award
from awards.publication import publication_preview, publish, result_message
from contests.models import ActivityEntry
from opendata.table import published_awards, rows
from tests.factories import DistinctionFactory

from .publication_setup import (
    BREST_TITLE,
    LAUREATE_SLUG,
    deferred_tasks_fixture,  # noqa: F401
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db
BREST_SLUG = "2028-capteurs-de-qualite-de-lair-dans-les-ecoles"


@pytest.fixture(name="distinguished")
def distinguished_fixture(setup):
    """Rennes (or) also gets the jury's prize; Brest (no level) the favourite alone."""
    prize = DistinctionFactory(
        edition=setup.edition,
        code="prix-du-jury",
        name="Prix spécial du jury",
        position=1,
        description="Pour un projet exemplaire.",
    )
    favourite = DistinctionFactory(
        edition=setup.edition, code="coup-de-coeur", name="Coup de cœur", position=2
    )
    decisions = {d.application_id: d for d in setup.deliberation.decisions.all()}
    decisions[setup.laureate.pk].distinctions.set([prize])
    decisions[setup.brest.pk].distinctions.set([favourite])
    return setup


def _publish(setup, organiser, capture):
    with capture(execute=True):
        return publish(setup.deliberation, by=organiser)


def test_preview_counts_the_distinctions(distinguished):
    preview = publication_preview(distinguished.deliberation)

    assert (preview.awards, preview.distinction_only) == (3, 1)
    assert preview.distinctions == [("Prix spécial du jury", 1), ("Coup de cœur", 1)]


def test_publication_creates_awards_with_their_distinctions_and_a_distinction_alone(
    distinguished, organiser, django_capture_on_commit_callbacks
):
    awards = _publish(distinguished, organiser, django_capture_on_commit_callbacks)

    assert [
        (award.title, award.level.code if award.level else None, _codes(award)) for award in awards
    ] == [
        ("Carte partagée des données de mobilité", "or", ["prix-du-jury"]),
        ("Guichet numérique des associations", "argent", []),
        (BREST_TITLE, None, ["coup-de-coeur"]),
    ]
    distinguished.brest.refresh_from_db()
    assert distinguished.brest.state == ApplicationState.AWARDED
    entry = ActivityEntry.objects.get(action="awards.published")
    assert (entry.details["levels"], entry.details["distinctions"]) == (
        {"argent": 1, "or": 1},
        {"coup-de-coeur": 1, "prix-du-jury": 1},
    )


def test_publication_without_distinctions_creates_only_levelled_awards(
    setup, organiser, django_capture_on_commit_callbacks
):
    awards = _publish(setup, organiser, django_capture_on_commit_callbacks)

    assert [_codes(award) for award in awards] == [[], []]
    assert "distinctions" not in ActivityEntry.objects.get(action="awards.published").details


def test_emails_name_the_distinctions(distinguished, organiser, django_capture_on_commit_callbacks):
    _publish(distinguished, organiser, django_capture_on_commit_callbacks)

    _subject, brest = result_message(distinguished.deliberation, distinguished.brest)
    _subject, rennes = result_message(distinguished.deliberation, distinguished.laureate)

    assert (
        "Le jury du Label Territoire Innovant 2028 a distingué le projet "
        f"« {BREST_TITLE} » (dossier LTI-2028-0003) : Coup de cœur." in brest
    )
    assert "Il lui a aussi décerné : Prix spécial du jury." in rennes


def test_pages_badge_and_certificate_name_the_distinctions(
    distinguished, organiser, visitor, django_capture_on_commit_callbacks
):
    _publish(distinguished, organiser, django_capture_on_commit_callbacks)

    year = visitor.get(reverse("catalogue:edition", kwargs={"year": 2028})).text
    laureate = visitor.get(reverse("catalogue:project", kwargs={"slug": LAUREATE_SLUG})).text
    alone = visitor.get(reverse("catalogue:project", kwargs={"slug": BREST_SLUG})).text
    badge = visitor.get(reverse("catalogue:badge", kwargs={"slug": BREST_SLUG})).text
    certificate = build_certificate(
        with_certificate_content(Award.objects.filter(slug=LAUREATE_SLUG)).get()
    )

    assert '<a href="#distinction-prix-du-jury">Prix spécial du jury</a> (1)' in year
    assert '<a href="#distinction-coup-de-coeur">Coup de cœur</a> (1)' in year
    assert 'id="distinction-coup-de-coeur"' in year
    assert "Distinction sans niveau" in year
    # Per level over the year (the edition has themes): the search on that year and level.
    assert '<a href="/palmares/?year=2028&amp;level=or">Label or</a> (1)' in year
    assert "Prix spécial du jury" in laureate and "Pour un projet exemplaire." in laureate
    assert "aucun (distinction seule)" in alone
    assert "Label Territoire Innovant 2028 — Coup de cœur" in badge
    assert certificate.distinctions == "Prix spécial du jury"
    assert certificate.level == "niveau or"


def test_year_page_without_distinctions_has_no_distinction_navigation(
    setup, organiser, visitor, django_capture_on_commit_callbacks
):
    _publish(setup, organiser, django_capture_on_commit_callbacks)

    year = visitor.get(reverse("catalogue:edition", kwargs={"year": 2028})).text

    assert "Par distinction" not in year
    assert 'id="distinctions"' not in year


def test_api_and_open_data_give_the_distinctions(
    distinguished, organiser, visitor, django_capture_on_commit_callbacks
):
    _publish(distinguished, organiser, django_capture_on_commit_callbacks)

    api = json.loads(visitor.get("/api/v1/laureates", {"year": 2028}).content)
    table = {
        row["award_id"]: row["distinctions"]
        for row in rows(published_awards().filter(edition__year=2028), "http://test")
    }

    assert {laureate["id"]: laureate["distinctions"] for laureate in api["results"]} == {
        LAUREATE_SLUG: [{"code": "prix-du-jury", "name": "Prix spécial du jury"}],
        "2028-guichet-numerique-des-associations": [],
        BREST_SLUG: [{"code": "coup-de-coeur", "name": "Coup de cœur"}],
    }
    assert {laureate["id"]: laureate["level"] for laureate in api["results"]}[BREST_SLUG] is None
    assert table == {
        LAUREATE_SLUG: "prix-du-jury",
        "2028-guichet-numerique-des-associations": None,
        BREST_SLUG: "coup-de-coeur",
    }


def _codes(award: Award) -> list[str]:
    return sorted(award.distinctions.values_list("code", flat=True))


def test_markdown_press_release_names_the_distinctions(
    distinguished, organiser, visitor, django_capture_on_commit_callbacks
):
    _publish(distinguished, organiser, django_capture_on_commit_callbacks)

    text = visitor.get("/palmares/2028/communique.md").content.decode()

    assert "  Carte partagée des données de mobilité  \n  Prix spécial du jury\n" in text
    assert f"  {BREST_TITLE}  \n  Coup de cœur\n" in text
    # A laureate without a distinction: its title ends its item.
    assert "  Guichet numérique des associations\n" in text
