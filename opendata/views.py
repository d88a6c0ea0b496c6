"""The public, read-only JSON API. It answers from the same search as the /palmares/ page.

Public data: what may be seen is decided by the search (catalogue.domain.public_editions: an
embargoed edition's awards never appear), not per client. Bad parameters get a 400 with a French
"detail" message; nothing is guessed from them.
"""

from django.core.paginator import EmptyPage
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue.search import FACETS, SearchForm, current_facet_index, search

from .laureates import laureate_data

LAUREATES_PARAMETERS = ("q", *FACETS, "order", "page")


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _bad_request(detail: str) -> JsonResponse:
    return _json({"detail": detail}, status=400)


@require_safe
def laureates(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/laureates?q=&year=&level=&theme=&region=&kind=&page= (and departement,
    population, order): {"count", "next", "results"}, 20 awards a page, as on /palmares/."""
    unknown = sorted(set(request.GET) - set(LAUREATES_PARAMETERS))
    if unknown:
        return _bad_request(
            _("Paramètre inconnu : %(names)s. Paramètres acceptés : %(accepted)s.")
            % {"names": ", ".join(unknown), "accepted": ", ".join(LAUREATES_PARAMETERS)}
        )
    index = current_facet_index()
    form = SearchForm(request.GET, index=index)
    if not form.is_valid():
        return _bad_request(" ".join(form.error_messages()))
    results = search(form.search_params(), index=index)
    number = form.cleaned_data["page"] or 1
    try:
        page = results.paginator.page(number)
    except EmptyPage:
        return _bad_request(
            _("La page %(number)s n'existe pas : cette recherche en compte %(pages)s.")
            % {"number": number, "pages": results.paginator.num_pages}
        )
    base_url = request.build_absolute_uri("/").rstrip("/")
    next_url = None
    if page.has_next():
        query = request.GET.copy()
        query["page"] = page.next_page_number()
        next_url = f"{base_url}{request.path}?{query.urlencode()}"
    return _json(
        {
            "count": results.count,
            "next": next_url,
            "results": [laureate_data(award, base_url) for award in page],
        }
    )
