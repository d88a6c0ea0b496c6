"""Driving a sign-in for real: our pages through Django's test Client, the provider's pages
through `requests` over loopback HTTP, as a browser would go back and forth between them."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests
from django.test import Client
from django.urls import reverse

TESTSERVER = "http://testserver"


class _Forms(HTMLParser):
    """The forms of a page: action and the named inputs and buttons of each."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action"), "fields": {}})
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or ""


def form_of(page: str) -> dict:
    parser = _Forms()
    parser.feed(page)
    assert parser.forms, page[:500]
    return parser.forms[0]


def follow_provider(browser: requests.Session, response: requests.Response) -> requests.Response:
    """Follow the provider's redirects until one leaves for our site (returned unfollowed)."""
    while response.is_redirect and not response.headers["Location"].startswith(TESTSERVER):
        response = browser.get(
            requests.compat.urljoin(response.url, response.headers["Location"]),
            allow_redirects=False,
        )
    return response


def path_of(url: str) -> str:
    """Our site's part of an absolute URL to http://testserver: path and query."""
    assert url.startswith(TESTSERVER), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in_at_provider(
    browser: requests.Session, authorization_url: str, login: str, *, abort: bool = False
) -> str:
    """Sign in (or cancel) at the provider's login and consent forms; return the URL of our
    callback the provider sends the person back to."""
    response = follow_provider(browser, browser.get(authorization_url, allow_redirects=False))
    if abort:
        abort_url = response.url.rstrip("/") + "/abort"
        response = follow_provider(browser, browser.get(abort_url, allow_redirects=False))
        return response.headers["Location"]
    while not response.is_redirect:
        assert response.status_code == 200, response.text[:500]
        form = form_of(response.text)
        fields = dict(form["fields"])
        if fields.get("prompt") == "login":
            fields.update(login=login, password="nimporte-lequel")
        response = follow_provider(
            browser,
            browser.post(
                requests.compat.urljoin(response.url, form["action"]),
                data=fields,
                allow_redirects=False,
            ),
        )
    return response.headers["Location"]


def start(client: Client, query: str = "") -> str:
    """Our sign-in button: the provider's authorization URL we redirect to."""
    response = client.get(reverse("accounts:oidc_login") + query)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def sign_in(client: Client, login: str, *, browser: requests.Session | None = None, query=""):
    """The whole flow; return our callback's response."""
    browser = browser or requests.Session()
    callback_url = sign_in_at_provider(browser, start(client, query), login)
    return client.get(path_of(callback_url))
