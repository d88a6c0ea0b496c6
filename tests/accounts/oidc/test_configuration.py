"""The provider is optional: unset, no button and 404; set, the button above the password form,
which keeps working. No provider process needed: nothing here calls it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import oidc
from tests.accounts.pages import page_text
from tests.conftest import PASSWORD
from tests.factories import UserFactory

BUTTON = "S'identifier avec ProConnect"
OIDC_URLS = ("accounts:oidc_login", "accounts:oidc_callback", "accounts:oidc_logout_callback")


@pytest.fixture
def configured(settings):
    settings.OIDC_PROVIDER_URL = "https://auth.proconnect.example/api/v2"
    settings.OIDC_CLIENT_ID = "palmares"
    settings.OIDC_CLIENT_SECRET = "secret"
    settings.OIDC_SCOPES = "openid email given_name usual_name siret"
    settings.OIDC_PROVIDER_NAME = "ProConnect"
    settings.OIDC_ACR_VALUES = ""
    return settings


@pytest.fixture
def not_configured(settings):
    settings.OIDC_PROVIDER_URL = ""
    settings.OIDC_CLIENT_ID = ""
    settings.OIDC_CLIENT_SECRET = ""
    return settings


def test_login_page_shows_the_button_when_configured(client, configured, db):
    response = client.get(reverse("accounts:login") + "?next=/compte/")

    page = response.content.decode()
    assert BUTTON in page_text(response)
    assert f'<a class="button" href="{reverse("accounts:oidc_login")}?next=/compte/">' in page
    # Above the password form, which stays.
    assert page.index("oidc-sign-in") < page.index('name="password"')


def test_login_page_has_no_button_when_not_configured(client, not_configured, db):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert BUTTON not in page_text(response)
    assert reverse("accounts:oidc_login") not in response.content.decode()
    assert 'name="password"' in response.content.decode()


@pytest.mark.parametrize("name", OIDC_URLS)
def test_oidc_urls_answer_404_when_not_configured(client, not_configured, db, name):
    assert client.get(reverse(name)).status_code == 404


def test_a_missing_secret_is_not_configured(configured):
    configured.OIDC_CLIENT_SECRET = ""

    assert oidc.provider_config() is None


def test_configuration_reads_the_settings(configured):
    configured.OIDC_ACR_VALUES = "eidas1"

    assert oidc.provider_config() == oidc.ProviderConfig(
        issuer="https://auth.proconnect.example/api/v2",
        client_id="palmares",
        client_secret="secret",
        scopes="openid email given_name usual_name siret",
        name="ProConnect",
        acr_values="eidas1",
    )


def test_password_login_still_works_when_configured(configured, db):
    user = UserFactory(email="agent@exemple.fr")
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"email": "agent@exemple.fr", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_is_still_refused_when_configured(configured, db):
    UserFactory(email="agent@exemple.fr")
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"email": "agent@exemple.fr", "password": "pas-le-bon"}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
