import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    """Login throttling counts failures in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
