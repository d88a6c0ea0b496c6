"""The public, read-only JSON API under /api/v1/ (schema: opendata/openapi.py).

Public data: what may be seen is decided by `Edition.objects.public` (an embargoed edition's
awards never appear), not per client. Bad parameters get a 400 with a French "detail"
message; nothing is guessed from them. HTTP concerns (CORS, rate limit, ETag, errors) are in
opendata/http.py.
"""

import re
from dataclasses import replace
from typing import Any

from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue.search import FACETS, SearchForm, current_facet_index, search
from contests.enums import EventKind
from contests.models import Contest
from territories.enums import OrganisationKind
from territories.models import Organisation

from .. import resources
from ..http import (
    ApiError,
    api_endpoint,
    check_parameters,
    choice_parameter,
    int_parameter,
    json_response,
    paginated,
)
from ..laureates import laureate_data
from ..openapi import openapi_schema

LAUREATES_PARAMETERS = ("q", "contest", *FACETS, "order", "page")
EDITIONS_PARAMETERS = ("contest", "year", "page")
THEMES_PARAMETERS = ("contest", "year", "page")
ORGANISATIONS_PARAMETERS = ("contest", "siren", "insee", "kind", "region", "page")
EVENTS_PARAMETERS = ("contest", "kind", "year", "page")
CONTESTS_PARAMETERS = ("page",)
PER_PAGE = 20
LONG_PER_PAGE = 50  # editions and themes are few and small
SIREN = re.compile(r"^\d{9}$")
INSEE = re.compile(r"^(?:\d{2,3}|2[AB]|\d[\dAB]\d{3})$")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@api_endpoint
def laureates(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/laureates?q=&year=&level=&theme=&region=&kind=&page= (and departement,
    population, order): {"count", "next", "results"}, 20 awards a page, as on /palmares/."""
    check_parameters(request, LAUREATES_PARAMETERS)
    contest = _contest(request)  # none: every contest
    index = current_facet_index()
    form = SearchForm(request.GET, index=index)
    if not form.is_valid():
        raise ApiError(" ".join(form.error_messages()))
    results = search(replace(form.search_params(), contest=contest), index=index)
    number = form.cleaned_data["page"] or 1
    try:
        page = results.paginator.page(number)
    except EmptyPage:
        raise ApiError(
            _("La page %(number)s n'existe pas : cette recherche en compte %(pages)s.")
            % {"number": number, "pages": results.paginator.num_pages}
        ) from None
    base_url = _base_url(request)
    next_url = None
    if page.has_next():
        query = request.GET.copy()
        query["page"] = page.next_page_number()
        next_url = f"{base_url}{request.path}?{query.urlencode()}"
    return json_response(
        {
            "count": results.count,
            "next": next_url,
            "results": [laureate_data(award, base_url) for award in page],
        }
    )


def _contest(request: HttpRequest) -> str | None:
    """The `contest` parameter, a contest's slug (400 for an unknown one); None when absent."""
    if not request.GET.get("contest", "").strip():
        return None
    contests = {slug: slug for slug in Contest.objects.values_list("slug", flat=True)}
    return choice_parameter(request, "contest", _("Concours"), contests)


def _contest_and_year(request: HttpRequest) -> tuple[str | None, int | None]:
    return _contest(request), int_parameter(request, "year", _("Année"), minimum=1)


@api_endpoint
def contests(request: HttpRequest) -> dict[str, Any]:
    """GET /api/v1/contests: every contest, who awards it, the years of its public editions."""
    check_parameters(request, CONTESTS_PARAMETERS)
    base_url = _base_url(request)
    return paginated(
        request,
        resources.contests_queryset(),
        lambda contest: resources.contest_data(contest, base_url),
        LONG_PER_PAGE,
    )


@api_endpoint
def editions(request: HttpRequest) -> dict[str, Any]:
    check_parameters(request, EDITIONS_PARAMETERS)
    contest, year = _contest_and_year(request)
    queryset = resources.editions_queryset()
    if contest:
        queryset = queryset.filter(contest__slug=contest)
    if year:
        queryset = queryset.filter(year=year)
    base_url = _base_url(request)
    return paginated(
        request, queryset, lambda edition: resources.edition_data(edition, base_url), LONG_PER_PAGE
    )


@api_endpoint
def themes(request: HttpRequest) -> dict[str, Any]:
    check_parameters(request, THEMES_PARAMETERS)
    contest, year = _contest_and_year(request)
    queryset = resources.themes_queryset()
    if contest:
        queryset = queryset.filter(edition__contest__slug=contest)
    if year:
        queryset = queryset.filter(edition__year=year)
    return paginated(request, queryset, resources.theme_data, LONG_PER_PAGE)


def _code_parameter(request: HttpRequest, name: str, label: str, pattern: re.Pattern) -> str | None:
    value = request.GET.get(name, "").strip().upper()
    if value and not pattern.match(value):
        raise ApiError(
            _("%(label)s : « %(value)s » n'a pas la forme d'un %(label)s.")
            % {"label": label, "value": value[:50]}
        )
    return value or None


@api_endpoint
def organisations(request: HttpRequest) -> dict[str, Any]:
    """Organisations with public awards, each with all of them across years."""
    check_parameters(request, ORGANISATIONS_PARAMETERS)
    contest = _contest(request)
    siren = _code_parameter(request, "siren", _("SIREN"), SIREN)
    insee = _code_parameter(request, "insee", _("code INSEE"), INSEE)
    kinds = {kind.value: kind.value for kind in OrganisationKind}
    kind = choice_parameter(request, "kind", _("Type de structure"), kinds)
    region = request.GET.get("region", "").strip() or None
    if region and not Organisation.objects.filter(kind="region", insee_code=region).exists():
        raise ApiError(
            _("Région : « %(value)s » n'est pas un code de région.") % {"value": region[:50]}
        )
    queryset = resources.filter_organisations(
        resources.organisations_queryset(contest),
        siren=siren,
        insee=insee,
        kind=kind,
        region=region,
    )
    base_url = _base_url(request)
    return paginated(
        request,
        queryset,
        lambda organisation: resources.organisation_data(organisation, base_url),
        PER_PAGE,
    )


@api_endpoint
def organisation(request: HttpRequest, siren: str) -> dict[str, Any]:
    """One awarded organisation by its SIREN, with all its public awards."""
    check_parameters(request, ())
    found = (
        resources.organisations_queryset().filter(siren=siren).first()
        if SIREN.match(siren)
        else None
    )
    if found is None:
        raise Http404(
            _("Aucune structure lauréate d'un label public n'a le SIREN « %(siren)s ».")
            % {"siren": siren[:50]}
        )
    return resources.organisation_data(found, _base_url(request))


@api_endpoint
def events(request: HttpRequest) -> dict[str, Any]:
    check_parameters(request, EVENTS_PARAMETERS)
    contest = _contest(request)
    kinds = {kind.value: kind.value for kind in EventKind}
    kind = choice_parameter(request, "kind", _("Type d'événement"), kinds)
    year = int_parameter(request, "year", _("Année"), minimum=1)
    queryset = resources.events_queryset(contest)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(starts_on__year=year)
    return paginated(request, queryset, resources.event_data, PER_PAGE)


@api_endpoint
def openapi(request: HttpRequest) -> dict[str, Any]:
    check_parameters(request, ())
    return openapi_schema(_base_url(request))


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """The human documentation of the API, in French (a page, not an API answer)."""
    base_url = _base_url(request)
    return render(
        request,
        "opendata/api.html",
        {"base_url": base_url, "schema": openapi_schema(base_url)},
    )
