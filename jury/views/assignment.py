"""The organisers' assignment page of a round: run the exact solver, set the loads, adjust by hand.

The page shows the current assignment by dossier (each juror's institution, the evaluations
already sent or started, which the solver keeps, and two jurors of one institution flagged) and
each juror's load against their target: the fair share unless the organisers set a minimum or a
maximum, here. "Run" solves again (hand-made and started assignments are kept) and says where the
soft rules gave way; an infeasible instance shows its causes on the page and changes nothing.
"Add" and "remove" change one pair, under the same rules as the solver (no conflict, one juror
per institution, a maximum set). All are for organisers who run the selection
(`jury.manage_selection`); each change is emailed to the jurors concerned.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ..assignment import Infeasible
from ..domain.assign import (
    AssignmentRefused,
    add_assignment,
    assign_round,
    remove_assignment,
    set_loads,
)
from ..forms.assignment import AddForm, LoadsForm, RunForm
from ..models import Assignment
from .assignment_page import accepted_jurors as _accepted_jurors
from .assignment_page import assignment_page as _assignment_page
from .assignment_page import back_to_page
from .common import ROUND_PATH, round_with_perm


@login_required
@require_GET
def assignment(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    return _assignment_page(request, round_, _accepted_jurors(round_))


@login_required
@require_POST
def assignment_run(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    form = RunForm(request.POST, prefix="run")
    if not form.is_valid():
        return _assignment_page(request, round_, _accepted_jurors(round_), run_form=form)
    try:
        outcome = assign_round(
            round_, per_dossier=form.cleaned_data["per_dossier"], by=request.user
        )
    except Infeasible as infeasible:
        return _assignment_page(
            request,
            round_,
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
    for departure in outcome.departures:
        messages.warning(request, departure)
    return redirect("jury:assignment", contest_slug, year, round_slug)


@login_required
@require_POST
def assignment_loads(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    """Save each juror's minimum and maximum for the round (empty: the fair share)."""
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    jurors = _accepted_jurors(round_)
    form = LoadsForm(request.POST, jurors=jurors, prefix="loads")
    if not form.is_valid():
        return _assignment_page(request, round_, jurors, loads_form=form)
    changed = set_loads(round_, form.bounds(), by=request.user)
    messages.success(
        request,
        _(
            "Charges enregistrées pour %(count)s juré(s) ; elles s'appliquent au prochain calcul "
            "de l'affectation."
        )
        % {"count": len(changed)},
    )
    return redirect("jury:assignment", contest_slug, year, round_slug)


@login_required
@require_POST
def assignment_add(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    jurors = _accepted_jurors(round_)
    form = AddForm(request.POST, round_=round_, jurors=jurors)
    if form.is_valid():
        entry = form.cleaned_data["reference"]
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
            return redirect(back_to_page(request, round_))
    return _assignment_page(request, round_, jurors, add_form=form)


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
        Assignment.objects.select_related("juror__round__edition__contest", "application"),
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
    return redirect(back_to_page(request, round_))


urlpatterns = [
    path(f"{ROUND_PATH}affectation/", assignment, name="assignment"),
    path(f"{ROUND_PATH}affectation/calculer/", assignment_run, name="assignment_run"),
    path(f"{ROUND_PATH}affectation/charges/", assignment_loads, name="assignment_loads"),
    path(f"{ROUND_PATH}affectation/ajouter/", assignment_add, name="assignment_add"),
    path(f"{ROUND_PATH}affectation/retirer/", assignment_remove, name="assignment_remove"),
]
