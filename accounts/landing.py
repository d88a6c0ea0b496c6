"""Where a user lands after signing in when the sign-in names no `next`.

A higher app registers the space of a role it knows (jury: a juror's jury space, through
`register_landing`), so that accounts imports no higher app; the first registered role the user
holds wins, else `settings.LOGIN_REDIRECT_URL`.

The roles held are also remembered in the session at sign-in (`SESSION_KEY`, a list of the
registered names), so that the header links to those spaces without a query on every page; a
view that gives a role to the signed-in user calls `remember_spaces` again.
"""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .models import User

_landings: dict[str, tuple[Callable[[User], bool], str]] = {}
SESSION_KEY = "landing_spaces"


def register_landing(name: str, holds_role: Callable[[User], bool], url_name: str) -> None:
    """Send users for whom `holds_role(user)` is true to `url_name` after signing in."""
    _landings[name] = (holds_role, url_name)


def landing_url(user) -> str:
    if user is not None and user.is_authenticated:
        for holds_role, url_name in _landings.values():
            if holds_role(user):
                return reverse(url_name)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def remember_spaces(request, user) -> None:
    """Store in the session the names of the registered roles `user` holds."""
    request.session[SESSION_KEY] = [
        name for name, (holds_role, _url) in _landings.items() if holds_role(user)
    ]


def on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver (connected in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        remember_spaces(request, user)
