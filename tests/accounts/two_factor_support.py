"""Helpers of the two-factor tests: codes computed from the stored secret, enrolled users."""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from accounts import enrolment_proof, second_factor, totp
from accounts.models import TotpDevice

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
STATUS = reverse("accounts:two_factor")
CODES = reverse("accounts:two_factor_recovery_codes")
QR = reverse("accounts:two_factor_qr")
ADDRESS = "192.0.2.7"


def totp_code(secret: str, moment: datetime | None = None) -> str:
    """The code an authenticator shows at `moment` (RFC 6238, SHA-1, 6 digits, 30 s), computed
    here on its own rather than with accounts.totp, so that the tests check the site."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((moment or timezone.now()).timestamp()) // 30
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def next_code(secret: str) -> str:
    """The code of the next 30-second step: still accepted (±1 step), and never the one just
    used at enrolment, which the replay check would refuse."""
    return totp_code(secret, timezone.now() + timedelta(seconds=30))


def enrol_device(user) -> TotpDevice:
    """A confirmed authenticator for `user`, with its ten recovery codes (kept on the device
    object as `recovery_codes` for the tests)."""
    device = TotpDevice.objects.create(
        user=user, secret=totp.generate_secret(), confirmed_at=timezone.now()
    )
    device.recovery_codes = totp.generate_recovery_codes(user)
    return device


def with_next(url: str, next_path: str) -> str:
    return f"{url}?{urlencode({'next': next_path})}"


def marker(client) -> dict | None:
    return client.session.get(second_factor.SESSION_KEY)


def prove_mailbox(client, user):
    """The session holds the proof the emailed enrolment link gives (accounts.enrolment_proof),
    as if `user` had just used it: the enrolment page then shows the secret."""
    session = client.session
    enrolment_proof.grant(session, user)
    session.save()
    return client
