"""Signing out after a provider sign-in also ends the provider's session (RP-initiated logout)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.views.oidc import SESSION_ID_TOKEN
from tests.accounts.pages import page_text
from tests.factories import UserFactory

from .conftest import POST_LOGOUT_REDIRECT_URI
from .flow import follow_provider, form_of, path_of, sign_in, start

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("oidc-provider")]

LOGOUT = reverse("accounts:logout")


def _refresh_url(response) -> str:
    match = re.search(
        r'<meta http-equiv="refresh" content="0; url=([^"]+)">', response.content.decode()
    )
    assert match, response.content.decode()[:500]
    return html.unescape(match.group(1))


def test_logout_after_provider_sign_in_ends_the_provider_session(client, oidc_settings, db):
    browser = requests.Session()
    sign_in(client, "agent-sans-siret", browser=browser)
    id_token = client.session[SESSION_ID_TOKEN]

    response = client.post(LOGOUT)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    end_session = _refresh_url(response)
    assert end_session.startswith(oidc_settings.OIDC_PROVIDER_URL + "/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [POST_LOGOUT_REDIRECT_URI]
    assert len(query["state"][0]) >= 32
    assert f'<a class="button" href="{html.escape(end_session)}">' in response.content.decode()
    assert "Vous êtes déconnecté de Palmarès." in page_text(response)

    # At the provider: its confirmation form, then back to us with the state.
    confirm = browser.get(end_session, allow_redirects=False)
    form = form_of(confirm.text)
    back = follow_provider(
        browser,
        browser.post(
            requests.compat.urljoin(confirm.url, form["action"]),
            data={**form["fields"], "logout": "yes"},
            allow_redirects=False,
        ),
    )
    returned = client.get(path_of(back.headers["Location"]))

    assert returned.status_code == 302
    assert returned["Location"] == "/"
    assert [str(m) for m in get_messages(returned.wsgi_request)] == [
        "Vous êtes déconnecté de Palmarès et de ProConnect."
    ]
    # The provider forgot the person: signing in again asks for the login form.
    again = follow_provider(browser, browser.get(start(client), allow_redirects=False))
    assert form_of(again.text)["fields"]["prompt"] == "login"


def test_logout_callback_with_a_wrong_state_says_nothing(client, oidc_settings, db):
    response = client.get(reverse("accounts:oidc_logout_callback") + "?state=fabrique")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert list(get_messages(response.wsgi_request)) == []


def test_logout_of_a_password_session_stays_local(client, oidc_settings, db):
    user = UserFactory(email="agent@exemple.fr")
    client.force_login(user)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
