"""/palmares/: every public award of every edition, searched in French, with facets.

Public: what may be seen is decided by `Edition.objects.public` inside the search, not per
visitor. Works without JavaScript (a GET form); with HTMX, the form asks for the results
region only (HX-Request header) and swaps it in place.
"""

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers

from ..domain import chosen_contest
from ..search import SearchForm, current_facet_index, search


def palmares(request: HttpRequest) -> HttpResponse:
    """One contest's palmarès at a time (`?concours=`, else the site's): another contest of
    250 laureates a year must not swamp its year and level facets."""
    chosen = chosen_contest(request)
    index = current_facet_index()
    form = SearchForm(request.GET, index=index)
    form.is_valid()  # a refused filter is left out and named on the page, never an error page
    results = search(replace(form.search_params(), contest=chosen.slug), index=index)
    page = results.paginator.get_page(form.cleaned_data.get("page"))
    context = {
        "chosen": chosen,
        "form": form,
        "results": results,
        "page": page,
        "query": results.query,
        "refused": form.error_messages(),
    }
    # History restoration asks for the whole page, with the HX-Request header as well.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "catalogue/search/results.html" if partial else "catalogue/search/palmares.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


urlpatterns = [
    path("palmares/", palmares, name="palmares"),
]
