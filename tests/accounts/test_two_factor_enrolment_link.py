"""A first enrolment needs the link emailed to the account: the password alone never shows the
secret or its QR code; the link is single-use, short-lived, and its sending is throttled."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts import enrolment_proof, second_factor
from accounts.models import TotpDevice
from notifications.models import OutgoingEmail
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.jury.factories import JurorFactory

from .pages import page_text
from .two_factor_support import ENROL, QR, enrol_device, prove_mailbox, totp_code

KIND = "accounts.second_factor_enrolment"
GROUPED_SECRET = re.compile(r"<code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>")
LINK = re.compile(r"https?://[^\s]+/compte/double-authentification/activer/lien/([^/\s]+)/")
SENT = "Un lien d'activation vient de vous être envoyé à jure@exemple.org."
SPENT = (
    "Ce lien d'activation n'est pas valable : il a déjà servi, un lien plus récent l'a "
    "remplacé, ou il n'a pas été copié en entier. Connectez-vous : un nouveau lien vous sera "
    "envoyé."
)


@pytest.fixture
def juror(db):
    """A juror who accepted the invitation with a new account, no authenticator yet."""
    return JurorFactory(user=UserFactory(email="jure@exemple.org")).user


@pytest.fixture
def password_only(juror, force_login_first_factor) -> Client:
    """Whoever has the juror's password, and nothing else."""
    return force_login_first_factor(Client(), juror)


def link_paths() -> list[str]:
    """The paths of the enrolment links sent, oldest first."""
    bodies = OutgoingEmail.objects.filter(kind=KIND).order_by("pk").values_list("body", flat=True)
    return [
        reverse("accounts:two_factor_enrol_link", kwargs={"token": match})
        for body in bodies
        for match in LINK.findall(body)
    ]


def shows_a_secret(response) -> bool:
    page = response.content.decode()
    return "otpauth://" in page or QR in page or bool(GROUPED_SECRET.search(page))


def test_the_password_alone_shows_no_secret_and_sends_the_link(juror, password_only):
    response = password_only.get(ENROL)

    assert response.status_code == 200
    assert SENT in page_text(response)
    assert "activez la double authentification pour continuer" in page_text(response)
    assert not shows_a_secret(response)
    assert second_factor.PENDING_SESSION_KEY not in password_only.session
    assert password_only.get(QR).status_code == 404
    email = OutgoingEmail.objects.get(kind=KIND)
    assert (email.to, email.subject) == (
        ["jure@exemple.org"],
        "Label Territoire Innovant : activez la double authentification",
    )
    assert "Ce lien est valable 30 minutes et ne sert qu'une fois." in email.body
    assert "/compte/mot-de-passe/oublie/" in email.body
    assert len(link_paths()) == 1


def test_a_code_posted_with_the_password_alone_enrols_nothing(juror, password_only):
    response = password_only.post(ENROL, {"code": "123456"})

    assert response.status_code == 200
    assert not shows_a_secret(response)
    assert not TotpDevice.objects.filter(user=juror).exists()


def test_the_link_shows_a_button_then_the_secret(juror, password_only):
    password_only.get(ENROL)
    (link,) = link_paths()

    opened = password_only.get(link)
    opened_again = password_only.get(link)  # a mail scanner's visit spends nothing
    used = password_only.post(link)
    page = password_only.get(ENROL)

    assert opened.status_code == opened_again.status_code == 200
    assert f'<form class="form" method="post" action="{link}">' in opened.content.decode()
    assert (used.status_code, used["Location"]) == (302, ENROL)
    assert page.status_code == 200
    assert shows_a_secret(page)
    secret = password_only.session[second_factor.PENDING_SESSION_KEY]["secret"]
    assert password_only.get(QR).status_code == 200
    enrolled = password_only.post(ENROL, {"code": totp_code(secret)})
    assert enrolled.status_code == 200
    assert TotpDevice.objects.get(user=juror).secret == secret
    assert enrolment_proof.PROOF_SESSION_KEY not in password_only.session


def test_a_used_link_is_refused(juror, password_only):
    password_only.get(ENROL)
    (link,) = link_paths()
    password_only.post(link)

    again = Client().post(link)
    opened = Client().get(link)

    assert again.status_code == opened.status_code == 400
    assert SPENT in page_text(again)
    assert enrolment_proof.PROOF_SESSION_KEY not in Client().session


def test_an_expired_link_is_refused(juror, password_only, monkeypatch):
    password_only.get(ENROL)
    (link,) = link_paths()
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    browser = Client()  # (the idle session timeout ended the signed-in one meanwhile)

    response = browser.post(link)

    assert response.status_code == 400
    assert "Ce lien d'activation a expiré." in page_text(response)
    assert enrolment_proof.PROOF_SESSION_KEY not in browser.session


def test_an_altered_link_is_refused(juror, password_only):
    password_only.get(ENROL)
    (link,) = link_paths()
    altered = link.replace("/lien/", "/lien/x")

    response = password_only.post(altered)

    assert response.status_code == 400
    assert enrolment_proof.PROOF_SESSION_KEY not in password_only.session


def test_a_newer_link_replaces_the_older(juror, password_only, monkeypatch):
    password_only.get(ENROL)
    later = time.time() + enrolment_proof.RESEND_AFTER_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the cooldown is over
    second = password_only.get(ENROL)
    first_link, second_link = link_paths()

    assert SENT in page_text(second)
    assert password_only.post(first_link).status_code == 400
    assert password_only.post(second_link).status_code == 302


def test_sending_is_throttled(juror, password_only):
    password_only.get(ENROL)

    again = password_only.get(ENROL)

    assert OutgoingEmail.objects.filter(kind=KIND).count() == 1
    assert (
        "Un lien d'activation vous a été envoyé à jure@exemple.org il y a moins de 5 minutes."
        in page_text(again)
    )
    assert not shows_a_secret(again)


def test_no_link_past_the_hourly_limit_of_the_address(juror, password_only, settings):
    settings.ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = 0

    response = password_only.get(ENROL)

    assert "Trop de messages ont été envoyés à jure@exemple.org dans l'heure" in page_text(response)
    assert not OutgoingEmail.objects.filter(kind=KIND).exists()
    assert not shows_a_secret(response)


def test_a_link_opened_in_another_account_is_refused_and_not_spent(juror, password_only):
    password_only.get(ENROL)
    (link,) = link_paths()
    other = Client()
    other.force_login(UserFactory(email="autre@exemple.org"))

    refused = other.post(link)

    assert refused.status_code == 403
    assert "Ce lien d'activation a été envoyé à un autre compte" in page_text(refused)
    assert enrolment_proof.PROOF_SESSION_KEY not in other.session
    assert password_only.post(link).status_code == 302


def test_a_link_used_before_signing_in_allows_the_enrolment_after_the_password(juror):
    # The link left after a sign-in elsewhere; the person opens it in a signed-out browser.
    elsewhere = Client()
    elsewhere.post(reverse("accounts:login"), {"email": juror.email, "password": PASSWORD})
    elsewhere.get(ENROL)
    (link,) = link_paths()
    browser = Client()

    used = browser.post(link)
    signed_in = browser.post(
        reverse("accounts:login"), {"email": juror.email, "password": PASSWORD}
    )
    page = browser.get(signed_in["Location"])

    assert (used.status_code, used["Location"]) == (302, reverse("accounts:login"))
    assert signed_in["Location"].split("?")[0] == ENROL
    assert shows_a_secret(page)


def test_the_proof_of_another_account_does_not_count(juror, password_only):
    prove_mailbox(password_only, UserFactory(email="autre@exemple.org"))

    response = password_only.get(ENROL)

    assert not shows_a_secret(response)


def test_the_proof_lasts_half_an_hour(juror, password_only, monkeypatch):
    prove_mailbox(password_only, juror)
    later = time.time() + enrolment_proof.PROOF_SECONDS + 1
    monkeypatch.setattr(enrolment_proof, "_now", lambda: later)

    response = password_only.get(ENROL)

    assert not shows_a_secret(response)


def test_an_enrolled_person_replaces_the_authenticator_without_a_link(organiser):
    enrol_device(organiser)
    client = Client()
    client.force_login(organiser)  # password and code

    response = client.get(ENROL)

    assert response.context["replacing"] is True
    assert shows_a_secret(response)
    assert not OutgoingEmail.objects.filter(kind=KIND).exists()


def test_the_technical_admin_still_enrols_on_the_server_only(db, force_login_first_factor):
    admin = UserFactory(email="admin@exemple.org", is_staff=True, is_superuser=True)
    client = force_login_first_factor(Client(), admin)
    prove_mailbox(client, admin)

    response = client.get(ENROL)

    assert response.status_code == 403
    assert not shows_a_secret(response)
    assert not OutgoingEmail.objects.filter(kind=KIND).exists()
