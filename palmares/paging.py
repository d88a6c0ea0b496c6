"""One page of a long organisers' or jurors' list, and the region HTMX asks for.

At the scale of a big label (2,000 dossiers, 150 jurors) a list on one page weighs megabytes:
these pages show PER_PAGE rows, with totals computed over the whole list, never over the page.
Without JavaScript the links and the search form load the whole page; with HTMX they fetch
only the list's region (the HX-Request header) and swap it in.
"""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PER_PAGE = 50


def page_of(request: HttpRequest, items: Sequence | QuerySet, per_page: int | None = None) -> Page:
    """The page `?page=` names; the last one past the end, the first one for anything else."""
    return Paginator(items, per_page or PER_PAGE).get_page(request.GET.get("page"))


def wants_region(request: HttpRequest) -> bool:
    # History restoration asks for the whole page, with the HX-Request header as well.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_page_or_region(
    request: HttpRequest, page_template: str, region_template: str, context: dict, **kwargs
) -> HttpResponse:
    """The whole page, or only its list's region when HTMX asks for it."""
    template = region_template if wants_region(request) else page_template
    response = render(request, template, context, **kwargs)
    patch_vary_headers(response, ["HX-Request"])
    return response


def back_to_list(request: HttpRequest, url: str, keys: Sequence[str] = ("q", "page")) -> str:
    """`url` with the search, filters and page number an action's form carried (hidden
    fields named `keys`), to come back to the same rows after the action."""
    kept = {key: request.POST[key] for key in keys if request.POST.get(key)}
    return f"{url}?{urlencode(kept)}" if kept else url
