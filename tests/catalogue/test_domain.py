from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.domain import latest_public_palmares
from tests.factories import ContestFactory, PhaseFactory

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(label):
    """One edition per case of the public rule."""
    historical, _ = make_edition(label, 2013, is_historical=True)
    published, _ = make_edition(label, 2024)
    set_current_phase(published, "published", results_public=True)
    embargo, _ = make_edition(label, 2025)
    set_current_phase(embargo, "embargo", results_public=False)
    not_started, _ = make_edition(label, 2026)
    PhaseFactory(
        edition=not_started,
        kind="published",
        starts_at=timezone.now() + timedelta(days=1),
        results_public=True,
    )
    return {
        "historical": historical,
        "published": published,
        "embargo": embargo,
        "not_started": not_started,
    }


def test_latest_public_palmares_skips_public_editions_without_awards(label, editions):
    make_award(editions["historical"], "Brest Créative", "Ville de Brest")
    make_award(editions["embargo"], "Projet sous embargo", "Ville de Rennes")

    palmares = latest_public_palmares()

    assert palmares.edition == editions["historical"]
    assert [award.title for award in palmares.themes[0].levels[0].awards] == ["Brest Créative"]


def test_latest_public_palmares_is_none_without_public_awards(label, editions):
    make_award(editions["embargo"], "Projet sous embargo", "Ville de Rennes")

    assert latest_public_palmares() is None


def test_latest_public_palmares_ignores_other_contests(editions):
    other, _ = make_edition(ContestFactory(name="Autre", slug="autre"), 2030, is_historical=True)
    make_award(other, "Projet d'un autre concours", "Ville de Brest")

    assert latest_public_palmares() is None
    assert latest_public_palmares("autre").edition == other
