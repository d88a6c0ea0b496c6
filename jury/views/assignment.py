"""The organisers' assignment page of a round: run the exact solver, then adjust by hand.

The page shows the current assignment (by dossier, and each juror's load against their
capacity). "Run" solves again (hand-made and started assignments are kept); an infeasible
instance shows its causes on the page and changes nothing. "Add" and "remove" change one pair,
under the same rules as the solver (no conflict, one juror per institution, capacity).
All are for organisers who run the selection (`jury.manage_selection`).
"""

import uuid
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from contests.content_language import ContentSelect

from ..assignment import Infeasible
from ..domain.assign import (
    AssignmentRefused,
    add_assignment,
    assign_round,
    remove_assignment,
    round_entries,
)
from ..enums import ConflictStatus, JurorState
from ..models import Assignment, Conflict, Juror, Round, RoundEntry
from .common import ROUND_PATH, round_with_perm


class RunForm(forms.Form):
    per_dossier = forms.IntegerField(
        label=_("Jurés par dossier"), min_value=1, max_value=10, initial=3
    )


class AddForm(forms.Form):
    reference = forms.ChoiceField(label=_("Dossier"), widget=ContentSelect)
    juror = forms.ChoiceField(label=_("Juré"))

    def __init__(self, *args, entries, jurors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = [
            (e.application.reference, f"{e.application.reference} – {e.application.title}")
            for e in entries
        ]
        self.fields["juror"].choices = [
            (str(j.reference), f"{j.full_name} ({j.institution_label})") for j in jurors
        ]


def _accepted_jurors(round_: Round) -> list[Juror]:
    return list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .select_related("institution")
        .annotate(assigned=Count("assignments"))
        .order_by("full_name", "pk")
    )


def _assignment_page(
    request: HttpRequest,
    round_: Round,
    entries: list[RoundEntry],
    jurors: list[Juror],
    *,
    run_form: RunForm | None = None,
    add_form: AddForm | None = None,
    causes: list[str] | None = None,
) -> HttpResponse:
    """The page, with the form an action refused bound to what was sent, or the causes of an
    infeasible round (answered 422)."""
    by_dossier: dict[int, list[Assignment]] = defaultdict(list)
    for item in (
        Assignment.objects.filter(juror__round=round_)
        .select_related("juror__institution")
        .order_by("juror__full_name")
    ):
        by_dossier[item.application_id].append(item)
    conflicts = dict(
        Conflict.objects.filter(juror__round=round_, status__in=ConflictStatus.effective())
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    rows = [
        (entry, by_dossier.get(entry.application_id, []), conflicts.get(entry.application_id, 0))
        for entry in entries
    ]
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "rows": rows,
        "jurors": jurors,
        "invited": Juror.objects.filter(round=round_, state=JurorState.INVITED).count(),
        "run_form": run_form if run_form is not None else RunForm(prefix="run"),
        "add_form": (
            add_form
            if add_form is not None
            else AddForm(entries=entries, jurors=jurors, prefix="add")
        ),
        "causes": causes or [],
        "assigned_total": sum(len(items) for items in by_dossier.values()),
    }
    return render(
        request, "jury/assignment/assignment.html", context, status=422 if causes else 200
    )


@login_required
@require_GET
def assignment(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    return _assignment_page(request, round_, round_entries(round_), _accepted_jurors(round_))


@login_required
@require_POST
def assignment_run(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    form = RunForm(request.POST, prefix="run")
    if not form.is_valid():
        return _assignment_page(
            request, round_, round_entries(round_), _accepted_jurors(round_), run_form=form
        )
    try:
        outcome = assign_round(
            round_, per_dossier=form.cleaned_data["per_dossier"], by=request.user
        )
    except Infeasible as infeasible:
        return _assignment_page(
            request,
            round_,
            round_entries(round_),
            _accepted_jurors(round_),
            run_form=form,
            causes=list(infeasible.causes),
        )
    messages.success(
        request,
        _(
            "Affectation optimale enregistrée : %(created)s ajoutées, %(removed)s retirées, "
            "%(kept)s conservées (adéquation totale %(objective)s)."
        )
        % {
            "created": outcome.created,
            "removed": outcome.removed,
            "kept": outcome.kept,
            "objective": f"{outcome.objective:g}",
        },
    )
    return redirect("jury:assignment", contest_slug, year, round_slug)


@login_required
@require_POST
def assignment_add(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    entries, jurors = round_entries(round_), _accepted_jurors(round_)
    form = AddForm(request.POST, entries=entries, jurors=jurors, prefix="add")
    if form.is_valid():
        entry = next(
            e for e in entries if e.application.reference == form.cleaned_data["reference"]
        )
        juror = next(j for j in jurors if str(j.reference) == form.cleaned_data["juror"])
        try:
            add_assignment(round_, juror, entry, by=request.user)
        except AssignmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(juror)s évaluera le dossier %(reference)s.")
                % {"juror": juror.full_name, "reference": entry.application.reference},
            )
            return redirect("jury:assignment", contest_slug, year, round_slug)
    return _assignment_page(request, round_, entries, jurors, add_form=form)


@login_required
@require_POST
def assignment_remove(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    try:
        juror = uuid.UUID(request.POST.get("juror", ""))
    except ValueError:
        raise Http404 from None  # not a juror's reference: no such assignment
    target = get_object_or_404(
        Assignment.objects.select_related("juror__round__edition", "application"),
        juror__round=round_,
        juror__reference=juror,
        application__reference=request.POST.get("reference", ""),
    )
    try:
        remove_assignment(target, by=request.user)
    except AssignmentRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(juror)s n'évaluera plus le dossier %(reference)s.")
            % {"juror": target.juror.full_name, "reference": target.application.reference},
        )
    return redirect("jury:assignment", contest_slug, year, round_slug)


urlpatterns = [
    path(f"{ROUND_PATH}affectation/", assignment, name="assignment"),
    path(f"{ROUND_PATH}affectation/calculer/", assignment_run, name="assignment_run"),
    path(f"{ROUND_PATH}affectation/ajouter/", assignment_add, name="assignment_add"),
    path(f"{ROUND_PATH}affectation/retirer/", assignment_remove, name="assignment_remove"),
]
