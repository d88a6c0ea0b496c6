"""Fixtures of the catalogue tests: the label's contest."""

import pytest

from contests.models import Contest


@pytest.fixture
def label(db) -> Contest:
    # Seeded by a contests migration; get_or_create keeps the test independent of it.
    return Contest.objects.get_or_create(
        slug="label-territoire-innovant", defaults={"name": "Label Territoire Innovant"}
    )[0]
