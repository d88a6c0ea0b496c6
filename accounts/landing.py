"""Where a user lands after signing in when the sign-in names no `next`.

A higher app registers the space of a role it knows (jury: a juror's jury space, through
`register_landing`), so that accounts imports no higher app; the first registered role the user
holds wins, else `settings.LOGIN_REDIRECT_URL`.
"""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .models import User

_landings: dict[str, tuple[Callable[[User], bool], str]] = {}


def register_landing(name: str, holds_role: Callable[[User], bool], url_name: str) -> None:
    """Send users for whom `holds_role(user)` is true to `url_name` after signing in."""
    _landings[name] = (holds_role, url_name)


def landing_url(user) -> str:
    if user is not None and user.is_authenticated:
        for holds_role, url_name in _landings.values():
            if holds_role(user):
                return reverse(url_name)
    return resolve_url(settings.LOGIN_REDIRECT_URL)
