import pytest
from django.core.cache import cache
from django.core.management import call_command

from contests.models import Contest
from tests.open_calls import assume_no_open_call


@pytest.fixture(autouse=True)
def fresh_cache_and_files(settings, tmp_path):
    """Each test starts with no rate-limit counts and its own open-data folder."""
    cache.clear()
    assume_no_open_call()  # tests/open_calls.py
    settings.OPEN_DATA_ROOT = str(tmp_path / "opendata")
    yield
    cache.clear()


@pytest.fixture
def palmares(db) -> None:
    """data/palmares.csv imported as in production (the import refreshes the index)."""
    call_command("import_palmares", "data/palmares.csv", verbosity=0)


@pytest.fixture
def label(db) -> Contest:
    return Contest.objects.get(slug="label-territoire-innovant")
