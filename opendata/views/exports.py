"""The organisers' exports, all in one place: an edition's dossiers (CSV, XLSX) and results (CSV,
XLSX), a round's evaluations (CSV, XLSX), a dossier's files as a ZIP.

Their URLs keep the paths they had when each app served its own: the dossiers CSV next to the
dossiers list (/candidatures/organisation/…), the evaluations next to the round's pages
(/organisation/concours/…/tours/…/), the rest under /organisation/exports/.

Access: the edition's lists need `applications.manage_applications` on the edition (organisers),
like the list they come from; the evaluations need `jury.manage_selection` on the round, like
the round's pages; the ZIP needs `applications.view_dossier` on the dossier, like each of
its files' downloads, and answers 404 to anyone else, as if the dossier did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.models import Application
from contests.models import Edition
from jury.models import Round
from jury.views.common import ROUND_PATH
from palmares.permissions import get_object_or_404_with_perm

from ..exports import dossier_zip, dossiers, evaluations, results, tables

MANAGE_APPLICATIONS = "applications.manage_applications"
MANAGE_SELECTION = "jury.manage_selection"
VIEW_DOSSIER = "applications.view_dossier"


def _edition(request: HttpRequest, perm: str, contest_slug: str, year: int) -> Edition:
    return get_object_or_404_with_perm(
        request,
        perm,
        Edition.objects.select_related("contest"),
        contest__slug=contest_slug,
        year=year,
    )


def _round(request: HttpRequest, perm: str, contest_slug: str, year: int, round_slug: str) -> Round:
    return get_object_or_404_with_perm(
        request,
        perm,
        Round.objects.select_related("edition__contest"),
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )


def _name(edition: Edition, what: str, extension: str) -> str:
    return f"{what}-{edition.contest.slug}-{edition.year}.{extension}"


# ------------------------------------------------------------------------- an edition's lists


@login_required
@require_safe
def applications_csv(request: HttpRequest, contest_slug: str, year: int) -> HttpResponseBase:
    edition = _edition(request, MANAGE_APPLICATIONS, contest_slug, year)
    return tables.csv_response(
        dossiers.HEADER,
        dossiers.dossier_rows(edition, request.GET),
        _name(edition, "dossiers", "csv"),
    )


@login_required
@require_safe
def applications_xlsx(request: HttpRequest, contest_slug: str, year: int) -> HttpResponseBase:
    edition = _edition(request, MANAGE_APPLICATIONS, contest_slug, year)
    return tables.xlsx_response(
        dossiers.HEADER,
        dossiers.dossier_rows(edition, request.GET),
        _name(edition, "dossiers", "xlsx"),
        title=_("Dossiers"),
    )


@login_required
@require_safe
def results_csv(request: HttpRequest, contest_slug: str, year: int) -> HttpResponseBase:
    edition = _edition(request, MANAGE_APPLICATIONS, contest_slug, year)
    return tables.csv_response(
        results.HEADER,
        results.results_rows(edition, request.GET, request.user),
        _name(edition, "resultats", "csv"),
    )


@login_required
@require_safe
def results_xlsx(request: HttpRequest, contest_slug: str, year: int) -> HttpResponseBase:
    edition = _edition(request, MANAGE_APPLICATIONS, contest_slug, year)
    return tables.xlsx_response(
        results.HEADER,
        results.results_rows(edition, request.GET, request.user),
        _name(edition, "resultats", "xlsx"),
        title=_("Résultats"),
    )


# ------------------------------------------------------------------------ a round's evaluations


def _evaluations_name(round_: Round, extension: str) -> str:
    edition = round_.edition
    return f"evaluations-{edition.contest.slug}-{edition.year}-{round_.slug}.{extension}"


@login_required
@require_safe
def evaluations_csv(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponseBase:
    round_ = _round(request, MANAGE_SELECTION, contest_slug, year, round_slug)
    header, rows = evaluations.evaluation_rows(round_, request.user)
    return tables.csv_response(header, rows, _evaluations_name(round_, "csv"))


@login_required
@require_safe
def evaluations_xlsx(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponseBase:
    round_ = _round(request, MANAGE_SELECTION, contest_slug, year, round_slug)
    header, rows = evaluations.evaluation_rows(round_, request.user)
    return tables.xlsx_response(
        header, rows, _evaluations_name(round_, "xlsx"), title=_("Évaluations")
    )


# ---------------------------------------------------------------------------- a dossier's files


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
    if not request.user.has_perm(VIEW_DOSSIER, application):
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
    path(
        "candidatures/organisation/<slug:contest_slug>/<int:year>/dossiers.csv",
        applications_csv,
        name="applications_csv",
    ),
    path(f"{EDITION}dossiers.xlsx", applications_xlsx, name="applications_xlsx"),
    path(f"{EDITION}resultats.csv", results_csv, name="results_csv"),
    path(f"{EDITION}resultats.xlsx", results_xlsx, name="results_xlsx"),
    path(f"{ROUND_PATH}evaluations.csv", evaluations_csv, name="evaluations_csv"),
    path(f"{ROUND_PATH}evaluations.xlsx", evaluations_xlsx, name="evaluations_xlsx"),
    path(
        "organisation/exports/dossiers/<str:reference>/pieces.zip",
        dossier_files_zip,
        name="dossier_zip",
    ),
]
