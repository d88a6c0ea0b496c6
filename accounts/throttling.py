"""Login throttling: count failed sign-ins per email and per client address in the cache.

A fixed window starts at the first failure: after `LOGIN_FAILURES_ALLOWED` failures within
`LOGIN_FAILURE_WINDOW_SECONDS` for the same email OR the same address, every further attempt is
refused until the window ends, even with the right password (otherwise the refusal itself would
tell an attacker which password is right). The cache is shared by every web process when
REDIS_URL is set; the per-process locmem cache is enough for development and tests.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Refusal:
    """Why and for how long further attempts are refused."""

    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy's last X-Forwarded-For hop behind it."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


def _key(kind: str, value: str) -> str:
    # Hashed so that no email address sits in the cache in clear, and keys stay short and safe
    # for every cache backend.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _subjects(email: str, address: str | None) -> list[str]:
    keys = [_key("email", normalise_email(email))]
    if address:
        keys.append(_key("address", address))
    return keys


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check(email: str, address: str | None) -> Refusal | None:
    """Return a refusal when the email or the address has used up its failures, else None."""
    now = _now()
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    longest = 0.0
    for key in _subjects(email, address):
        record = cache.get(key)
        if record and record["count"] >= settings.LOGIN_FAILURES_ALLOWED:
            longest = max(longest, record["started_at"] + window - now)
    return Refusal(retry_after_seconds=math.ceil(longest)) if longest > 0 else None


def record_failure(email: str, address: str | None) -> None:
    """Count one failed attempt against the email and the address.

    Read-modify-write: two simultaneous failures may count as one. That is acceptable for a
    throttle (an attacker gains one extra try at most), and it keeps the window's start time
    next to its count, which `incr` alone could not.
    """
    now = _now()
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _subjects(email, address):
        record = cache.get(key)
        if not record or record["started_at"] + window <= now:
            record = {"count": 0, "started_at": now}
        record["count"] += 1
        remaining = math.ceil(record["started_at"] + window - now)
        cache.set(key, record, timeout=max(1, remaining))


def clear_email(email: str) -> None:
    """Forget the failures of an email (after a successful sign-in or a password reset).

    The address's counter is kept: one successful sign-in from an address must not unlock
    guessing against other accounts from it.
    """
    cache.delete(_key("email", normalise_email(email)))
