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
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ..assignment import Infeasible
from ..domain.assign import (
    AssignmentRefused,
    add_assignment,
    assign_round,
    fair_share,
    load_bounds,
    remove_assignment,
    round_entries,
    set_loads,
)
from ..enums import EvaluationState, JurorState
from ..forms.assignment import AddForm, LoadsForm, RunForm
from ..models import Assignment, Conflict, Juror, Round, RoundEntry
from .common import ROUND_PATH, round_with_perm


@dataclass(frozen=True)
class LoadRow:
    juror: Juror
    load: int
    low: int  # target, what the solver aims at
    high: int
    fixed: bool  # set by the organisers (strict), else the fair share
    min_field: object
    max_field: object

    @property
    def below(self) -> bool:
        return self.load < self.low

    @property
    def above(self) -> bool:
        return self.load > self.high


def _accepted_jurors(round_: Round) -> list[Juror]:
    return list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .select_related("institution")
        .annotate(assigned=Count("assignments"))
        .order_by("full_name", "pk")
    )


def _dossier_rows(round_: Round, entries: list[RoundEntry]) -> list[tuple]:
    """(entry, assignments, jurors in conflict, shared institution) per dossier."""
    by_dossier: dict[int, list[Assignment]] = defaultdict(list)
    for item in (
        Assignment.objects.filter(juror__round=round_)
        .select_related("juror__institution", "evaluation")
        .order_by("juror__full_name")
    ):
        item.sent = getattr(item, "evaluation", None) is not None and (
            item.evaluation.state == EvaluationState.SUBMITTED
        )
        by_dossier[item.application_id].append(item)
    # The round's jurors whose person is in conflict with the dossier, whichever round found it.
    conflicts = dict(
        Conflict.objects.effective()
        .filter(member__jurors__round=round_)
        .values("application_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("application_id", "n")
    )
    rows = []
    for entry in entries:
        items = by_dossier.get(entry.application_id, [])
        keys = [item.juror.institution_key for item in items]
        rows.append(
            (entry, items, conflicts.get(entry.application_id, 0), len(set(keys)) < len(keys))
        )
    return rows


def _assignment_page(
    request: HttpRequest,
    round_: Round,
    entries: list[RoundEntry],
    jurors: list[Juror],
    *,
    run_form: RunForm | None = None,
    add_form: AddForm | None = None,
    loads_form: LoadsForm | None = None,
    causes: list[str] | None = None,
) -> HttpResponse:
    """The page, with the form an action refused bound to what was sent, or the causes of an
    infeasible round (answered 422)."""
    rows = _dossier_rows(round_, entries)
    per_dossier = round_.jurors_per_dossier
    share = fair_share(len(entries), per_dossier, len(jurors))
    loads_form = loads_form if loads_form is not None else LoadsForm(jurors=jurors, prefix="loads")
    load_rows = []
    for juror, min_field, max_field in loads_form.rows():
        _low, target_low, target_high, _high = load_bounds(juror, share, len(entries))
        fixed = juror.capacity_min is not None or juror.capacity_max is not None
        load_rows.append(
            LoadRow(juror, juror.assigned, target_low, target_high, fixed, min_field, max_field)
        )
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "rows": rows,
        "load_rows": load_rows,
        "share": share,
        "per_dossier": per_dossier,
        "jurors_count": len(jurors),
        "invited": Juror.objects.filter(round=round_, state=JurorState.INVITED).count(),
        "run_form": run_form
        if run_form is not None
        else RunForm(prefix="run", initial={"per_dossier": per_dossier}),
        "add_form": add_form
        if add_form is not None
        else AddForm(entries=entries, jurors=jurors, prefix="add"),
        "loads_form": loads_form,
        "causes": causes or [],
        "assigned_total": sum(len(items) for _entry, items, _c, _s in rows),
        "shared_total": sum(1 for row in rows if row[3]),
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
        return _assignment_page(request, round_, round_entries(round_), jurors, loads_form=form)
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
    return redirect("jury:assignment", contest_slug, year, round_slug)


urlpatterns = [
    path(f"{ROUND_PATH}affectation/", assignment, name="assignment"),
    path(f"{ROUND_PATH}affectation/calculer/", assignment_run, name="assignment_run"),
    path(f"{ROUND_PATH}affectation/charges/", assignment_loads, name="assignment_loads"),
    path(f"{ROUND_PATH}affectation/ajouter/", assignment_add, name="assignment_add"),
    path(f"{ROUND_PATH}affectation/retirer/", assignment_remove, name="assignment_remove"),
]
