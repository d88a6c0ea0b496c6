"""A short cache of public pages as a visitor without a session sees them.

A laureate's page costs a dozen milliseconds of queries and template; a visitor's copy of it is the
same for everyone until the palmarès changes. So, for a GET by someone with no session and no
pending message, the rendered page is kept in the cache (Redis in production, shared by every
process) under its scheme, host, path, query and language, and served again as it was — with a
fresh CSRF token put back in its forms, since a token must never be shared between visitors.

What is public must never lag behind an embargo: every save or delete of the models public pages
are made of (awards, contests, catalogue, territories) replaces the cache's version, which is part
of every key, so all cached pages are dropped at once. Bulk updates send no signal: the lifetime
(`PUBLIC_PAGE_CACHE_SECONDS`, 300 by default, 0 turns the cache off) bounds how long they can lag.
Only 200 answers are kept: a page "not found" under embargo is computed anew each time, so it
appears the moment results are published. Without Redis (development), each process has its own
cache and a change made in one process reaches the others within the lifetime.
"""

import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "public-page-cache:version"
# The token Django's {% csrf_token %} writes; replaced by a placeholder in the cached copy.
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = "\x00csrf\x00"
# Models whose changes show on public pages; the activity log is not one of them (it changes on
# every jury action and would empty the cache for nothing).
INVALIDATING_APPS = ("awards", "catalogue", "contests", "territories")
NOT_INVALIDATING = frozenset({"contests.activityentry"})


def _lifetime() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 300))


def lifetime() -> int:
    """Seconds a public page (or what it is made of) may be kept; 0: nothing is kept."""
    return _lifetime()


def version() -> str:
    """The current version of public content: it changes whenever a public model is saved or
    deleted, so that whatever is kept under it is dropped at once."""
    return _version()


def _version() -> str:
    # A random version, not a counter: if the cache evicts this key, the next one cannot
    # coincide with the version of pages still stored.
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def invalidate(**_kwargs) -> None:
    """Drop every cached public page (they are keyed by the version this replaces)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        _lifetime() > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    return ":".join(
        (
            "public-page",
            _version(),
            get_language() or "",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
        )
    )


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a visitor's copy of the page from the cache; see the module's docstring."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content_type, body = stored
            token = get_token(request) if _PLACEHOLDER in body else ""
            return HttpResponse(body.replace(_PLACEHOLDER, token), content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = _TOKEN_INPUT.sub(rf"\g<1>{_PLACEHOLDER}\g<2>", response.content.decode())
            cache.set(key, (response["Content-Type"], body), _lifetime())
        return response

    return cached_view


def connect_invalidation() -> None:
    """Called once from an AppConfig.ready(): any change of a public model drops the cache."""
    for label in INVALIDATING_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in NOT_INVALIDATING:
                continue
            uid = f"public-page-cache:{model._meta.label_lower}"
            post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(invalidate, dispatch_uid="public-page-cache:m2m")
