"""A visitor's HTTP for `make prod-smoke`: sessions trusting the stack's certificate, the
fields of a page's forms, posts that pass Django's CSRF check over HTTPS."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests
from smoke_stack import SmokeFailure, Stack


class FormFields(HTMLParser):
    """The fields of the page's own forms — those posted to the page itself, or the one with
    `form_id` — with their values and each select's options. The language switcher of every
    page posts elsewhere, and its `next` field must not leak into ours."""

    def __init__(self, path: str, form_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name")
        if tag == "form":
            if self.form_id:
                self.inside = found.get("id") == self.form_id
            else:
                self.inside = found.get("action", "") in {"", self.path}
        elif not self.inside or (not name and tag != "option"):
            return
        elif tag == "input" and found.get("type", "text") not in {"submit", "file", "button"}:
            if found.get("type") in {"checkbox", "radio"}:
                if "checked" in found:
                    self.values[name] = found.get("value", "on")
            else:
                self.values.setdefault(name, found.get("value", ""))
        elif tag == "textarea":
            self._textarea, self.values[name] = name, ""
        elif tag == "select":
            self._select, self.options[name] = name, []
        elif tag == "option" and self._select:
            self._option = [found.get("value", ""), ""]
            if "selected" in found:
                self.values[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select:
            self.options[self._select].append((self._option[0], self._option[1].strip()))
            self._option = None
        elif tag == "select":
            self._select = None


def form_of(page: requests.Response, form_id: str | None = None) -> FormFields:
    expect(page, 200)
    fields = FormFields(urlsplit(page.url).path, form_id)
    fields.feed(page.text)
    if "csrfmiddlewaretoken" not in fields.values:
        raise SmokeFailure(f"{page.url} : pas de formulaire avec jeton CSRF.")
    return fields


def expect(response: requests.Response, status: int, location: str | None = None) -> None:
    where = f"{response.request.method} {response.url}"
    if response.status_code != status:
        raise SmokeFailure(f"{where} : {response.status_code} au lieu de {status}.")
    if location is not None and not re.fullmatch(location, response.headers.get("Location", "")):
        raise SmokeFailure(f"{where} : redirigé vers « {response.headers.get('Location')} ».")


def post(session: requests.Session, url: str, data: dict, **kwargs) -> requests.Response:
    # Over HTTPS, Django's CSRF check wants a same-origin Referer when no Origin is sent.
    return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, **kwargs)


def new_session(stack: Stack) -> requests.Session:
    """A browser without cookies that trusts the stack's certificate and no proxy: with
    `trust_env`, REQUESTS_CA_BUNDLE would replace the certificate and *_PROXY would route
    loopback requests elsewhere."""
    session = requests.Session()
    session.trust_env = False
    session.verify = str(stack.certificate)
    return session
