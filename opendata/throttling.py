"""Rate limit of the public API: requests per client address in a fixed window, in the cache.

Same approach as the login throttling (accounts/throttling.py, whose client_address it reuses):
Django's cache, shared by every web process: Redis when REDIS_URL is set, else the database's
cache table (settings.CACHES), so a restart forgets nothing and each worker counts the same
requests. The window is fixed (it starts at a multiple of its length) so that one counter per
address and window is enough: `add` then `incr` are atomic on Redis; on the database table two
simultaneous increments may count as one, which only makes the limit a little loose.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from accounts.throttling import client_address

DEFAULT_LIMIT = 120
DEFAULT_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Refusal:
    limit: int
    window_seconds: int
    retry_after_seconds: int


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "API_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS),
    )


def check(request: HttpRequest) -> Refusal | None:
    """Count this request against its address; a refusal once the window's limit is passed."""
    limit, window = limits()
    address = client_address(request) or "unknown"
    now = _now()
    started = math.floor(now / window) * window
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"api-requests:{digest}:{started}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return Refusal(limit, window, max(1, math.ceil(started + window - now)))
