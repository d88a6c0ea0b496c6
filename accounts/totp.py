"""One-time passwords: RFC 4226 (HOTP) and RFC 6238 (TOTP), and single-use recovery codes.

The parameters are the ones every authenticator application assumes when an otpauth:// URI
names none: HMAC-SHA-1, 6 digits, 30-second steps. The arithmetic is plain functions over the
standard library; the only database writes are the two that must be atomic (accepting a time
step, spending a recovery code) and the enrolment that creates a device.
"""

import base64
import hashlib
import hmac
import logging
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from .models import RecoveryCode, TotpDevice, User

activity = logging.getLogger("activity")

DIGITS = 6
STEP_SECONDS = 30
# One step either side of now: a phone clock a little off, or a code typed as it changed.
WINDOW_STEPS = 1
# 160 bits, the key length RFC 4226 § 4 recommends for HMAC-SHA-1.
SECRET_BYTES = 20

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# Read from paper and typed by hand: no 0/O nor 1/I. 32 symbols, so 50 random bits a code.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_RECOVERY_SALT = "palmares.accounts.totp.recovery-code"


# ----------------------------------------------------------------------------- arithmetic


def generate_secret() -> str:
    """A new random key, base32 without padding (32 characters), as authenticators read it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, case and missing padding are tolerated."""
    compact = "".join(secret.split()).upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 § 5.3: HMAC-SHA-1 of the counter, dynamically truncated, `digits` long."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    (binary,) = struct.unpack(">I", digest[offset : offset + 4])
    return str((binary & 0x7FFFFFFF) % 10**digits).zfill(digits)


def time_step(moment: datetime) -> int:
    """RFC 6238 § 4.2: the number of whole steps since the Unix epoch (T0 = 0)."""
    return int(moment.timestamp()) // STEP_SECONDS


def totp(secret: str, moment: datetime, digits: int = DIGITS) -> str:
    """The code an authenticator shows at `moment` for `secret`."""
    return hotp(decode_secret(secret), time_step(moment), digits)


def provisioning_uri(secret: str, email: str, issuer: str = "Palmarès") -> str:
    """The otpauth://totp/ URI an authenticator reads from the QR code (Key Uri Format)."""
    label = f"{quote(issuer, safe='')}:{quote(email, safe='@')}"
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def normalise_code(code: str) -> str:
    """The code without the spaces some applications show in its middle ("123 456")."""
    return "".join(code.split())


def is_well_formed_code(code: str) -> bool:
    normalised = normalise_code(code)
    return len(normalised) == DIGITS and normalised.isascii() and normalised.isdigit()


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The time step, within the window around `moment`, whose code is `code`; else None."""
    if not is_well_formed_code(code):
        return None
    code = normalise_code(code)
    key = decode_secret(secret)
    current = time_step(moment)
    found = None
    # Every step of the window is computed and compared in constant time, matched or not.
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            found = step
    return found


# ------------------------------------------------------------------------------ devices


def verify_totp(device: TotpDevice, code: str, now: datetime) -> bool:
    """Accept `code` for `device` once: a step at or before the last accepted one is refused.

    Effects: on success, device.last_counter is raised to the step in the database and on
    `device`. The update is filtered on the old value, so two requests racing with the same
    code cannot both succeed (RFC 6238 § 5.2: a verifier must not accept a code twice).
    """
    step = matching_step(device.secret, code, now)
    if step is None:
        return False
    accepted = TotpDevice.objects.filter(pk=device.pk, last_counter__lt=step).update(
        last_counter=step
    )
    if accepted:
        device.last_counter = step
    return bool(accepted)


def enrol(user: User, secret: str, code: str, now: datetime) -> tuple[TotpDevice, list[str]] | None:
    """Confirm a new authenticator with its first code; None when the code does not match.

    Effects, in one transaction: the user's previous device is deleted (so sessions verified
    with it lose their marker: second_factor.is_verified compares the device id), a confirmed
    device is created with the code's step as its last counter (that code cannot be replayed
    at sign-in), and the recovery codes are replaced by new ones, returned in clear.
    """
    step = matching_step(secret, code, now)
    if step is None:
        return None
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        device = TotpDevice.objects.create(
            user=user, secret=secret, confirmed_at=now, last_counter=step
        )
        codes = generate_recovery_codes(user)
    return device, codes


# ------------------------------------------------------------------------ recovery codes


def normalise_recovery_code(code: str) -> str:
    """Upper case, without the spaces and dashes people copy along with the code."""
    return "".join(code.split()).replace("-", "").upper()


def format_recovery_code(code: str) -> str:
    """XXXXX-XXXXX, easier to read back and type than ten characters in a row."""
    half = RECOVERY_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def hash_recovery_code(code: str, secret_key: str | None = None) -> str:
    """HMAC-SHA-256 keyed by SECRET_KEY (or an older key) of the normalised code.

    No slow password hash is needed: each code carries 50 random bits, so there is no dictionary
    to try, and without the key (which is not in the database) a stolen table tells nothing.
    """
    return salted_hmac(
        _RECOVERY_SALT,
        normalise_recovery_code(code),
        secret=secret_key,
        algorithm="sha256",
    ).hexdigest()


def generate_recovery_codes(user: User) -> list[str]:
    """Replace all the user's recovery codes by new ones; return them, formatted, in clear.

    Effects: the previous codes, used or not, are deleted; only the hashes of the new codes
    are stored. The caller shows the codes once and never stores them.
    """
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=hash_recovery_code(code)) for code in codes
        )
    return [format_recovery_code(code) for code in codes]


def is_well_formed_recovery_code(code: str) -> bool:
    normalised = normalise_recovery_code(code)
    return len(normalised) == RECOVERY_CODE_LENGTH and all(
        character in RECOVERY_ALPHABET for character in normalised
    )


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    """Spend one of the user's unused recovery codes; False when none matches.

    Effects: the code's used_at is set. The update is filtered on used_at being empty, so a
    code is spent once even by two simultaneous requests. Codes hashed with a key now in
    SECRET_KEY_FALLBACKS still work, so rotating the key does not lock anyone out.
    """
    if not is_well_formed_recovery_code(code):
        return False
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    hashes = [hash_recovery_code(code, key) for key in keys]
    spent = RecoveryCode.objects.filter(
        user=user, code_hash__in=hashes, used_at__isnull=True
    ).update(used_at=now)
    return spent > 0


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def reset_second_factor(user: User, *, by: User) -> bool:
    """Forget the user's authenticator and recovery codes (a lost phone and no code left).

    The next page asks for a new enrolment (the gate finds no device; sessions verified with the
    old one lose their mark within second_factor.RECHECK_SECONDS). Returns whether there was
    anything to forget; logged with who did it.
    """
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        activity.info("second factor reset", extra={"user": user.pk, "by": by.pk})
    return bool(deleted)
