"""The technical admin signs in through the site's sign-in page: same throttling, same second
factor; a staff account without an authenticator cannot enrol one on the web (issue 17, #1)."""

from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts import totp
from accounts.models import TotpDevice
from tests.conftest import PASSWORD
from tests.factories import UserFactory

from .two_factor_support import ENROL, QR, VERIFY, enrol_device, next_code, totp_code, with_next

ADMIN_LOGIN = "/admin-technique/login/"
ADMIN = "/admin-technique/"


@pytest.fixture
def staff(db):
    return UserFactory(email="technique@exemple.org", is_staff=True, is_superuser=True)


def _admin_post(client: Client, password: str, address: str = "192.0.2.9"):
    return client.post(
        ADMIN_LOGIN,
        {"username": "technique@exemple.org", "password": password, "next": ADMIN},
        REMOTE_ADDR=address,
    )


def _login_post(client: Client, password: str, address: str = "192.0.2.9"):
    return client.post(
        with_next(reverse("accounts:login"), ADMIN),
        {"email": "technique@exemple.org", "password": password},
        REMOTE_ADDR=address,
    )


def test_the_admin_login_authenticates_nobody_and_sends_to_the_site_sign_in(staff):
    client = Client()

    response = _admin_post(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == with_next(reverse("accounts:login"), ADMIN)
    assert SESSION_KEY not in client.session


def test_ten_wrong_passwords_then_the_right_one_is_refused(staff):
    client = Client()
    for _attempt in range(10):
        _admin_post(client, "mauvais-mot-de-passe")
        _login_post(client, "mauvais-mot-de-passe")

    response = _login_post(client, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_right_password_leads_to_the_code_page_then_the_admin(staff):
    device = enrol_device(staff)
    client = Client()

    response = _login_post(client, PASSWORD)
    gated = client.get(ADMIN)
    client.post(with_next(VERIFY, ADMIN), {"code": next_code(device.secret)})
    admin = client.get(ADMIN)

    assert response["Location"] == with_next(VERIFY, ADMIN)
    assert gated.status_code == 302
    assert gated["Location"] == with_next(VERIFY, ADMIN)
    assert admin.status_code == 200


def test_a_staff_account_without_authenticator_gets_no_enrolment_page(staff):
    client = Client()
    _login_post(client, PASSWORD)

    page = client.get(with_next(ENROL, ADMIN))
    posted = client.post(ENROL, {"code": "123456"})
    qr = client.get(QR)

    assert page.status_code == 403
    assert "manage.py enrol_second_factor" in page.content.decode()
    assert (posted.status_code, qr.status_code) == (403, 404)
    assert not TotpDevice.objects.filter(user=staff).exists()
    assert client.get(ADMIN).status_code == 302


def test_an_organiser_without_authenticator_still_enrols_on_the_web(db):
    organiser = UserFactory(email="organisatrice@exemple.org", is_organiser=True)
    client = Client()
    client.post(reverse("accounts:login"), {"email": organiser.email, "password": PASSWORD})

    assert client.get(ENROL).status_code == 200


def test_the_staff_enrols_from_the_terminal(staff, monkeypatch):
    secret = totp.generate_secret()
    monkeypatch.setattr(totp, "generate_secret", lambda: secret)
    out = StringIO()

    call_command("enrol_second_factor", staff.email, code=totp_code(secret), stdout=out)

    assert TotpDevice.objects.get(user=staff).confirmed_at is not None
    assert secret in out.getvalue()


def test_the_terminal_refuses_a_wrong_code(staff):
    with pytest.raises(CommandError, match="ne correspond pas"):
        call_command("enrol_second_factor", staff.email, code="000000", stdout=StringIO())

    assert not TotpDevice.objects.filter(user=staff).exists()
