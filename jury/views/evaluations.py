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
from django.views.decorators.http import require_http_methods, require_POST

from applications.models import Answer, ApplicationPartner, CriterionAnswer
from contests.domain import current_phase
from contests.enums import PhaseKind
from contests.models import Criterion

from ..domain import evaluation_notices as notices
from ..domain.evaluations import (
    EvaluationError,
    StaleEvaluation,
    round_criteria,
    save_evaluation,
)
from ..domain.round_deadline import ended_message, scoring_ended
from ..enums import EvaluationState
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
    if assignment is None or not request.user.has_perm("jury.open_assignment", assignment):
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


def _evaluation_page(
    request: HttpRequest,
    assignment: Assignment,
    criteria: list[Criterion],
    form: EvaluationForm | None,
    status: int = 200,
) -> HttpResponse:
    """The dossier and the juror's evaluation: the form when given, else the stored scores."""
    round_ = assignment.juror.round
    current = _evaluation(assignment)
    may_see_others = request.user.has_perm("jury.view_other_scores", assignment)
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
        "may_see_others": may_see_others,
        "others_notice": ""
        if may_see_others
        else notices.other_scores_notice(
            round_.edition, submitted=bool(current and current.state == EvaluationState.SUBMITTED)
        ),
        "elimination_notice": notices.elimination_notice(round_.edition, criteria),
        "eliminating_now": notices.eliminating_now(round_.edition, criteria, form.current_values())
        if form is not None
        else "",
        "scoring_ended": scoring_ended(round_),
        **_dossier_context(assignment),
    }
    return render(request, "jury/evaluations/evaluation.html", context, status=status)


def _refuse(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    """Why a juror without `jury.evaluate` may not save: already sent (said on the page), or
    the phase does not allow scoring (403)."""
    current = _evaluation(assignment)
    if current is not None and current.state == EvaluationState.SUBMITTED:
        messages.error(request, _("Cette évaluation a déjà été envoyée."))
        return redirect("jury:evaluation", *_dossier_args(assignment))
    round_ = assignment.juror.round
    if scoring_ended(round_):
        # What was typed stays on the page (without its buttons), under the reason.
        criteria = round_criteria(round_)
        form = EvaluationForm(request.POST, criteria=criteria, evaluation=current)
        form.is_valid()
        form.add_error(None, ended_message(round_))
        return _evaluation_page(request, assignment, criteria, form, status=403)
    raise PermissionDenied(_("La notation n'est pas ouverte pour cette édition."))


def _dossier_args(assignment: Assignment) -> list:
    round_ = assignment.juror.round
    edition = round_.edition
    return [edition.contest.slug, edition.year, round_.slug, assignment.application.reference]


def _save(request: HttpRequest, assignment: Assignment, *, submit: bool) -> HttpResponse:
    """Save the posted evaluation as a draft, or submit it; a refusal keeps what was typed."""
    current = _evaluation(assignment)
    criteria = round_criteria(assignment.juror.round)
    form = EvaluationForm(request.POST, criteria=criteria, evaluation=current, submitting=submit)
    if not form.is_valid():
        return _evaluation_page(request, assignment, criteria, form, status=400)
    try:
        save_evaluation(
            assignment,
            form.marks(),
            form.cleaned_data["overall_comment"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
            submit=submit,
        )
    except StaleEvaluation as stale:
        # Keep what was typed; the next save, made knowingly, is based on the stored one.
        data = request.POST.copy()
        data["version"] = str(stale.current_version)
        form = EvaluationForm(data, criteria=criteria, evaluation=current, submitting=submit)
        form.is_valid()
        form.add_error(None, stale.message)
        return _evaluation_page(request, assignment, criteria, form, status=409)
    except EvaluationError as refused:
        form.add_error(None, refused.message)
        return _evaluation_page(request, assignment, criteria, form, status=400)
    messages.success(
        request,
        _("Votre évaluation est envoyée. Merci !") if submit else _("Le brouillon est enregistré."),
    )
    return redirect("jury:evaluation", *_dossier_args(assignment))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    """The dossier with the evaluation form; POST saves the draft (the form's first button)."""
    assignment = assignment_for(request, contest_slug, year, round_slug, reference)
    may_evaluate = request.user.has_perm("jury.evaluate", assignment)
    if request.method == "POST":
        if not may_evaluate:
            return _refuse(request, assignment)
        return _save(request, assignment, submit=False)
    criteria = round_criteria(assignment.juror.round)
    form = None
    if may_evaluate:
        form = EvaluationForm(criteria=criteria, evaluation=_evaluation(assignment))
    return _evaluation_page(request, assignment, criteria, form)


@login_required
@require_POST
def evaluation_submit(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    """Send the evaluation for good (the form's « Envoyer » button, by its formaction)."""
    assignment = assignment_for(request, contest_slug, year, round_slug, reference)
    if not request.user.has_perm("jury.evaluate", assignment):
        return _refuse(request, assignment)
    return _save(request, assignment, submit=True)


@login_required
def other_scores(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    assignment = assignment_for(request, contest_slug, year, round_slug, reference)
    round_ = assignment.juror.round
    edition = round_.edition
    if not request.user.has_perm("jury.view_other_scores", assignment):
        # Not yet: the page says when (403, nothing of the others' scores in it).
        current = _evaluation(assignment)
        submitted = bool(current and current.state == EvaluationState.SUBMITTED)
        hidden = notices.other_scores_notice(edition, submitted=submitted) or _(
            "Les notes des autres jurés sont visibles une fois votre évaluation envoyée."
        )
        context = {
            "assignment": assignment,
            "round": round_,
            "edition": edition,
            "contest": edition.contest,
            "application": assignment.application,
            "hidden": hidden,
        }
        return render(request, "jury/evaluations/other_scores.html", context, status=403)
    conflicted = (
        Conflict.objects.effective()
        .filter(application=assignment.application)
        .values("member__jurors")
    )
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
    path(f"{juror_dossier}envoyer/", evaluation_submit, name="evaluation_submit"),
    path(f"{juror_dossier}notes-du-jury/", other_scores, name="other_scores"),
]
