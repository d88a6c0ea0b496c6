"""Privileged sessions end after an idle time and an absolute time (issue 17, ASVS 3.3.2).

Organisers, the technical staff and jurors (everyone the second factor is asked of,
second_factor.requires_second_factor) reach dossiers and scores: their session ends after
PRIVILEGED_SESSION_IDLE_SECONDS without a request and PRIVILEGED_SESSION_MAX_SECONDS after the
sign-in, whatever their activity. Ending it flushes the session, the second factor's mark with
it: the next page asks for the password and the code again. Other people keep Django's
session age.

The sign-in time and the last request's time are kept in the session; the last request's is
rewritten at most once a minute, so that a session is not saved on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .second_factor import requires_second_factor

SIGNED_IN_AT_KEY = "signed_in_at"
SEEN_AT_KEY = "seen_at"
SEEN_RESOLUTION_SECONDS = 60


def _now() -> float:
    # One place that reads the clock, so that tests can move it.
    return time.time()


@receiver(user_logged_in)
def start_session_clock(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(_now())
        request.session[SIGNED_IN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now


def has_expired(request: HttpRequest, now: int) -> bool:
    """Whether the session's privileged user has been idle, or signed in, for too long."""
    signed_in_at = request.session.get(SIGNED_IN_AT_KEY, now)
    seen_at = request.session.get(SEEN_AT_KEY, now)
    too_old = (
        now - seen_at > settings.PRIVILEGED_SESSION_IDLE_SECONDS
        or now - signed_in_at > settings.PRIVILEGED_SESSION_MAX_SECONDS
    )
    # The role is read only when the times say so: no query on the usual request.
    return too_old and requires_second_factor(request.user)


class PrivilegedSessionMiddleware:
    """After the authentication and message middleware: sign out an expired privileged session
    and send the person to the sign-in page (an htmx request gets HX-Redirect there)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(_now())
            if has_expired(request, now):
                return self._signed_out(request)
            session = request.session
            session.setdefault(SIGNED_IN_AT_KEY, now)
            if now - session.get(SEEN_AT_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest) -> HttpResponse:
        next_url = request.get_full_path() if request.method == "GET" else None
        logout(request)  # flushes the session: the second factor's mark goes with it
        messages.info(
            request,
            _("Votre session a expiré. Pour votre sécurité, reconnectez-vous."),
        )
        response = redirect_to_login(next_url or "/")
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response
