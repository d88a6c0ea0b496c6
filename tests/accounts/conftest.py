import pytest
from django.core.cache import cache

from tests.open_calls import assume_no_open_call


@pytest.fixture(autouse=True)
def clear_cache():
    """Login throttling counts failures in the cache: each test starts with none."""
    cache.clear()
    assume_no_open_call()  # tests/open_calls.py
    yield
    cache.clear()
