"""What every public API answer shares: JSON, CORS, rate limit, validators, JSON errors in French.

`api_endpoint` wraps a view that returns a dict (or raises ApiError / Http404):
- OPTIONS answers a CORS preflight (any origin, GET and HEAD, the conditional headers);
  another method than GET, HEAD or OPTIONS gets a 405 with an Allow header.
- GET and HEAD count against the client's rate limit (opendata.throttling); past it, a 429.
- The answer carries `Access-Control-Allow-Origin: *`: the data is public, read-only and
  cookie-free, so any site may read it.
- Validators: a strong ETag (hash of the body: exact whatever changed) and a Last-Modified that
  is the first time this exact body was served (kept in the cache, see `_first_served`);
  If-None-Match / If-Modified-Since get a 304.
- Errors are {"detail": "<French message>"} with the matching status, for 400, 404, 405, 429.
Views are exempt from CSRF: they never change anything and answer 405 to a POST.
"""

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import throttling

SAFE_METHODS = ("GET", "HEAD")
ALLOWED = "GET, HEAD, OPTIONS"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"
PREFLIGHT_MAX_AGE = 86400


class ApiError(Exception):
    """A refusal with its status and French message."""

    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_response(detail: str, status: int) -> JsonResponse:
    return _with_cors(json_response({"detail": detail}, status=status))


def _with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return _with_cors(response)


def method_not_allowed(method: str) -> JsonResponse:
    response = error_response(
        _("La méthode %(method)s n'est pas permise : cette API est en lecture seule (GET).")
        % {"method": method},
        405,
    )
    response["Allow"] = ALLOWED
    return response


def too_many_requests(refusal: throttling.Refusal) -> JsonResponse:
    response = error_response(
        _(
            "Trop de requêtes depuis votre adresse : %(limit)s par période de %(window)s "
            "secondes au plus. Réessayez dans %(seconds)s secondes."
        )
        % {
            "limit": refusal.limit,
            "window": refusal.window_seconds,
            "seconds": refusal.retry_after_seconds,
        },
        429,
    )
    response["Retry-After"] = str(refusal.retry_after_seconds)
    return response


def _first_served(etag: str) -> float:
    """When this exact body was first served, as a timestamp (whole seconds, HTTP's precision).

    A body's first appearance is when it started to be true, so it is a correct Last-Modified
    for every endpoint, including those whose rows keep no modification date (an edition's
    funnel counts, events). With a cache per process the date may differ between processes; it
    can only be later than the truth, which costs a 200 instead of a 304, never a stale 304.
    """
    key = f"api-first-served:{etag}"
    now = float(math.floor(time.time()))
    cache.add(key, now, timeout=None)
    return cache.get(key, now)


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 200:
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        last_modified = _first_served(etag)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Accept-Language"])
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified), response=response
        )
        if conditional is not response:
            response = conditional
    return _with_cors(response)


def api_endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _preflight()
        if request.method not in SAFE_METHODS:
            return method_not_allowed(request.method)
        refusal = throttling.check(request)
        if refusal is not None:
            return too_many_requests(refusal)
        try:
            data = view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(error.detail, error.status)
        except Http404 as error:
            detail = str(error) if error.args else _("Cette ressource n'existe pas.")
            return error_response(detail, 404)
        response = data if isinstance(data, HttpResponse) else json_response(data)
        return _finish(request, response)

    return wrapper


@api_endpoint
def not_found(request: HttpRequest, path: str = "") -> Any:
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""
    raise ApiError(
        _("Cette adresse ne correspond à aucune ressource de l'API. Voir %(docs)s.")
        % {"docs": "/api/v1/"},
        404,
    )


# --------------------------------------------------------------------------- parameters


def check_parameters(request: HttpRequest, accepted: tuple[str, ...]) -> None:
    """Refuse unknown parameters and empty values: a typo or an empty filter is said, not
    silently read as « no filter »."""
    unknown = sorted(set(request.GET) - set(accepted))
    if unknown:
        raise ApiError(
            _("Paramètre inconnu : %(names)s. Paramètres acceptés : %(accepted)s.")
            % {"names": ", ".join(unknown), "accepted": ", ".join(accepted)}
        )
    empty = sorted(
        name for name in request.GET if any(not v.strip() for v in request.GET.getlist(name))
    )
    if empty:
        raise ApiError(
            _("Paramètre sans valeur : %(names)s. Omettez-le ou donnez-lui une valeur.")
            % {"names": ", ".join(empty)}
        )


def int_parameter(
    request: HttpRequest, name: str, label: str, minimum: int = 0, maximum: int = 9999
) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    # Bounded: a number past the database's integers must be refused, not sent to it.
    if not value.isascii() or not value.isdigit() or not minimum <= int(value) <= maximum:
        raise ApiError(
            _("%(label)s : « %(value)s » n'est pas un nombre entier de %(minimum)s à %(maximum)s.")
            % {"label": label, "value": value[:50], "minimum": minimum, "maximum": maximum}
        )
    return int(value)


def choice_parameter(
    request: HttpRequest, name: str, label: str, choices: dict[str, Any]
) -> Any | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if value not in choices:
        raise ApiError(
            _(
                "%(label)s : « %(value)s » n'est pas une valeur connue. Valeurs acceptées : "
                "%(choices)s."
            )
            % {"label": label, "value": value[:50], "choices": ", ".join(sorted(choices))}
        )
    return choices[value]


def paginated(
    request: HttpRequest, items: Any, serialise: Callable[[Any], Any], per_page: int
) -> dict[str, Any]:
    """{"count", "next", "previous", "results"}: the requested page (?page=, from 1)."""
    number = int_parameter(request, "page", _("Page"), minimum=1, maximum=1_000_000) or 1
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            _("La page %(number)s n'existe pas : cette liste en compte %(pages)s.")
            % {"number": number, "pages": paginator.num_pages}
        ) from None

    def link(to: int) -> str:
        query = request.GET.copy()
        query["page"] = to
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [serialise(item) for item in page],
    }
