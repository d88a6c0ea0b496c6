"""Fixtures of the demo tests: the seed runs on the real referential of tests/conftest.py."""

import pytest

from contests.models import Contest


@pytest.fixture
def label(db) -> Contest:
    return Contest.objects.get(slug="label-territoire-innovant")
