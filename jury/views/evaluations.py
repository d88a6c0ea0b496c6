"""A juror's pages for one assigned dossier: the dossier read-only with the evaluation form, and
the other jurors' scores once one's own is submitted (when the phase allows).

Both answer 404 to anyone but the assigned juror, and to a juror in conflict with the dossier,
exactly as for a dossier that does not exist: its existence stays private.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from applications.models import Answer, ApplicationPartner, CriterionAnswer
from contests.domain import current_phase
from contests.enums import PhaseKind

from ..domain.evaluations import (
    EvaluationError,
    StaleEvaluation,
    round_criteria,
    save_evaluation,
)
from ..enums import ConflictStatus, EvaluationState
from ..forms.evaluations import EvaluationForm
from ..models import Assignment, Conflict, CriterionScore, RoundEntry

ASSIGNMENTS = Assignment.objects.select_related(
    "juror__round__edition__contest",
    "application__theme",
    "application__lead_organisation",
    "evaluation",
).prefetch_related("juror__round__edition__phases")


def assignment_for(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> Assignment:
    """The user's assignment to the dossier in the round, or 404 (also when in conflict)."""
    assignment = ASSIGNMENTS.filter(
        juror__user=request.user,
        juror__round__edition__contest__slug=contest_slug,
        juror__round__edition__year=year,
        juror__round__slug=round_slug,
        application__reference=reference,
    ).first()
    if assignment is None or not request.user.has_perm("jury.view_assignment", assignment):
        raise Http404
    return assignment


def _evaluation(assignment: Assignment):
    return getattr(assignment, "evaluation", None)


def _dossier_context(assignment: Assignment) -> dict[str, object]:
    application = assignment.application
    return {
        "application": application,
        "partners": ApplicationPartner.objects.filter(application=application)
        .select_related("organisation")
        .order_by("position"),
        "criterion_answers": CriterionAnswer.objects.filter(application=application)
        .select_related("criterion")
        .order_by("criterion__position", "criterion__name"),
        # Both visibilities are for the jury; "published" ones are also public once labelled.
        "answers": Answer.objects.filter(application=application)
        .select_related("question")
        .order_by("question__position", "question__pk"),
        "attachments": application.attachments.order_by("uploaded_at", "pk"),
    }


@login_required
def evaluation(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    assignment = assignment_for(request, contest_slug, year, round_slug, reference)
    round_ = assignment.juror.round
    current = _evaluation(assignment)
    criteria = round_criteria(round_)
    may_evaluate = request.user.has_perm("jury.evaluate", assignment)
    status = 200
    form = None
    if request.method == "POST":
        if not may_evaluate:
            if current is not None and current.state == EvaluationState.SUBMITTED:
                messages.error(request, _("Cette évaluation a déjà été envoyée."))
                return redirect(request.path)
            raise PermissionDenied(_("La notation n'est pas ouverte pour cette édition."))
        submitting = request.POST.get("action") == "submit"
        form = EvaluationForm(
            request.POST, criteria=criteria, evaluation=current, submitting=submitting
        )
        if form.is_valid():
            try:
                save_evaluation(
                    assignment,
                    form.marks(),
                    form.cleaned_data["overall_comment"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    submit=submitting,
                )
            except StaleEvaluation as stale:
                # Keep what was typed; the next save, made knowingly, is based on the stored one.
                data = request.POST.copy()
                data["version"] = str(stale.current_version)
                form = EvaluationForm(
                    data, criteria=criteria, evaluation=current, submitting=submitting
                )
                form.is_valid()
                form.add_error(None, stale.message)
                status = 409
            except EvaluationError as refused:
                form.add_error(None, refused.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Votre évaluation est envoyée. Merci !")
                    if submitting
                    else _("Le brouillon est enregistré."),
                )
                return redirect(request.path)
        else:
            status = 400
    elif may_evaluate:
        form = EvaluationForm(criteria=criteria, evaluation=current)
    scores = []
    if current is not None and form is None:
        stored = {score.criterion_id: score for score in current.scores.all()}
        scores = [(criterion, stored.get(criterion.pk)) for criterion in criteria]
    context = {
        "assignment": assignment,
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "evaluation": current,
        "form": form,
        "scores": scores,
        "criteria": criteria,
        "may_see_others": request.user.has_perm("jury.view_other_scores", assignment),
        **_dossier_context(assignment),
    }
    return render(request, "jury/evaluations/evaluation.html", context, status=status)


@login_required
def other_scores(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    assignment = assignment_for(request, contest_slug, year, round_slug, reference)
    if not request.user.has_perm("jury.view_other_scores", assignment):
        raise PermissionDenied(
            _("Les notes des autres jurés sont visibles une fois votre évaluation envoyée.")
        )
    round_ = assignment.juror.round
    edition = round_.edition
    conflicted = Conflict.objects.filter(
        application=assignment.application, status__in=ConflictStatus.effective()
    ).values("juror")
    others = (
        Assignment.objects.filter(
            juror__round=round_,
            application=assignment.application,
            evaluation__state=EvaluationState.SUBMITTED,
        )
        .exclude(pk=assignment.pk)
        .exclude(juror__in=conflicted)
        .select_related("juror", "evaluation")
        .prefetch_related(
            Prefetch(
                "evaluation__scores",
                queryset=CriterionScore.objects.select_related("criterion"),
            )
        )
        .order_by("juror__pk")
    )
    # Anonymous (« Juré 1, 2… ») while jurors score; by name once the jury deliberates together.
    phase = current_phase(edition)
    named = phase is not None and phase.kind == PhaseKind.DELIBERATION
    criteria = round_criteria(round_)
    rows = []
    for number, other in enumerate(others, start=1):
        stored = {score.criterion_id: score for score in other.evaluation.scores.all()}
        rows.append(
            {
                "name": other.juror.full_name
                if named
                else _("Juré %(number)s") % {"number": number},
                "evaluation": other.evaluation,
                "scores": [(criterion, stored.get(criterion.pk)) for criterion in criteria],
            }
        )
    entry = RoundEntry.objects.filter(round=round_, application=assignment.application).first()
    context = {
        "assignment": assignment,
        "round": round_,
        "edition": edition,
        "contest": edition.contest,
        "application": assignment.application,
        "rows": rows,
        "entry": entry,
        "named": named,
    }
    return render(request, "jury/evaluations/other_scores.html", context)


juror_dossier = "jury/<slug:contest_slug>/<int:year>/<slug:round_slug>/<str:reference>/"
urlpatterns = [
    path(juror_dossier, evaluation, name="evaluation"),
    path(f"{juror_dossier}notes-du-jury/", other_scores, name="other_scores"),
]
