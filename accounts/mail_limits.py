"""Limits on the emails anyone can trigger without an account: password reset and sign-up.

Per client address, requests of each kind in an hour (ACCOUNT_MAILS_PER_CLIENT_PER_HOUR): past
it, the form refuses with a message that names no address. Per email address, emails sent in an
hour whatever their kind (ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR): past it, nothing more is sent and
the page says the same as always, so that the limit tells nothing about who has an account.
The address limit is counted by the task that sends (accounts/tasks.py), not by the request:
the request does the same work for every address. Counters live in the shared cache.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .throttling import client_address, normalise_email

HOUR = 3600


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _count(key: str) -> int:
    """Add one to the hour's counter at `key`; the new count."""
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        return 1


def client_may_ask(request: HttpRequest, kind: str) -> bool:
    """Count one request of `kind` ("reset", "signup") from the client; False past the limit."""
    address = client_address(request) or ""
    count = _count(f"account-mail:client:{kind}:{_digest(address)}")
    return count <= settings.ACCOUNT_MAILS_PER_CLIENT_PER_HOUR


def address_may_receive(email: str) -> bool:
    """Count one email to `email`; False past the hour's limit (then send nothing)."""
    count = _count(f"account-mail:address:{_digest(normalise_email(email))}")
    return count <= settings.ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR
