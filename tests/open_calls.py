"""The cached open calls (contests.call) as an empty test database has them.

Every page's header reads the open calls from the cache; a test starts with the copy of an empty
database (tests/conftest.py), and fixtures that empty the whole cache put it back, so that a page
costs the same queries whatever test ran before.
"""

from django.core.cache import cache

from contests.call import EMPTY, OPEN_CALLS_KEY


def assume_no_open_call() -> None:
    cache.set(OPEN_CALLS_KEY, EMPTY, None)
