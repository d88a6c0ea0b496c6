"""Fixtures of the contests tests: the two seeded contests and an edition built by the domain."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contests import domain
from contests.models import Contest, Edition

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def label(db) -> Contest:
    return Contest.objects.get(slug="label-territoire-innovant")


@pytest.fixture
def startup(db) -> Contest:
    return Contest.objects.get(slug="start-up-interconnectee")


@pytest.fixture
def edition(label, organiser) -> Edition:
    """The label's 2027 edition with its defaults: 3 levels, 6 criteria, 10 phases."""
    return domain.create_edition(label, 2027, by=organiser)
