"""accounts.totp: RFC 4226/6238 arithmetic, the window, replay, enrolment, recovery codes."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from accounts import totp
from accounts.models import RecoveryCode, TotpDevice
from tests.factories import UserFactory

# RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1): the ASCII key "12345678901234567890".
RFC_KEY = b"12345678901234567890"
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
NOW = datetime(2026, 3, 2, 9, 30, 10, tzinfo=UTC)
CODE_PATTERN = re.compile(r"^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$")


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@pytest.mark.parametrize(
    ("counter", "code"),
    [
        (0, "755224"),
        (1, "287082"),
        (2, "359152"),
        (3, "969429"),
        (4, "338314"),
        (5, "254676"),
        (6, "287922"),
        (7, "162583"),
        (8, "399871"),
        (9, "520489"),
    ],
)
def test_hotp_matches_the_rfc_4226_vectors(counter, code):
    assert totp.hotp(RFC_KEY, counter) == code


@pytest.mark.parametrize(
    ("seconds", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_the_rfc_6238_sha1_vectors(seconds, code):
    assert totp.totp(RFC_SECRET, _at(seconds), digits=8) == code
    # Six digits are the same number modulo 10^6: the vector's last six digits.
    assert totp.totp(RFC_SECRET, _at(seconds)) == code[-6:]


def test_decode_secret_reads_the_rfc_key_whatever_its_case_and_spaces():
    assert totp.decode_secret(RFC_SECRET) == RFC_KEY
    assert totp.decode_secret("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == RFC_KEY


def test_generate_secret_is_160_random_bits_in_base32():
    first, second = totp.generate_secret(), totp.generate_secret()

    assert len(first) == 32
    assert re.fullmatch(r"[A-Z2-7]{32}", first)
    assert len(base64.b32decode(first)) == 20
    assert first != second


def test_provisioning_uri_names_the_issuer_the_account_and_the_parameters():
    uri = totp.provisioning_uri(RFC_SECRET, "jure@exemple.org")

    assert uri == (
        "otpauth://totp/Palmar%C3%A8s:jure@exemple.org"
        "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Palmar%C3%A8s"
        "&algorithm=SHA1&digits=6&period=30"
    )


def _device(secret: str = RFC_SECRET, last_counter: int = -1) -> TotpDevice:
    return TotpDevice.objects.create(
        user=UserFactory(), secret=secret, confirmed_at=NOW, last_counter=last_counter
    )


def _code(moment: datetime) -> str:
    return totp.totp(RFC_SECRET, moment)


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [-30, 0, 30])
def test_verify_accepts_the_current_step_and_one_either_side(offset):
    device = _device()

    assert totp.verify_totp(device, _code(NOW + timedelta(seconds=offset)), NOW) is True
    assert TotpDevice.objects.get(pk=device.pk).last_counter == totp.time_step(NOW) + offset // 30


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [-60, 60])
def test_verify_refuses_a_code_two_steps_away(offset):
    device = _device()

    assert totp.verify_totp(device, _code(NOW + timedelta(seconds=offset)), NOW) is False
    assert TotpDevice.objects.get(pk=device.pk).last_counter == -1


@pytest.mark.django_db
def test_verify_refuses_the_same_code_twice():
    device = _device()
    code = _code(NOW)

    assert totp.verify_totp(device, code, NOW) is True
    assert totp.verify_totp(device, code, NOW + timedelta(seconds=5)) is False


@pytest.mark.django_db
def test_verify_refuses_an_older_step_once_a_later_one_was_accepted():
    device = _device()
    assert totp.verify_totp(device, _code(NOW + timedelta(seconds=30)), NOW) is True

    assert totp.verify_totp(device, _code(NOW), NOW) is False


@pytest.mark.django_db
def test_verify_replay_check_reads_the_database_not_the_stale_object():
    device = _device()
    stale = TotpDevice.objects.get(pk=device.pk)
    code = _code(NOW)

    assert totp.verify_totp(device, code, NOW) is True
    # Another request holding the device as it was before: the filtered update refuses it.
    assert totp.verify_totp(stale, code, NOW) is False


@pytest.mark.django_db
def test_verify_accepts_spaces_in_the_code():
    device = _device()
    code = _code(NOW)

    assert totp.verify_totp(device, f" {code[:3]} {code[3:]} ", NOW) is True


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_verify_refuses_malformed_codes(code):
    device = _device()

    assert totp.verify_totp(device, code, NOW) is False


@pytest.mark.django_db
def test_enrol_with_a_wrong_code_creates_nothing():
    user = UserFactory()

    assert totp.enrol(user, RFC_SECRET, "000000", NOW) is None
    assert TotpDevice.objects.filter(user=user).count() == 0
    assert RecoveryCode.objects.filter(user=user).count() == 0


@pytest.mark.django_db
def test_enrol_confirms_the_device_and_gives_ten_recovery_codes():
    user = UserFactory()

    device, codes = totp.enrol(user, RFC_SECRET, _code(NOW), NOW)

    assert (device.secret, device.confirmed_at) == (RFC_SECRET, NOW)
    # The enrolment's code is spent: it cannot be replayed at sign-in.
    assert device.last_counter == totp.time_step(NOW)
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(user=user, used_at=None).count() == 10


@pytest.mark.django_db
def test_enrol_again_replaces_the_device_and_the_codes():
    user = UserFactory()
    first, old_codes = totp.enrol(user, RFC_SECRET, _code(NOW), NOW)
    other = totp.generate_secret()
    later = NOW + timedelta(minutes=5)

    second, new_codes = totp.enrol(user, other, totp.totp(other, later), later)

    assert second.pk != first.pk
    assert list(TotpDevice.objects.filter(user=user).values_list("secret", flat=True)) == [other]
    assert totp.use_recovery_code(user, old_codes[0], later) is False
    assert totp.use_recovery_code(user, new_codes[0], later) is True


@pytest.mark.django_db
def test_recovery_codes_are_ten_distinct_codes_of_an_unambiguous_alphabet():
    user = UserFactory()

    codes = totp.generate_recovery_codes(user)

    assert len(set(codes)) == 10
    assert all(CODE_PATTERN.match(code) for code in codes)


@pytest.mark.django_db
def test_recovery_codes_are_stored_only_as_hmac():
    user = UserFactory()
    codes = totp.generate_recovery_codes(user)

    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))

    assert stored == {totp.hash_recovery_code(code) for code in codes}
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in stored)
    assert not any(code.replace("-", "") in value.upper() for code in codes for value in stored)


@pytest.mark.django_db
def test_recovery_code_works_once():
    user = UserFactory()
    code = totp.generate_recovery_codes(user)[3]

    assert totp.use_recovery_code(user, code, NOW) is True
    assert totp.use_recovery_code(user, code, NOW) is False
    assert totp.remaining_recovery_codes(user) == 9
    assert RecoveryCode.objects.filter(user=user, used_at=NOW).count() == 1


@pytest.mark.django_db
def test_recovery_code_is_read_without_case_dash_or_spaces():
    user = UserFactory()
    code = totp.generate_recovery_codes(user)[0]

    assert totp.use_recovery_code(user, f" {code.replace('-', ' ').lower()} ", NOW) is True


@pytest.mark.django_db
def test_recovery_code_of_another_user_is_refused():
    user, other = UserFactory(), UserFactory()
    totp.generate_recovery_codes(user)
    code = totp.generate_recovery_codes(other)[0]

    assert totp.use_recovery_code(user, code, NOW) is False
    assert totp.remaining_recovery_codes(other) == 10


@pytest.mark.django_db
def test_regenerating_recovery_codes_replaces_all_of_them():
    user = UserFactory()
    old = totp.generate_recovery_codes(user)
    totp.use_recovery_code(user, old[0], NOW)

    new = totp.generate_recovery_codes(user)

    assert totp.remaining_recovery_codes(user) == 10
    assert totp.use_recovery_code(user, old[1], NOW) is False
    assert totp.use_recovery_code(user, new[1], NOW) is True


@pytest.mark.django_db
def test_recovery_codes_survive_a_secret_key_rotation(settings):
    user = UserFactory()
    old_key = settings.SECRET_KEY
    code = totp.generate_recovery_codes(user)[0]

    with override_settings(SECRET_KEY="a-new-key-for-the-rotation", SECRET_KEY_FALLBACKS=[]):
        assert totp.use_recovery_code(user, code, NOW) is False
    with override_settings(SECRET_KEY="a-new-key-for-the-rotation", SECRET_KEY_FALLBACKS=[old_key]):
        assert totp.use_recovery_code(user, code, NOW) is True


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "ABCDE-2345", "ABCDE-23456-7", "ABCDE-2345O", "ABCDE-23451"])
def test_malformed_recovery_codes_are_refused_without_a_query(code, django_assert_num_queries):
    user = UserFactory()

    with django_assert_num_queries(0):
        assert totp.use_recovery_code(user, code, NOW) is False
