"""The organisers' exports under /organisation/exports/: dossiers as XLSX (the CSV is the
dossiers list's own, applications:edition_applications_csv), an edition's results as CSV and
XLSX, a dossier's files as a ZIP.

Access: the lists need `applications.manage_applications` on the edition (organisers), like the
list they come from; the ZIP needs `applications.view_application` on the dossier, like each of
its files' downloads, and answers 404 to anyone else, as if the dossier did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.exports import (
    CSV_HEADERS,
    csv_row,
    filtered_applications,
    for_listing,
    with_partner_names,
)
from applications.models import Application
from contests.models import Edition
from palmares.permissions import get_object_or_404_with_perm

from .exports import dossier_zip, results, tables

MANAGE = "applications.manage_applications"
VIEW = "applications.view_application"


def _edition(request: HttpRequest, contest_slug: str, year: int) -> Edition:
    return get_object_or_404_with_perm(
        request,
        MANAGE,
        Edition.objects.select_related("contest"),
        contest__slug=contest_slug,
        year=year,
    )


def _name(edition: Edition, what: str, extension: str) -> str:
    return f"{what}-{edition.contest.slug}-{edition.year}.{extension}"


@login_required
@require_safe
def applications_xlsx(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    _form, applications = filtered_applications(edition, request.GET)
    rows = (csv_row(application) for application in with_partner_names(for_listing(applications)))
    return tables.xlsx_response(
        CSV_HEADERS, rows, _name(edition, "dossiers", "xlsx"), title=_("Dossiers")
    )


@login_required
@require_safe
def results_csv(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    return tables.csv_response(
        results.HEADER,
        results.results_rows(edition, request.GET),
        _name(edition, "resultats", "csv"),
    )


@login_required
@require_safe
def results_xlsx(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    return tables.xlsx_response(
        results.HEADER,
        results.results_rows(edition, request.GET),
        _name(edition, "resultats", "xlsx"),
        title=_("Résultats"),
    )


@login_required
@require_safe
def dossier_files_zip(request: HttpRequest, reference: str) -> FileResponse:
    application = get_object_or_404(
        # The permission rules read the partners and the edition's phases: fetched once here.
        Application.objects.select_related(
            "edition__contest", "lead_organisation"
        ).prefetch_related("application_partners", "edition__phases"),
        reference=reference,
    )
    if not request.user.has_perm(VIEW, application):
        raise Http404
    response = FileResponse(
        dossier_zip.write_zip(application),
        as_attachment=True,
        filename=dossier_zip.zip_filename(application),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


EDITION = "organisation/exports/<slug:contest_slug>/<int:year>/"
urlpatterns = [
    path(f"{EDITION}dossiers.xlsx", applications_xlsx, name="applications_xlsx"),
    path(f"{EDITION}resultats.csv", results_csv, name="results_csv"),
    path(f"{EDITION}resultats.xlsx", results_xlsx, name="results_xlsx"),
    path(
        "organisation/exports/dossiers/<str:reference>/pieces.zip",
        dossier_files_zip,
        name="dossier_zip",
    ),
]
