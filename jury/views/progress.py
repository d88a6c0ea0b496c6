"""Organisers' follow-up of a round: who has evaluated what (per juror, per dossier), reminders
to the jurors, and one dossier's scores in detail (each juror, computed score, elimination,
history of changes).

Counts leave out assignments in conflict (a conflict declared after the assignment). An organiser
who is also a juror in conflict with a dossier sees its progress but not its scores: the score
column is blank for it and its scores page answers 404 (`jury.view_scores`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from palmares.paging import page_of, render_page_or_region

from ..domain.evaluations import round_criteria
from ..domain.reminders import remind_round_jurors
from ..enums import JurorState
from ..models import (
    Assignment,
    Conflict,
    CriterionScore,
    Juror,
    Round,
    RoundEntry,
    ScoreChange,
)
from ..rules import conflicted_application_ids
from .common import round_with_perm
from .juror_home import NOT_STARTED, evaluation_state

STATES = ("submitted", "draft", NOT_STARTED)


@dataclass
class Tally:
    """Evaluations by state for one juror, one dossier, or the whole round."""

    counts: Counter = field(default_factory=Counter)

    def add(self, state: str) -> None:
        self.counts[state] += 1

    @property
    def assigned(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return self.counts["submitted"]

    @property
    def draft(self) -> int:
        return self.counts["draft"]

    @property
    def not_started(self) -> int:
        return self.counts[NOT_STARTED]


def _live_states(round_: Round) -> list[tuple[int, int, str]]:
    """(juror id, application id, evaluation state) of the round's assignments of accepted
    jurors, without those now in conflict: values, not objects (5,800 of them at scale)."""
    conflicts = Conflict.objects.effective().juror_pairs(round=round_)
    rows = (
        Assignment.objects.filter(juror__round=round_, juror__state=JurorState.ACCEPTED)
        .order_by()
        .values_list("juror_id", "application_id", "evaluation__state")
    )
    return [
        (juror, application, state or NOT_STARTED)
        for juror, application, state in rows
        if (juror, application) not in conflicts
    ]


@login_required
def progress(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    jurors = list(
        Juror.objects.filter(round=round_, state=JurorState.ACCEPTED)
        .select_related("institution")
        .annotate(last_reminder=Max("reminders_sent__sent_at"))
        .order_by("full_name", "pk")
    )
    text = request.GET.get("q", "").strip()[:100]
    entries = RoundEntry.objects.filter(round=round_)
    if text:
        entries = entries.filter(
            Q(application__reference__icontains=text) | Q(application__title__icontains=text)
        )
    # The dossiers a page at a time; the totals above them count every dossier of the round.
    page = page_of(
        request,
        entries.select_related("application")
        .only("score", "elimination", "application__reference", "application__title")
        .order_by("application__reference"),
    )
    by_juror: dict[int, Tally] = defaultdict(Tally)
    by_dossier: dict[int, Tally] = defaultdict(Tally)
    total = Tally()
    for juror_id, application_id, state in _live_states(round_):
        by_juror[juror_id].add(state)
        by_dossier[application_id].add(state)
        total.add(state)
    hidden = conflicted_application_ids(request.user)
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "juror_rows": [(juror, by_juror[juror.pk]) for juror in jurors],
        "dossier_rows": [
            (entry, by_dossier[entry.application_id], entry.application_id in hidden)
            for entry in page.object_list
        ],
        "page": page,
        "query": text,
        "total": total,
    }
    return render_page_or_region(
        request, "jury/progress/progress.html", "jury/progress/dossiers.html", context
    )


@login_required
@require_POST
def remind(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    count = remind_round_jurors(round_, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Un rappel a été envoyé à %(count)d juré.",
                "Un rappel a été envoyé à %(count)d jurés.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Aucun juré n'a d'évaluation en attente : aucun rappel envoyé."))
    return redirect("jury:progress", contest_slug, year, round_slug)


@login_required
def entry_scores(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, reference: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    entry = get_object_or_404(
        RoundEntry.objects.select_related(
            "application__theme", "application__lead_organisation", "application__edition"
        ),
        round=round_,
        application__reference=reference,
    )
    application = entry.application
    # An organiser in conflict with the dossier as a juror: as if it did not exist.
    if not request.user.has_perm("jury.view_scores", application):
        raise Http404
    criteria = round_criteria(round_)
    assignments = (
        Assignment.objects.filter(juror__round=round_, application=application)
        .select_related("juror", "evaluation")
        .prefetch_related(
            Prefetch("evaluation__scores", queryset=CriterionScore.objects.order_by())
        )
        .order_by("juror__full_name", "juror__pk")
    )
    jurors = []
    for assignment in assignments:
        evaluation = getattr(assignment, "evaluation", None)
        stored = (
            {score.criterion_id: score for score in evaluation.scores.all()} if evaluation else {}
        )
        jurors.append(
            {
                "juror": assignment.juror,
                "evaluation": evaluation,
                "state": evaluation_state(assignment),
                "scores": [(criterion, stored.get(criterion.pk)) for criterion in criteria],
            }
        )
    changes = (
        ScoreChange.objects.filter(
            evaluation__assignment__juror__round=round_,
            evaluation__assignment__application=application,
        )
        .select_related("criterion", "by", "evaluation__assignment__juror")
        .order_by("at", "pk")
    )
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "entry": entry,
        "application": application,
        "criteria": criteria,
        "jurors": jurors,
        "changes": changes,
    }
    return render(request, "jury/progress/entry_scores.html", context)


round_prefix = "organisation/concours/<slug:contest_slug>/<int:year>/tours/<slug:round_slug>/"
urlpatterns = [
    path(f"{round_prefix}suivi/", progress, name="progress"),
    path(f"{round_prefix}suivi/relancer/", remind, name="progress_remind"),
    path(f"{round_prefix}dossiers/<str:reference>/", entry_scores, name="entry_scores"),
]
