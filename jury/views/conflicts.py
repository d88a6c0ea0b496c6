"""Conflicts of interest: the organisers' list and decisions, and the juror's declarations.

A conflict is the person's for the whole edition: a round's pages show those of its jurors with
its dossiers, wherever they were declared or found, and a decision taken here holds everywhere.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from palmares.paging import page_of, render_page_or_region
from palmares.permissions import get_object_or_404_with_perm

from ..domain import conflicts as domain
from ..enums import ConflictReason, ConflictSource, ConflictStatus, JurorState
from ..forms.jurors import ConflictDecisionForm, DeclareConflictForm
from ..models import Conflict, Juror, RoundEntry
from .common import ROUND_PATH as ROUND
from .common import ROUNDS, round_with_perm
from .common import round_context as _context


@login_required
@require_http_methods(["GET", "POST"])
def conflict_list(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    """The conflicts of the round's jurors, a page at a time, found by juror, reference or
    structure, with their totals by status; POST runs the detection again."""
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    if request.method == "POST":
        created = domain.detect_conflicts_for_round(round_, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s nouveau conflit détecté.",
                "%(count)s nouveaux conflits détectés.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect(request.path)
    # The round's dossiers as EXISTS: with an IN list on both columns, SQLite probed its
    # (member, dossier) index for every pair, 150 × 1,937, ten times slower at scale.
    found = Conflict.objects.filter(
        Exists(RoundEntry.objects.filter(round=round_, application_id=OuterRef("application_id"))),
        member_id__in=Juror.objects.filter(round=round_).values("member_id"),
    )
    # Counted over the whole round, whatever the search and the page.
    by_status = dict(
        found.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    text = request.GET.get("q", "").strip()[:100]
    if text:
        found = found.filter(
            Q(member__full_name__icontains=text)
            | Q(application__reference__icontains=text)
            | Q(application__lead_organisation__name__icontains=text)
        )
    page = page_of(
        request,
        found.select_related("application__lead_organisation", "decided_by", "round")
        # The dossier's reference and lead alone: its long texts made the sort carry them.
        .only(
            *(f.name for f in Conflict._meta.concrete_fields),
            "application__reference",
            "application__lead_organisation__name",
            "decided_by",
            "round",
        )
        .order_by("member__full_name", "application__reference", "pk"),
    )
    conflicts = list(page.object_list)
    # This round's seat of each person of the page (not the round's 150 jurors).
    jurors = {
        juror.member_id: juror
        for juror in round_.jurors.filter(member_id__in={c.member_id for c in conflicts})
    }
    for conflict in conflicts:
        conflict.juror = jurors[conflict.member_id]  # this round's seat of the person
    context = _context(
        round_,
        conflicts=conflicts,
        page=page,
        query=text,
        total=sum(by_status.values()),
        by_status=[(label, by_status.get(value, 0)) for value, label in ConflictStatus.choices],
    )
    return render_page_or_region(
        request, "jury/conflicts/list.html", "jury/conflicts/region.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict_decide(
    request: HttpRequest,
    contest_slug: str,
    year: int,
    round_slug: str,
    juror,
    reference: str,
    reason_code: str,
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    seat = get_object_or_404(
        Juror.objects.select_related("institution"), round=round_, reference=juror
    )
    conflict = get_object_or_404(
        Conflict.objects.select_related("member__edition", "application__lead_organisation"),
        member_id=seat.member_id,
        application__reference=reference,
        application__round_entries__round=round_,
        reason_code=reason_code,
    )
    conflict.juror = seat
    form = ConflictDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        removed = domain.decide_conflict(
            conflict, status, form.cleaned_data["reason"], by=request.user
        )
        if status == ConflictStatus.DISMISSED:
            message = _("Le conflit est écarté : ce juré peut de nouveau être affecté au dossier.")
        elif removed:
            message = _(
                "Le conflit est confirmé. L'affectation de ce juré au dossier a été supprimée, "
                "ainsi que son évaluation."
            )
        else:
            message = _("Le conflit est confirmé : ce juré ne pourra pas être affecté au dossier.")
        messages.success(request, message)
        return redirect("jury:conflicts", contest_slug, year, round_slug)
    return render(
        request, "jury/conflicts/decide.html", _context(round_, conflict=conflict, form=form)
    )


BLANK_PREFIX = "__reference__"


def _blank_forms(references: list[str]) -> list[DeclareConflictForm]:
    """The dossiers' empty declaration forms, their fields' HTML (`fields_html`) written once
    for all of them and given each dossier's prefix: fifty forms through Django's field
    templates took most of the page's time."""
    blank = render_to_string(
        "includes/form_fields.html", {"form": DeclareConflictForm(prefix=BLANK_PREFIX)}
    )
    forms = []
    for reference in references:
        form = DeclareConflictForm(prefix=reference)
        form.fields_html = mark_safe(blank.replace(BLANK_PREFIX, escape(reference)))
        forms.append(form)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def declare_conflicts(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    """The juror's declarations: the round's dossiers not in conflict (reference, title, lead
    only), a page at a time and found by reference, title or lead, each with a form; and the
    conflicts the juror declared."""
    round_ = get_object_or_404_with_perm(
        request,
        "jury.declare_conflict",
        ROUNDS,
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )
    juror = get_object_or_404(
        Juror.objects.select_related("member"),
        round=round_,
        user=request.user,
        state=JurorState.ACCEPTED,
    )
    # Any conflict row of the person keeps the dossier off the list except a dismissed detected
    # one (a juror may still declare what the referential suggested and organisers set aside).
    excluded = set(
        juror.member.conflicts.exclude(
            status=ConflictStatus.DISMISSED, source=ConflictSource.DETECTED
        ).values_list("application_id", flat=True)
    )
    entries = (
        RoundEntry.objects.filter(round=round_)
        .exclude(application_id__in=excluded)
        .select_related("application__lead_organisation")
        .order_by("application__reference")
    )
    if request.method == "POST":
        reference = request.POST.get("reference", "")
        entry = entries.filter(application__reference=reference).first()
        if entry is None:
            messages.error(request, _("Ce dossier n'est pas dans la liste ; rien n'a changé."))
            return redirect(request.path)
        form = DeclareConflictForm(request.POST, prefix=reference)
        if form.is_valid():
            try:
                domain.declare_conflict(
                    juror, entry.application, form.cleaned_data["reason"], by=request.user
                )
            except domain.ConflictRefused as refusal:
                form.add_error("reason", str(refusal))
            else:
                messages.success(
                    request,
                    _(
                        "Votre conflit d'intérêts avec le dossier %(reference)s est enregistré ; "
                        "il ne vous sera pas confié."
                    )
                    % {"reference": reference},
                )
                return redirect(request.path)
        # Refused: that dossier alone, its form open with the error, as if searched for.
        page, text, rows = None, reference, [(entry.application, form)]
    else:
        text = request.GET.get("q", "").strip()[:100]
        if text:
            entries = entries.filter(
                Q(application__reference__icontains=text)
                | Q(application__title__icontains=text)
                | Q(application__lead_organisation__name__icontains=text)
            )
        page = page_of(
            request,
            entries.only(
                "application__reference",
                "application__title",
                "application__lead_organisation__name",
            ),
        )
        applications = [entry.application for entry in page.object_list]
        forms = _blank_forms([application.reference for application in applications])
        rows = list(zip(applications, forms, strict=True))
    declared = juror.member.conflicts.filter(reason_code=ConflictReason.DECLARED).select_related(
        "application__lead_organisation"
    )
    return render_page_or_region(
        request,
        "jury/conflicts/declare.html",
        "jury/conflicts/declare_region.html",
        _context(round_, juror=juror, rows=rows, declared=declared, page=page, query=text),
    )


urlpatterns = [
    path(f"{ROUND}conflits/", conflict_list, name="conflicts"),
    path(
        f"{ROUND}conflits/<uuid:juror>/<str:reference>/<slug:reason_code>/",
        conflict_decide,
        name="conflict_decide",
    ),
    path(
        "jury/<slug:contest_slug>/<int:year>/<slug:round_slug>/conflits/",
        declare_conflicts,
        name="declare_conflicts",
    ),
]
