"""The second factor: who must give it, the session's record that it was given, and the gate.

Organisers, the technical staff and jurors reach dossiers and scores: after their password they
must give a code of their authenticator application (TOTP) or a recovery code before any page
but the public ones. Anyone else who chose to enrol an authenticator is asked for it as well.
Organisers and staff are accounts' own; a higher app adds its roles with
`register_second_factor_role` (jury: anyone on a jury), so that accounts imports no higher app.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import ResolverMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import totp
from .models import TotpDevice, User

# The session's record of a given second factor: {"user": pk, "device": pk, "checked_at": s}.
SESSION_KEY = "second_factor"
# The secret of an enrolment under way, kept until its first code confirms it.
PENDING_SESSION_KEY = "second_factor_pending"
# How long a session trusts its record before checking that the device it names is still the
# user's: a re-enrolment elsewhere ends the other sessions' access within this delay, and the
# requests in between cost no query.
RECHECK_SECONDS = 300

# What the gate lets through without the second factor; everything else is gated. Public pages
# are exempt (anyone could read them signed out); so are the pages that lead to the second
# factor (sign-in, sign-out, password reset, the 2FA pages) and accepting a jury invitation, whose
# next page asks for the enrolment. Static files never reach a view (WhiteNoise); uploaded files
# are only served by views of the dossiers, which are gated.
EXEMPT_NAMESPACES = frozenset(
    {
        "catalogue",  # the public palmarès, projects, map, statistics
        "events",  # the public events (its pages are planned)
    }
)
# Pages of an exempt namespace that are for signed-in people only, so gated after all.
GATED_IN_EXEMPT_NAMESPACES = frozenset(
    {
        "catalogue:transparency_edit",  # organisers edit the edition's figures
        "catalogue:project_experience_edit",
        "catalogue:experience_request",
        "catalogue:experience_answer",
    }
)
EXEMPT_URL_NAMES = frozenset(
    {
        "set_language",
        "robots_txt",  # plain-text files for robots and security researchers
        "security_txt",
        "accounts:login",
        "accounts:logout",
        "accounts:oidc_login",  # ProConnect sign-in: its callback logs in, the next page asks
        "accounts:oidc_callback",
        "accounts:oidc_logout_callback",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        # The way to the second factor. The status and recovery codes pages are gated: they
        # show or replace what protects the account.
        "accounts:two_factor_enrol",
        "accounts:two_factor_enrol_link",  # the emailed link that allows a first enrolment
        "accounts:two_factor_qr",
        "accounts:two_factor_verify",
        "jury:invitation",
        # Open data and API (/donnees/, /api/); NOT the organisers' exports (/organisation/…).
        "opendata:data",
        "opendata:data_file",
        "opendata:api_docs",
        "opendata:openapi",
        "opendata:laureates",
        "opendata:editions",
        "opendata:themes",
        "opendata:organisations",
        "opendata:organisation",
        "opendata:events",
        # Public documents of published results and the public referential.
        "awards:press_release",
        "awards:press_release_md",
        "awards:press_release_pdf",
        "awards:certificate",
        "territories:organisation_list",
        "territories:organisation_detail",
    }
)


# Roles of higher apps whose holders must give the second factor: name → predicate on the user.
# Read at every check, so a role registered in an AppConfig.ready() counts.
_roles: dict[str, Callable[[User], bool]] = {}


def register_second_factor_role(name: str, holds_role: Callable[[User], bool]) -> None:
    """Require the second factor from every user for whom `holds_role(user)` is true."""
    _roles[name] = holds_role


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


def requires_second_factor(user: User) -> bool:
    """Organisers, staff and the holders of a registered role (jury: any jury membership,
    whatever its state) must give it."""
    if not user.is_authenticated:
        return False
    if user.is_organiser or user.is_superuser or user.is_staff:
        return True
    return any(holds_role(user) for holds_role in _roles.values())


def enrols_on_server_only(user: User) -> bool:
    """The technical staff enrol their first authenticator from the server's terminal
    (`manage.py enrol_second_factor`), never on the web, not even with the emailed link that
    everyone else needs (accounts.enrolment_proof). Organisers are made with add_organiser and
    hold no technical role."""
    return (user.is_staff or user.is_superuser) and not user.is_organiser


def confirmed_device(user: User) -> TotpDevice | None:
    """The user's confirmed authenticator, if any (cached on the user object once read)."""
    try:
        device = user.totp_device
    except TotpDevice.DoesNotExist:
        return None
    return device if device.confirmed_at is not None else None


def needs_second_factor(user: User) -> bool:
    """Whether the gate applies: the role requires it, or the user enrolled an authenticator."""
    if not user.is_authenticated:
        return False
    return confirmed_device(user) is not None or requires_second_factor(user)


def session_marker(user: User, device: TotpDevice | None) -> dict[str, int | None]:
    """The session's record that `user` gave the second factor of `device`.

    The site writes it only through mark_verified, with the device whose code was given. The
    test harness (tests/conftest.py, tests/browser/personas.py) writes it for people without
    an authenticator too (device None), to sign them in "with both factors".
    """
    return {
        "user": user.pk,
        "device": device.pk if device is not None else None,
        "checked_at": int(_now()),
    }


def mark_verified(request: HttpRequest, device: TotpDevice) -> None:
    """Record in the session that its user just gave a code of `device`.

    Effects: the session gets a new key (a session identifier seen before the second factor is
    worth nothing after it) and the marker.
    """
    request.session.cycle_key()
    request.session[SESSION_KEY] = session_marker(request.user, device)


def is_verified(request: HttpRequest) -> bool:
    """Whether the session's user gave the second factor with the device he has now.

    The device is re-read at most every RECHECK_SECONDS; a marker naming another device (the
    user enrolled a new one since) is dropped.
    """
    marker = request.session.get(SESSION_KEY)
    if not marker or marker.get("user") != request.user.pk:
        return False
    now = int(_now())
    if 0 <= now - marker.get("checked_at", 0) < RECHECK_SECONDS:
        return True
    device = confirmed_device(request.user)
    if (device.pk if device is not None else None) != marker.get("device"):
        del request.session[SESSION_KEY]
        return False
    request.session[SESSION_KEY] = {**marker, "checked_at": now}
    return True


def pending_secret(request: HttpRequest, *, create: bool) -> str | None:
    """The secret of the session user's enrolment under way; a new one if asked and none.

    Kept in the session (server side) until a first code confirms it, so that a wrong code or a
    reload does not change the QR code the person already scanned.
    """
    pending = request.session.get(PENDING_SESSION_KEY)
    if pending and pending.get("user") == request.user.pk:
        return pending["secret"]
    if not create:
        return None
    secret = totp.generate_secret()
    request.session[PENDING_SESSION_KEY] = {"user": request.user.pk, "secret": secret}
    return secret


def forget_pending_secret(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def safe_next(request: HttpRequest, url: str | None = None) -> str | None:
    """`url` (by default the request's `next`) if it stays on this site, else None."""
    if url is None:
        url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def verification_url(user: User, next_url: str | None) -> str:
    """Where the user gives the second factor: the code page, or the enrolment without device."""
    name = "accounts:two_factor_verify" if confirmed_device(user) else "accounts:two_factor_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def url_after_login(request: HttpRequest, redirect_to: str) -> str:
    """After the password: `redirect_to`, or first the second factor if the user needs it."""
    if needs_second_factor(request.user) and not is_verified(request):
        return verification_url(request.user, redirect_to)
    return redirect_to


def default_next(user=None) -> str:
    from .landing import landing_url

    return landing_url(user)


def is_exempt(match: ResolverMatch) -> bool:
    name = match.view_name
    if name in EXEMPT_URL_NAMES:
        return True
    return bool(match.namespaces) and (
        match.namespaces[0] in EXEMPT_NAMESPACES and name not in GATED_IN_EXEMPT_NAMESPACES
    )


class SecondFactorMiddleware:
    """Send a signed-in user who needs the second factor and has not given it to give it.

    Placed after the authentication and message middleware. A page asked by htmx gets a 403
    with a French message and an HX-Redirect header (htmx then loads the code page as a whole
    page, instead of swapping it into a fragment); any other request gets a 302.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_exempt(request.resolver_match):
            return None
        # The marker first: it answers without a query for verified sessions.
        if is_verified(request) or not needs_second_factor(user):
            return None
        if request.headers.get("HX-Request"):
            current = request.headers.get("HX-Current-URL", "")
            next_url = safe_next(request, current)
            if next_url:
                parts = urlsplit(next_url)
                next_url = parts.path + (f"?{parts.query}" if parts.query else "")
            response = HttpResponseForbidden(
                _(
                    "Confirmez d'abord votre identité avec le code de votre application "
                    "d'authentification."
                ),
                content_type="text/plain; charset=utf-8",
            )
            response["HX-Redirect"] = verification_url(user, next_url)
            return response
        return redirect(verification_url(user, request.get_full_path()))
