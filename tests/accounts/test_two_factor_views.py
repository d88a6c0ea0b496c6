"""The two-factor pages: enrolment with its QR code, and the status page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import second_factor
from accounts.models import RecoveryCode, TotpDevice
from tests.factories import UserFactory
from tests.jury.factories import JurorFactory

from .pages import page_text
from .two_factor_support import (
    CODES,
    ENROL,
    QR,
    STATUS,
    VERIFY,
    enrol_device,
    marker,
    prove_mailbox,
    totp_code,
    with_next,
)

CODE_PATTERN = re.compile(r"<code>([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})</code>")
WRONG_CODE = (
    "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est exacte, "
    "puis saisissez le code affiché maintenant."
)


@pytest.fixture
def juror(db):
    """A juror who accepted the invitation with a new account, no authenticator yet."""
    return JurorFactory(user=UserFactory(email="jure@exemple.org")).user


def _pending(client) -> str:
    return client.session[second_factor.PENDING_SESSION_KEY]["secret"]


# ---------------------------------------------------------------------------- enrolment


def test_enrolment_page_shows_the_qr_code_the_key_and_the_uri(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)

    response = client.get(with_next(ENROL, "/jury/"))

    secret = _pending(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<img src="{QR}" width="240" height="240" alt="QR code de configuration' in page
    grouped = " ".join(secret[index : index + 4] for index in range(0, 32, 4))
    assert f"<code>{grouped}</code>" in page
    assert (
        f'href="otpauth://totp/Palmar%C3%A8s:jure@exemple.org?secret={secret}'
        "&amp;issuer=Palmar%C3%A8s&amp;algorithm=SHA1&amp;digits=6&amp;period=30"
    ) in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert '<input type="hidden" name="next" value="/jury/">' in page
    assert "activez la double authentification pour continuer" in page_text(response)


def test_enrolment_page_of_an_applicant_does_not_say_it_is_mandatory(applicant_client, applicant):
    response = prove_mailbox(applicant_client, applicant).get(ENROL)

    assert response.status_code == 200
    assert "pour continuer" not in page_text(response)


def test_enrolment_keeps_the_same_secret_across_reloads(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(ENROL)
    first = _pending(client)

    client.get(ENROL)

    assert _pending(client) == first


def test_qr_code_is_an_svg_of_the_pending_secret_never_cached(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(ENROL)

    response = client.get(QR)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    assert "no-store" in response["Cache-Control"]


def test_qr_code_without_an_enrolment_under_way_is_not_found(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)

    assert client.get(QR).status_code == 404


def test_enrolment_with_a_wrong_code_then_the_right_one(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(with_next(ENROL, "/jury/"))
    secret = _pending(client)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    refused = client.post(ENROL, {"code": wrong, "next": "/jury/"})

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"code": [WRONG_CODE]}
    assert f'value="{wrong}"' in refused.content.decode()  # what was typed stays
    assert f'<a href="#id_code">{WRONG_CODE}</a>'.replace("'", "&#x27;") in (
        refused.content.decode()
    )
    assert _pending(client) == secret  # the QR code already scanned stays valid
    assert not TotpDevice.objects.filter(user=juror).exists()

    accepted = client.post(ENROL, {"code": totp_code(secret), "next": "/jury/"})

    device = TotpDevice.objects.get(user=juror)
    codes = CODE_PATTERN.findall(accepted.content.decode())
    assert accepted.status_code == 200
    assert device.secret == secret
    assert device.confirmed_at is not None
    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=juror, used_at=None).count() == 10
    assert "no-store" in accepted["Cache-Control"]
    assert 'href="/jury/">J\'ai noté mes codes, continuer</a>' in accepted.content.decode()
    assert marker(client)["device"] == device.pk
    assert second_factor.PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("jury:home")).status_code == 200


def test_enrolment_with_a_malformed_code_says_what_a_code_looks_like(
    juror, force_login_first_factor
):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(ENROL)

    response = client.post(ENROL, {"code": "12a456"})

    assert response.context["form"].errors == {
        "code": ["Le code comporte 6 chiffres, sans lettre : par exemple 123456."]
    }


def test_enrolment_with_an_empty_code_asks_for_it(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(ENROL)

    response = client.post(ENROL, {"code": ""})

    assert response.context["form"].errors == {
        "code": ["Saisissez le code à 6 chiffres de votre application."]
    }
    assert "<title>Erreur – Activer la double authentification · Palmarès</title>" in (
        response.content.decode()
    )


def test_enrolment_ignores_an_external_next(juror, force_login_first_factor):
    client = prove_mailbox(force_login_first_factor(Client(), juror), juror)
    client.get(ENROL)

    response = client.post(
        ENROL, {"code": totp_code(_pending(client)), "next": "https://ailleurs.example/"}
    )

    # The external next is dropped: a juror continues to their jury space (accounts.landing).
    assert response.context["continue_url"] == "/jury/"


def test_verified_organiser_may_replace_the_authenticator(organiser, organiser_client):
    old = enrol_device(organiser)
    organiser_client.force_login(organiser)  # verified with this device

    response = organiser_client.get(ENROL)

    assert response.status_code == 200
    assert response.context["replacing"] is True
    assert "l'ancienne ne fonctionnera plus" in page_text(response)
    new_secret = _pending(organiser_client)
    assert new_secret != old.secret


def test_password_alone_may_not_replace_the_authenticator(organiser, force_login_first_factor):
    enrol_device(organiser)
    client = force_login_first_factor(Client(), organiser)

    response = client.get(with_next(ENROL, "/organisation/"))

    assert response.status_code == 302
    assert response["Location"] == with_next(VERIFY, "/organisation/")
    assert second_factor.PENDING_SESSION_KEY not in client.session


def test_visitor_is_sent_to_sign_in_from_the_enrolment(db):
    response = Client().get(ENROL)

    assert response.status_code == 302
    assert (
        response["Location"] == "/compte/connexion/?next=/compte/double-authentification/activer/"
    )


# ---------------------------------------------------------------------------- status


def test_status_of_an_organiser_without_authenticator_says_it_is_mandatory(organiser_client):
    response = organiser_client.get(STATUS)

    text = page_text(response)
    assert response.status_code == 200
    assert "la double authentification est obligatoire pour votre compte" in text
    assert f'href="{ENROL}">Activer la double authentification</a>' in response.content.decode()


def test_status_of_an_applicant_does_not_say_it_is_mandatory(applicant_client):
    response = applicant_client.get(STATUS)

    assert response.status_code == 200
    assert "obligatoire" not in page_text(response)


def test_status_of_an_enrolled_organiser(organiser, organiser_client):
    device = enrol_device(organiser)
    organiser_client.force_login(organiser)

    response = organiser_client.get(STATUS)

    text = page_text(response)
    assert response.context["device"] == device
    assert "Il vous reste 10 codes de secours inutilisés." in text
    assert f'href="{CODES}"' in response.content.decode()
    assert "Configurer une nouvelle application" in text


def test_account_page_links_to_the_second_factor(applicant_client):
    response = applicant_client.get(reverse("accounts:account"))

    assert f'<a href="{STATUS}">Double authentification' in response.content.decode()
