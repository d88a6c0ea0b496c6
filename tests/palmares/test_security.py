"""Security review (issue 9): headers on real answers, no inline script or style in any template,
uploaded files kept away from the static path, no account enumeration through throttling.

`check --deploy` and the production values of the settings are tested in test_settings.py; the
login, password-reset and signup messages in tests/accounts.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import Resolver404, resolve, reverse
from django.utils.csp import CSP

from accounts import login_throttle
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ONE_YEAR = 31536000
SECRET_MARKER = b"contenu-prive-du-dossier-de-candidature"

# The exact policy every page carries (settings.SECURE_CSP, built the way Django builds it).
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def _policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response[CSP.HEADER_ENFORCE].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def _assert_hardened(response) -> None:
    """Every header the security review asks for, on one answer to a secure request."""
    policy = _policy(response)
    assert policy == EXPECTED_CSP
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == (
        f"max-age={ONE_YEAR}; includeSubDomains; preload"
    )


# Headers ------------------------------------------------------------------------------------


def test_settings_policy_is_the_expected_strict_one():
    # A change of SECURE_CSP must be deliberate: it shows up here first.
    assert settings.DEBUG is False
    assert settings.SECURE_HSTS_SECONDS >= ONE_YEAR
    assert {name: [str(s) for s in sources] for name, sources in settings.SECURE_CSP.items()} == (
        EXPECTED_CSP
    )


def test_public_page_carries_every_security_header(visitor, db):
    response = visitor.get(reverse("catalogue:home"), secure=True)

    assert response.status_code == 200
    _assert_hardened(response)


def test_organiser_page_carries_every_security_header(organiser_client):
    response = organiser_client.get(reverse("contests:dashboard"), secure=True)

    assert response.status_code == 200
    _assert_hardened(response)


def test_json_api_answer_carries_every_security_header(visitor, db):
    response = visitor.get(reverse("opendata:themes"), secure=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    _assert_hardened(response)


def test_not_found_page_carries_every_security_header(visitor, db):
    response = visitor.get("/page-qui-n-existe-pas/", secure=True)

    assert response.status_code == 404
    _assert_hardened(response)


def test_plain_http_answer_has_no_hsts_but_the_other_headers(visitor, db):
    # Browsers ignore HSTS over plain HTTP; Django only sends it on secure requests.
    response = visitor.get(reverse("catalogue:home"))

    assert "Strict-Transport-Security" not in response
    assert response["X-Frame-Options"] == "DENY"
    assert _policy(response) == EXPECTED_CSP


def test_plain_http_is_redirected_to_https_in_production(visitor, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = visitor.get(reverse("catalogue:home"))

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_login_sets_secure_cookies(visitor, applicant, clear_cache):
    page = visitor.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    response = visitor.post(
        reverse("accounts:login"),
        {"email": "agent@rennes.fr", "password": PASSWORD},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_no_view_loosens_the_policy():
    # Django's csp_override / csp_report_only decorators would let one view escape SECURE_CSP.
    offenders = [
        str(path.relative_to(ROOT))
        for path in _project_files("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and re.search(r"csp_override|csp_report_only|_csp_config", path.read_text())
    ]
    assert offenders == []


# No inline script or style --------------------------------------------------------------------

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "<style>": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx hx-on handler": re.compile(r"\s(?:data-)?hx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _project_files(pattern: str) -> list[Path]:
    skipped = {".venv", "node_modules", "vendor", "staticfiles", "var", ".git"}
    return sorted(
        path
        for path in ROOT.rglob(pattern)
        if not skipped.intersection(path.relative_to(ROOT).parts)
    )


def _templates() -> list[Path]:
    return [path for path in _project_files("*.html") if "templates" in path.parts]


def test_the_scan_sees_the_project_templates():
    names = {str(path.relative_to(ROOT)) for path in _templates()}
    assert "palmares/templates/base.html" in names
    assert len(names) >= 100


@pytest.mark.parametrize(
    ("snippet", "kind"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">x()</script>', "inline <script>"),
        ("<style>p{}</style>", "<style>"),
        ('<p style="color:red">', "style attribute"),
        ('<button onclick="go()">', "event handler attribute"),
        ('<button hx-on:click="go()">', "htmx hx-on handler"),
        ('<a href="javascript:go()">', "javascript: URL"),
    ],
)
def test_the_scan_catches_each_kind_of_inline_code(snippet, kind):
    assert [name for name, pattern in INLINE.items() if pattern.search(snippet)] == [kind]


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/htmx.min.js" defer></script>',
        '<link rel="stylesheet" href="/static/css/site.css">',
        '<p class="onwards" data-online="1">',
    ],
)
def test_the_scan_lets_external_files_and_classes_through(snippet):
    assert [name for name, pattern in INLINE.items() if pattern.search(snippet)] == []


def test_no_template_holds_inline_script_or_style():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {kind}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for kind, pattern in INLINE.items()
        if pattern.search(line)
    ]
    assert offenders == []


# Uploaded files never served from the static path --------------------------------------------


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def test_upload_folder_is_apart_from_every_static_folder():
    media = Path(storages["default"].location).resolve()
    static_folders = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    for static in (folder.resolve() for folder in static_folders):
        assert not _inside(media, static), static
        assert not _inside(static, media), static


@pytest.mark.parametrize(
    "path",
    ["/media/applications/x.pdf", "/var/media/applications/x.pdf", "/uploads/applications/x.pdf"],
)
def test_no_url_pattern_serves_uploaded_files(path):
    with pytest.raises(Resolver404):
        resolve(path)


@pytest.fixture
def uploaded(settings, tmp_path):
    """A private file in an upload folder beside a static root, as on a deployed server."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "var" / "media")},
        },
    }
    settings.STATIC_ROOT = str(tmp_path / "staticfiles")
    Path(settings.STATIC_ROOT).mkdir()
    return storages["default"].save("applications/dossier.pdf", ContentFile(SECRET_MARKER))


@pytest.mark.parametrize(
    "url",
    [
        "/static/{name}",
        "/static/../var/media/{name}",
        "/static/%2e%2e/var/media/{name}",
        "/static/..%2fvar%2fmedia%2f{name}",
        "/media/{name}",
        "/{name}",
    ],
)
def test_uploaded_file_is_not_reachable_by_any_static_like_path(visitor, db, uploaded, url):
    response = visitor.get(url.format(name=uploaded), secure=True)

    assert response.status_code == 404
    body = b"".join(response) if response.streaming else response.content
    assert SECRET_MARKER not in body


def test_static_files_are_still_served(visitor, db):
    response = visitor.get("/static/css/site.css", secure=True)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


# Account enumeration ---------------------------------------------------------------------------


@pytest.fixture
def clear_cache():
    """Login throttling counts failures in the cache: each of these tests starts with none."""
    cache.clear()
    yield
    cache.clear()


THROTTLED = (
    "Trop de tentatives de connexion ont échoué. Pour votre sécurité, réessayez dans 15 minutes."
)


def _login_errors(client, email: str, address: str):
    response = client.post(
        reverse("accounts:login"),
        {"email": email, "password": "mauvais-mot-de-passe"},
        REMOTE_ADDR=address,
    )
    return response.status_code, response.context["form"].non_field_errors()


def test_throttling_treats_unknown_and_known_emails_alike(
    visitor, applicant, clear_cache, monkeypatch
):
    # If only existing accounts got throttled, the 429 would tell which addresses have one.
    monkeypatch.setattr(login_throttle, "_now", lambda: 1_800_000_000.0)
    answers = {}
    for email in ("agent@rennes.fr", "personne@exemple.fr"):
        for attempt in range(5):
            _login_errors(visitor, email, address=f"192.0.2.{attempt}")
        answers[email] = _login_errors(visitor, email, address="198.51.100.7")

    # Five failures from elsewhere slow a new source by 15 s (accounts/login_throttle.py).
    slowed = THROTTLED.replace("15 minutes", "15 secondes")
    assert answers == {
        "agent@rennes.fr": (429, [slowed]),
        "personne@exemple.fr": (429, [slowed]),
    }


def _page_without_tokens(response, email: str) -> str:
    page = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", page)


def test_login_pages_for_unknown_email_and_wrong_password_are_identical(
    visitor, applicant, clear_cache
):
    wrong = visitor.post(
        reverse("accounts:login"), {"email": "agent@rennes.fr", "password": "mauvais-mot-de-passe"}
    )
    unknown = visitor.post(
        reverse("accounts:login"), {"email": "agent@brest.fr", "password": "mauvais-mot-de-passe"}
    )

    assert (wrong.status_code, unknown.status_code) == (200, 200)
    assert _page_without_tokens(wrong, "agent@rennes.fr") == _page_without_tokens(
        unknown, "agent@brest.fr"
    )


def test_password_reset_answers_alike_for_known_and_unknown_emails(visitor, applicant, clear_cache):
    known = visitor.post(reverse("accounts:password_reset"), {"email": "agent@rennes.fr"})
    unknown = visitor.post(reverse("accounts:password_reset"), {"email": "personne@exemple.fr"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
