"""The proof a first enrolment needs besides the password: a link emailed to the account.

Without it, whoever guessed the password of an organiser or a juror not yet enrolled would enrol
their own authenticator, and hold the account. So the enrolment page of an account without an
authenticator shows no secret until the session holds this proof; it sends the link instead,
through the outbox, to the account's address (at most once every RESEND_AFTER_SECONDS, and
within the hourly limit of mails to an address, accounts.mail_limits).

The link is signed (user, address, a nonce), valid LINK_MAX_AGE, and single-use: its nonce is
kept in the shared cache until the link is used or a newer link replaces it (a lost cache entry
only refuses the link, it never accepts one). Opening it shows a button: using it (POST) puts
the proof in that browser's session, for PROOF_SECONDS, whether or not it is signed in yet
(signing in keeps the session's data). The technical staff still enrol on the server only
(`manage.py enrol_second_factor`), which needs no link.
"""

import enum
import hashlib
import secrets
import time
from datetime import timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.cache import cache

from . import emails, mail_limits
from .models import User

LINK_MAX_AGE = timedelta(minutes=30)
RESEND_AFTER_SECONDS = 300
PROOF_SECONDS = 30 * 60
PROOF_SESSION_KEY = "second_factor_enrolment_proof"
_SALT = "accounts.second-factor-enrolment"


class LinkRefused(Exception):
    """The link was altered, is not this account's, or was used or replaced."""


class LinkExpired(LinkRefused):
    """The link was genuine but is older than LINK_MAX_AGE."""


class Sending(enum.Enum):
    SENT = "sent"  # a new link just left (queued)
    RECENTLY = "recently"  # one left less than RESEND_AFTER_SECONDS ago: nothing sent
    LIMITED = "limited"  # the address had its hour's mails: nothing sent


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


def _nonce_key(user_pk: int) -> str:
    return f"second-factor-enrolment:nonce:{user_pk}"


def _digest(nonce: str) -> str:
    # The cache keeps a digest: reading the cache does not give a usable link.
    return hashlib.sha256(nonce.encode()).hexdigest()


def make_token(user: User) -> str:
    """A new link's token; it replaces any earlier link of `user`."""
    nonce = secrets.token_urlsafe(16)
    timeout = int(LINK_MAX_AGE.total_seconds())
    cache.set(_nonce_key(user.pk), _digest(nonce), timeout=timeout)
    payload = {"user": user.pk, "email": user.email, "nonce": nonce}
    return signing.TimestampSigner(salt=_SALT).sign_object(payload)


def read_token(token: str) -> User:
    """The account a genuine, unexpired, unused link belongs to (the link stays unused)."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkRefused from error
    try:
        user_pk, email, nonce = int(payload["user"]), str(payload["email"]), str(payload["nonce"])
    except (KeyError, TypeError, ValueError) as error:
        raise LinkRefused from error
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or user.email.lower() != email.lower():
        raise LinkRefused
    if cache.get(_nonce_key(user_pk)) != _digest(nonce):
        raise LinkRefused
    return user


def use_token(token: str) -> User:
    """Check the link and spend it: a second use is refused (`LinkRefused`)."""
    user = read_token(token)
    # delete() says whether it removed the entry: of two simultaneous uses, one wins.
    if not cache.delete(_nonce_key(user.pk)):
        raise LinkRefused
    return user


def send_link(user: User, *, base_url: str) -> Sending:
    """Email a new enrolment link to `user`, unless one left recently or the address's hourly
    limit is reached (then nothing is sent and the earlier link stays valid)."""
    if not cache.add(f"second-factor-enrolment:sent:{user.pk}", 1, RESEND_AFTER_SECONDS):
        return Sending.RECENTLY
    if not mail_limits.address_may_receive(user.email):
        return Sending.LIMITED
    emails.send_second_factor_enrolment(
        user, token=make_token(user), base_url=base_url, minutes=_minutes(LINK_MAX_AGE)
    )
    return Sending.SENT


def grant(session: SessionBase, user: User) -> None:
    """Record in the session that `user`'s mailbox was proven just now."""
    session[PROOF_SESSION_KEY] = {"user": user.pk, "at": int(_now())}


def holds(session: SessionBase, user: User) -> bool:
    proof = session.get(PROOF_SESSION_KEY)
    if not proof or proof.get("user") != user.pk:
        return False
    return 0 <= _now() - proof.get("at", 0) < PROOF_SECONDS


def forget(session: SessionBase) -> None:
    session.pop(PROOF_SESSION_KEY, None)


def _minutes(delay: timedelta) -> int:
    return int(delay.total_seconds() // 60)
