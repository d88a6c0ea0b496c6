"""Sign-in throttling that slows guessing without locking out the person who knows the password.

Three counters, in the shared cache (settings.CACHES: the database or Redis, so every process
counts the same attempts and a restart forgets none):

1. per client address, across accounts (LOGIN_FAILURES_PER_ADDRESS in the window): one address
   trying many accounts is refused until the window ends;
2. per account and source (the address, or the known device): after LOGIN_FAILURES_ALLOWED
   failures that source is refused for the window, even with the right password (otherwise the
   refusal itself would tell which password is right);
3. per account, from anywhere: past LOGIN_FAILURES_ALLOWED failures, an attempt from an
   unknown device and address must wait a delay that doubles with each further failure (15 s,
   30 s, 1 min … up to LOGIN_BACKOFF_MAX_SECONDS) since the last one. Guesses spread over many
   addresses are slowed to a handful an hour; the account is never locked.

A device or an address the account signed in from before is "known": a signed cookie set at
each successful sign-in (LOGIN_KNOWN_DEVICE_DAYS) and a record of the address in the cache. A
known source skips the account's delay (3), so the jury president who signs in from her laptop
or her office passes while someone elsewhere guesses her password. Unknown and existing addresses
are counted alike: the answers never tell whether an account exists.
"""

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .throttling import Refusal, client_address, normalise_email

KNOWN_DEVICE_COOKIE = "palmares_appareil"
_COOKIE_SALT = "accounts.known-device"
# The first delay past the allowance; each further failure doubles it.
BACKOFF_FIRST_SECONDS = 15
# At most this many accounts are remembered by one browser.
_COOKIE_ACCOUNTS = 5


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


def _digest(value: str) -> str:
    # Keyed: the cookie and the cache keys name no address in clear, and cannot be forged.
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _account(email: str) -> str:
    return _digest("email:" + normalise_email(email))


def _known_devices(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(KNOWN_DEVICE_COOKIE, default="", salt=_COOKIE_SALT)
    return [item for item in value.split(":") if item]


def is_known_source(request: HttpRequest, email: str) -> bool:
    """Whether this browser, or this address, signed in to the account before."""
    account = _account(email)
    if account in _known_devices(request):
        return True
    address = client_address(request)
    return bool(address and cache.get(f"login:known-address:{account}:{_digest(address)}"))


def _source(request: HttpRequest, email: str) -> str:
    account = _account(email)
    if account in _known_devices(request):
        return f"login:source:{account}:device"
    return f"login:source:{account}:{_digest(client_address(request) or '')}"


def _address_key(request: HttpRequest) -> str | None:
    address = client_address(request)
    return f"login:address:{_digest(address)}" if address else None


def _window_refusal(key: str | None, allowed: int, now: float) -> float:
    record = cache.get(key) if key else None
    if record and record["count"] >= allowed:
        return record["started_at"] + settings.LOGIN_FAILURE_WINDOW_SECONDS - now
    return 0.0


def backoff_seconds(failures: int) -> int:
    """The delay an unknown source waits after the account's `failures`-th failure."""
    excess = failures - settings.LOGIN_FAILURES_ALLOWED
    if excess < 0:
        return 0
    return min(BACKOFF_FIRST_SECONDS * 2 ** min(excess, 30), settings.LOGIN_BACKOFF_MAX_SECONDS)


def check(request: HttpRequest, email: str) -> Refusal | None:
    """A refusal when this attempt must not even be checked, else None."""
    now = _now()
    wait = max(
        _window_refusal(_address_key(request), settings.LOGIN_FAILURES_PER_ADDRESS, now),
        _window_refusal(_source(request, email), settings.LOGIN_FAILURES_ALLOWED, now),
    )
    if not is_known_source(request, email):
        record = cache.get(f"login:account:{_account(email)}")
        if record:
            wait = max(wait, record["last_at"] + backoff_seconds(record["count"]) - now)
    return Refusal(retry_after_seconds=math.ceil(wait)) if wait > 0 else None


def _count_in_window(key: str, now: float) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    record = cache.get(key)
    if not record or record["started_at"] + window <= now:
        record = {"count": 0, "started_at": now}
    record["count"] += 1
    cache.set(key, record, timeout=max(1, math.ceil(record["started_at"] + window - now)))


def record_failure(request: HttpRequest, email: str) -> None:
    """Count a failed attempt against the address, the account's source and the account.

    The account's record lasts a window after its last failure (not its first), so that a slow,
    steady guesser stays slowed. Read-modify-write: two simultaneous failures may count as one.
    """
    now = _now()
    for key in (_address_key(request), _source(request, email)):
        if key:
            _count_in_window(key, now)
    key = f"login:account:{_account(email)}"
    record = cache.get(key) or {"count": 0}
    record = {"count": record["count"] + 1, "last_at": now}
    cache.set(key, record, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def record_success(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """Forget the source's failures; remember the device (cookie) and the address as known."""
    account = _account(email)
    cache.delete(_source(request, email))
    max_age = settings.LOGIN_KNOWN_DEVICE_DAYS * 86400
    address = client_address(request)
    if address:
        cache.set(f"login:known-address:{account}:{_digest(address)}", 1, timeout=max_age)
    devices = [account, *(item for item in _known_devices(request) if item != account)]
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        ":".join(devices[:_COOKIE_ACCOUNTS]),
        salt=_COOKIE_SALT,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_failures(request: HttpRequest, email: str) -> None:
    """After a password reset (the mailbox is proven): the account starts afresh."""
    cache.delete_many([f"login:account:{_account(email)}", _source(request, email)])
