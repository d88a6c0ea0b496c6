"""The two-factor pages: the code page after sign-in, and the recovery codes page."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import RecoveryCode
from tests.factories import UserFactory
from tests.jury.factories import JurorFactory

from .pages import page_text
from .two_factor_support import (
    ADDRESS,
    CODES,
    ENROL,
    VERIFY,
    enrol_device,
    marker,
    next_code,
    with_next,
)

CODE_PATTERN = re.compile(r"<code>([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})</code>")
REFUSED_CODE = (
    "Ce code n'est pas valide ou a déjà servi. Saisissez le code affiché maintenant par votre "
    "application."
)


@pytest.fixture
def juror(db):
    """A juror who accepted the invitation with a new account, no authenticator yet."""
    return JurorFactory(user=UserFactory(email="jure@exemple.org")).user


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ----------------------------------------------------------------------- code page


@pytest.fixture
def enrolled(organiser, force_login_first_factor):
    """The organiser, enrolled, signed in with the password only."""
    device = enrol_device(organiser)
    client = force_login_first_factor(Client(), organiser)
    return client, device


def test_code_page_shows_both_ways(enrolled):
    client, _device = enrolled

    response = client.get(with_next(VERIFY, "/organisation/"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<input type="hidden" name="next" value="/organisation/">') == 2
    assert 'autocomplete="one-time-code"' in page
    assert 'name="recovery_code"' in page


def test_right_code_leads_to_next(enrolled):
    client, device = enrolled

    response = client.post(
        VERIFY, {"code": next_code(device.secret), "next": "/organisation/"}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisation/"
    assert marker(client)["device"] == device.pk
    assert client.get("/organisation/").status_code == 200


def test_code_page_refuses_an_external_next(enrolled):
    client, device = enrolled

    response = client.post(
        VERIFY, {"code": next_code(device.secret), "next": "https://ailleurs.example/"}
    )

    assert response["Location"] == "/"


def test_wrong_code_is_refused_and_kept(enrolled):
    client, device = enrolled
    wrong = f"{(int(next_code(device.secret)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert response.context["code_form"].errors == {"code": [REFUSED_CODE]}
    assert f'value="{wrong}"' in response.content.decode()
    assert marker(client) is None


def test_a_code_is_accepted_once(enrolled, organiser, force_login_first_factor):
    client, device = enrolled
    code = next_code(device.secret)
    client.post(VERIFY, {"code": code})
    other = force_login_first_factor(Client(), organiser)

    response = other.post(VERIFY, {"code": code})

    assert response.context["code_form"].errors == {"code": [REFUSED_CODE]}
    assert marker(other) is None


def test_code_page_is_throttled_after_five_wrong_codes(enrolled):
    client, device = enrolled
    for _ in range(5):
        client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=ADDRESS)

    response = client.post(VERIFY, {"code": next_code(device.secret)}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert response.context["code_form"].non_field_errors() == [
        "Trop de codes erronés. Pour votre sécurité, réessayez dans 15 minutes."
    ]
    assert marker(client) is None


def test_code_page_throttle_is_not_reset_by_signing_in_again(organiser, enrolled):
    client, device = enrolled
    for _ in range(5):
        client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=ADDRESS)
    # A right password clears the password's failures, never the code's.
    client.post(
        reverse("accounts:login"),
        {"email": organiser.email, "password": "mot-de-passe-solide-42"},
        REMOTE_ADDR="198.51.100.9",
    )

    response = client.post(VERIFY, {"code": next_code(device.secret)}, REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 429


def test_recovery_code_works_once_and_tells_how_many_are_left(
    enrolled, organiser, force_login_first_factor
):
    client, device = enrolled
    code = device.recovery_codes[0]

    response = client.post(VERIFY, {"recovery_code": code.lower(), "next": "/organisation/"})

    assert response.status_code == 302
    assert response["Location"] == "/organisation/"
    assert _messages(response) == ["Code de secours accepté. Il vous reste 9 codes de secours."]
    again = force_login_first_factor(Client(), organiser).post(VERIFY, {"recovery_code": code})
    assert again.status_code == 200
    assert again.context["recovery_form"].errors == {
        "recovery_code": ["Ce code de secours n'est pas valide ou a déjà servi."]
    }


def test_last_recovery_code_asks_for_new_ones(enrolled):
    client, device = enrolled
    RecoveryCode.objects.filter(user=device.user).exclude(
        pk=RecoveryCode.objects.filter(user=device.user).order_by("pk").first().pk
    ).update(used_at=device.confirmed_at)
    first_code = device.recovery_codes[0]

    response = client.post(VERIFY, {"recovery_code": first_code})

    assert _messages(response) == [
        "Vous avez utilisé votre dernier code de secours. Générez-en de nouveaux dès maintenant."
    ]


def test_malformed_recovery_code_says_what_one_looks_like(enrolled):
    client, _device = enrolled

    response = client.post(VERIFY, {"recovery_code": "ABC"})

    assert response.context["recovery_form"].errors == {
        "recovery_code": [
            "Un code de secours comporte 10 lettres ou chiffres, par exemple ABCDE-23456."
        ]
    }
    assert response.context["code_form"].errors == {}


def test_code_page_without_authenticator_leads_to_enrolment(juror, force_login_first_factor):
    client = force_login_first_factor(Client(), juror)

    response = client.get(with_next(VERIFY, "/jury/"))

    assert response.status_code == 302
    assert response["Location"] == with_next(ENROL, "/jury/")


# ------------------------------------------------------------------ recovery codes page


def test_recovery_codes_page_tells_how_many_are_left(enrolled, organiser):
    client, device = enrolled
    client.post(VERIFY, {"recovery_code": device.recovery_codes[0]})

    response = client.get(CODES)

    assert response.status_code == 200
    assert "Il vous reste 9 codes de secours inutilisés." in page_text(response)
    assert CODE_PATTERN.findall(response.content.decode()) == []


def test_new_recovery_codes_replace_the_old_ones(enrolled, organiser):
    client, device = enrolled
    client.post(VERIFY, {"code": next_code(device.secret)})

    response = client.post(CODES)

    codes = CODE_PATTERN.findall(response.content.decode())
    assert response.status_code == 200
    assert len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    assert "Vos anciens codes de secours ne fonctionnent plus." in page_text(response)
    hashes = set(RecoveryCode.objects.filter(user=organiser).values_list("code_hash", flat=True))
    assert len(hashes) == 10
    assert not any(code in page_text(response) for code in device.recovery_codes)


def test_password_alone_may_not_see_or_replace_recovery_codes(enrolled, organiser):
    client, _device = enrolled
    before = set(RecoveryCode.objects.filter(user=organiser).values_list("code_hash", flat=True))

    response = client.post(CODES)

    assert response.status_code == 302
    assert response["Location"] == with_next(VERIFY, CODES)
    after = set(RecoveryCode.objects.filter(user=organiser).values_list("code_hash", flat=True))
    assert after == before


def test_recovery_codes_without_authenticator_lead_to_enrolment(organiser_client):
    response = organiser_client.get(CODES)

    assert response.status_code == 302
    assert response["Location"] == ENROL
