"""The organisers' assignment page of a round: run the exact solver, then adjust by hand.

GET shows the current assignment (by dossier, and each juror's load against their capacity).
POST "run" solves again (hand-made and started assignments are kept); an infeasible instance
shows its causes on the page and changes nothing. POST "add" / "remove" change one pair, under
the same rules as the solver (no conflict, one juror per institution, capacity).
"""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

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
from ..models import Assignment, Conflict, Juror
from .common import ROUND_PATH
from .common import organiser_round as _round

MANAGE = "jury.manage_selection"


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


@login_required
def assignment(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = _round(request, contest_slug, year, round_slug)
    entries = round_entries(round_)
    jurors = list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .select_related("institution")
        .annotate(assigned=Count("assignments"))
        .order_by("full_name", "pk")
    )
    run_form = RunForm(prefix="run")
    add_form = AddForm(entries=entries, jurors=jurors, prefix="add")
    causes: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "run":
            run_form = RunForm(request.POST, prefix="run")
            if run_form.is_valid():
                try:
                    outcome = assign_round(
                        round_, per_dossier=run_form.cleaned_data["per_dossier"], by=request.user
                    )
                except Infeasible as infeasible:
                    causes = list(infeasible.causes)
                else:
                    messages.success(
                        request,
                        _(
                            "Affectation optimale enregistrée : %(created)s ajoutées, "
                            "%(removed)s retirées, %(kept)s conservées (adéquation totale "
                            "%(objective)s)."
                        )
                        % {
                            "created": outcome.created,
                            "removed": outcome.removed,
                            "kept": outcome.kept,
                            "objective": f"{outcome.objective:g}",
                        },
                    )
                    return redirect(request.path)
        elif action == "add":
            add_form = AddForm(request.POST, entries=entries, jurors=jurors, prefix="add")
            if add_form.is_valid():
                entry = next(
                    e
                    for e in entries
                    if e.application.reference == add_form.cleaned_data["reference"]
                )
                juror = next(
                    j for j in jurors if str(j.reference) == add_form.cleaned_data["juror"]
                )
                try:
                    add_assignment(round_, juror, entry, by=request.user)
                except AssignmentRefused as refused:
                    add_form.add_error(None, str(refused))
                else:
                    messages.success(
                        request,
                        _("%(juror)s évaluera le dossier %(reference)s.")
                        % {"juror": juror.full_name, "reference": entry.application.reference},
                    )
                    return redirect(request.path)
        elif action == "remove":
            target = get_object_or_404(
                Assignment.objects.select_related("juror__round__edition", "application"),
                juror__round=round_,
                juror__reference=request.POST.get("juror", ""),
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
            return redirect(request.path)
        else:
            return HttpResponse(status=400)

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
        "run_form": run_form,
        "add_form": add_form,
        "causes": causes,
        "assigned_total": sum(len(items) for items in by_dossier.values()),
    }
    return render(
        request, "jury/assignment/assignment.html", context, status=422 if causes else 200
    )


urlpatterns = [
    path(f"{ROUND_PATH}affectation/", assignment, name="assignment"),
]
