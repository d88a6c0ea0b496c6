"""The embargo rule, owned by contests: `Edition.objects.public(at)`, and what derives from it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from awards.models import Award
from contests import domain
from contests.models import Edition
from tests.factories import AwardFactory, EditionFactory, PhaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(label):
    """One edition per case of the rule, now."""
    now = timezone.now()

    def edition(year, *phases, **fields):
        made = EditionFactory(contest=label, year=year, **fields)
        for kind, days, results_public in phases:
            PhaseFactory(
                edition=made,
                kind=kind,
                starts_at=now + timedelta(days=days),
                results_public=results_public,
            )
        return made

    return {
        "historical": edition(2013, is_historical=True),
        "published": edition(2024, ("deliberation", -10, False), ("published", -1, True)),
        "embargo": edition(2025, ("deliberation", -10, False), ("embargo", -1, False)),
        "not_started": edition(2026, ("published", 1, True)),
        "archived_hidden": edition(2023, ("published", -20, True), ("archived", -2, False)),
    }


def test_public_editions_are_historical_or_in_a_phase_with_public_results(editions):
    public = set(Edition.objects.public())

    assert public == {editions["historical"], editions["published"]}


def test_an_embargoed_or_not_yet_published_edition_is_not_public(editions):
    public = set(Edition.objects.public())

    for name in ("embargo", "not_started", "archived_hidden"):
        assert editions[name] not in public, name


def test_the_current_phase_is_the_latest_started_one(editions):
    # archived_hidden's earlier phase made its results public; its current one does not.
    assert domain.results_are_public(editions["archived_hidden"]) is False
    day_before = timezone.now() - timedelta(days=3)
    assert domain.results_are_public(editions["archived_hidden"], day_before) is True


def test_public_editions_follow_the_clock(editions):
    in_two_days = timezone.now() + timedelta(days=2)

    assert set(Edition.objects.public(in_two_days)) == {
        editions["historical"],
        editions["published"],
        editions["not_started"],
    }


def test_results_are_public_says_what_the_queryset_says(editions):
    public = set(Edition.objects.public())

    assert {name for name, e in editions.items() if domain.results_are_public(e)} == {
        name for name, e in editions.items() if e in public
    }
    assert domain.results_are_public(editions["published"]) is True
    assert domain.results_are_public(editions["embargo"]) is False


def test_public_awards_are_those_of_public_editions(editions):
    shown = AwardFactory(edition=editions["published"], title="Carte des données")
    AwardFactory(edition=editions["embargo"], title="Projet sous embargo")

    assert list(Award.objects.public()) == [shown]


def test_public_awards_follow_the_clock(editions):
    later = AwardFactory(edition=editions["not_started"], title="Annoncé demain")

    assert later not in Award.objects.public()
    assert later in Award.objects.public(timezone.now() + timedelta(days=2))
