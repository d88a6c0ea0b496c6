"""A juror's home (their rounds, with how many evaluations are done) and a round's page (the
dossiers to evaluate). Dossiers come only from `assigned_application_ids(user)`: a dossier in
conflict appears in no list and no count."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from palmares.permissions import get_object_or_404_with_perm

from ..domain.round_deadline import scoring_ended
from ..enums import EvaluationState, JurorState
from ..models import Assignment, Juror, Round
from ..rules import assigned_application_ids

NOT_STARTED = "not_started"


def evaluation_state(assignment: Assignment) -> str:
    """ "submitted", "draft" or "not_started" (reads a select_related evaluation)."""
    evaluation = getattr(assignment, "evaluation", None)
    return evaluation.state if evaluation is not None else NOT_STARTED


@dataclass(frozen=True)
class RoundSummary:
    juror: Juror
    assigned: int
    submitted: int
    draft: int

    @property
    def round(self) -> Round:
        return self.juror.round

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


@login_required
def home(request: HttpRequest) -> HttpResponse:
    jurors = list(
        Juror.objects.filter(user=request.user, state=JurorState.ACCEPTED)
        .select_related("round__edition__contest")
        .order_by("-round__edition__year", "round__edition__contest__name", "round__position")
    )
    visible = assigned_application_ids(request.user)
    tallies: Counter[tuple[int, str]] = Counter()
    rows = Assignment.objects.filter(juror__in=jurors, application_id__in=visible).values_list(
        "juror_id", "evaluation__state"
    )
    for juror_id, state in rows:
        tallies[(juror_id, state or NOT_STARTED)] += 1
    summaries = []
    for juror in jurors:
        submitted = tallies[(juror.pk, EvaluationState.SUBMITTED)]
        draft = tallies[(juror.pk, EvaluationState.DRAFT)]
        summaries.append(
            RoundSummary(
                juror, submitted + draft + tallies[(juror.pk, NOT_STARTED)], submitted, draft
            )
        )
    return render(request, "jury/juror/home.html", {"summaries": summaries})


@login_required
def juror_round(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = get_object_or_404_with_perm(
        request,
        "jury.view_juror_round",
        Round.objects.select_related("edition__contest"),
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )
    assignments = list(
        Assignment.objects.filter(
            juror__round=round_,
            juror__user=request.user,
            application_id__in=assigned_application_ids(request.user),
        )
        .select_related("application__theme", "application__lead_organisation", "evaluation")
        .order_by("application__reference")
    )
    rows = [(assignment, evaluation_state(assignment)) for assignment in assignments]
    done = sum(1 for _assignment, state in rows if state == EvaluationState.SUBMITTED)
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "rows": rows,
        "done": done,
        "pending": len(rows) - done,
        "scoring_ended": scoring_ended(round_),
    }
    return render(request, "jury/juror/round.html", context)


urlpatterns = [
    path("jury/", home, name="home"),
    path(
        "jury/<slug:contest_slug>/<int:year>/<slug:round_slug>/",
        juror_round,
        name="juror_round",
    ),
]
