"""Pages of the referential: search it, read one body, add a body it lacks (organisers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from palmares.permissions import get_object_or_404_with_perm

from .domain import (
    communes_of,
    create_organisation,
    departement_of,
    epci_of,
    explain_no_match,
    region_of,
    search_organisations,
)
from .forms import OrganisationCreateForm, OrganisationSearchForm
from .models import Organisation

RESULTS_PER_PAGE = 20
MEMBERS_PER_PAGE = 50


@permission_required("territories.browse_referential", raise_exception=True)
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if query:
        found = search_organisations(query, limit=None)
        if not request.user.has_perm("territories.create_organisation"):
            found = found.filter(listed=True)  # organisers see the companies to vouch for
        paginator = Paginator(found, RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    rows = [(organisation, departement_of(organisation)) for organisation in page or []]
    no_match = explain_no_match(query) if page is not None and not rows else None
    return render(
        request,
        "territories/organisation_list.html",
        {"form": form, "query": query, "page": page, "rows": rows, "no_match": no_match},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404_with_perm(
        request,
        "territories.browse_referential",
        Organisation.objects.select_related("region", "departement__region", "epci"),
        slug=slug,
    )
    members = None
    if organisation.is_epci:
        members = Paginator(communes_of(organisation), MEMBERS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    if not organisation.listed and not request.user.has_perm("territories.create_organisation"):
        raise Http404  # a declared company nobody vouched for yet (accounts.companies)
    departement = departement_of(organisation)
    region = region_of(organisation)
    return render(
        request,
        "territories/organisation_detail.html",
        {
            "organisation": organisation,
            # A département or région is not shown as lying in itself.
            "departement": departement if departement != organisation else None,
            "region": region if region != organisation else None,
            "epci": epci_of(organisation),
            "members": members,
        },
    )


@login_required
@permission_required("territories.create_organisation", raise_exception=True)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = create_organisation(**form.cleaned_data, by=request.user)
        messages.success(
            request, _("La structure « %(name)s » a été ajoutée.") % {"name": organisation.name}
        )
        return redirect("territories:organisation_detail", slug=organisation.slug)
    return render(request, "territories/organisation_form.html", {"form": form})
