"""robots.txt and /.well-known/security.txt (RFC 9116), plain text built from settings."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Pages for signed-in people and technical ones: nothing a search engine should index. The
# public palmarès, projects, map, statistics, open data and events stay open.
PRIVATE_PREFIXES = (
    "/admin-technique/",
    "/compte/",
    "/candidatures/",
    "/organisation/",
    "/jury/",
    "/sante/",
    "/i18n/",
)
# security.txt must say until when it holds; regenerated at each request, a year ahead.
SECURITY_TXT_VALIDITY = timedelta(days=365)


def _text(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return _text(["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)])


@require_GET
@cache_control(public=True, max_age=86400)
def security_txt(request: HttpRequest) -> HttpResponse:
    expires = (timezone.now() + SECURITY_TXT_VALIDITY).replace(microsecond=0)
    return _text(
        [
            f"Contact: {settings.SECURITY_CONTACT}",
            f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
            "Preferred-Languages: fr, en",
            f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        ]
    )
