"""Signed, time-limited tokens for email confirmation links.

The token carries the user's id and the address being confirmed: if the address changes, links
sent to the old one stop working. Nothing is stored server side.
"""

from datetime import timedelta

from django.core import signing

MAX_AGE = timedelta(days=3)
_SALT = "accounts.email-confirmation"


class InvalidToken(Exception):
    """The link was altered or does not belong to an existing account."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is older than MAX_AGE."""


def make_token(user_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"user": user_id, "email": email})


def read_token(token: str) -> tuple[int, str]:
    """Return (user id, email) from a token, or raise ExpiredToken / InvalidToken."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        payload = signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except signing.BadSignature as error:
        raise InvalidToken from error
    try:
        return int(payload["user"]), str(payload["email"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error
