"""The organisers' import of a contest's past palmarès: upload, preview, fix, import.

GET shows the upload form; POSTing a file checks it whole (size, encoding, every row against the
contest's level codes) and shows the preview: each distinct organisation name with its status
(matched, matched as successor, chosen, recorded outside the referential, unmatched and why).
The preview form carries the file's text in a hidden field, so that it works without
JavaScript and keeps nothing on the server: « Mettre à jour l'aperçu » posts it back with the
organiser's fixes (a corrected name, a structure searched for and picked, a kind to record it
with), « Importer » imports everything in one transaction (awards.importing) and says how many
awards were created, changed or left unchanged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.models import Contest
from palmares.permissions import get_object_or_404_with_perm

from ..importing import CsvText, PalmaresImportError, import_palmares, level_codes
from ..importing.forms import NameChoicesForm, PalmaresContentForm, PalmaresUploadForm
from ..importing.preview import NameStatus, preview_names

EDIT = "contests.edit_contest"
BASE = "organisation/concours/<slug:contest_slug>/palmares/importer/"


def _contest(request: HttpRequest, contest_slug: str) -> Contest:
    return get_object_or_404_with_perm(request, EDIT, Contest, slug=contest_slug)


@login_required
def palmares_import(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, contest_slug)
    posted = request.method == "POST"  # an empty POST is bound too: "this field is required"
    form = PalmaresUploadForm(
        request.POST if posted else None, request.FILES if posted else None, contest=contest
    )
    if posted and form.is_valid():
        content = PalmaresContentForm(
            initial={"content": form.text, "filename": form.filename}, contest=contest
        )
        names = NameChoicesForm(rows=form.rows)
        return _preview(request, contest, content, names, form.rows)
    context = {"contest": contest, "form": form, "codes": level_codes(contest)}
    return render(request, "awards/palmares_import/upload.html", context)


@login_required
@require_POST
def palmares_import_preview(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, contest_slug)
    content = PalmaresContentForm(request.POST, contest=contest)
    if not content.is_valid():
        return _refused(request, contest, content)
    names = NameChoicesForm(request.POST, rows=content.rows)
    names.is_valid()  # errors are shown beside their name
    return _preview(request, contest, content, names, content.rows)


@login_required
@require_POST
def palmares_import_confirm(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, contest_slug)
    content = PalmaresContentForm(request.POST, contest=contest)
    if not content.is_valid():
        return _refused(request, contest, content)
    names = NameChoicesForm(request.POST, rows=content.rows)
    if not names.is_valid():
        return _preview(request, contest, content, names, content.rows)
    source = CsvText(content.cleaned_data["filename"], content.cleaned_data["content"])
    try:
        report = import_palmares(
            source, contest=contest, renames=names.renames, choices=names.choices, by=request.user
        )
    except PalmaresImportError as error:
        names.add_error(None, _("Palmarès non importé, rien n'a changé. %s") % error)
        return _preview(request, contest, content, names, content.rows)
    outcomes = report.award_outcomes
    messages.success(
        request,
        _(
            "Palmarès importé : %(created)s lauréats créés, %(updated)s modifiés, "
            "%(unchanged)s inchangés."
        )
        % {
            "created": outcomes["created"],
            "updated": outcomes["updated"],
            "unchanged": outcomes["unchanged"],
        },
    )
    return redirect("contests:contest_detail", contest.slug)


def _refused(request: HttpRequest, contest: Contest, content: PalmaresContentForm) -> HttpResponse:
    """The upload page again, with why the carried file no longer reads (it was altered)."""
    context = {
        "contest": contest,
        "form": PalmaresUploadForm(contest=contest),
        "codes": level_codes(contest),
        "refused": content.non_field_errors() or [_("Le fichier transmis est incomplet.")],
    }
    return render(request, "awards/palmares_import/upload.html", context, status=400)


def _preview(request, contest, content, names, rows) -> HttpResponse:
    renames = getattr(names, "renames", {})
    choices = getattr(names, "choices", {})
    lines = preview_names(rows, renames, choices)
    counts = {status: sum(line.status == status for line in lines) for status in NameStatus}
    context = {
        "contest": contest,
        "content": content,
        "names": names,
        "rows": rows,
        "years": sorted({row.year for row in rows}),
        "counts": counts,
        "lines": [
            {
                "line": line,
                "fix": names[f"fix-{line.index}"],
                "search": names[f"search-{line.index}"],
                "kind": names[f"kind-{line.index}"],
                "pick": names.data.get(f"pick-{line.index}", "") if names.is_bound else "",
                "candidates": names.candidates.get(line.index) or line.suggestions,
            }
            for line in lines
        ],
    }
    return render(request, "awards/palmares_import/preview.html", context)


urlpatterns = [
    path(BASE, palmares_import, name="palmares_import"),
    path(f"{BASE}apercu/", palmares_import_preview, name="palmares_import_preview"),
    path(f"{BASE}importer/", palmares_import_confirm, name="palmares_import_confirm"),
]
