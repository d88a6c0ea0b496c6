"""The organisers' export of a round's evaluations: one row per (juror, dossier), every
criterion's raw score, as CSV or XLSX (opendata.exports.tables writes both).

Conflict-aware: an organiser who is also a juror in conflict with a dossier gets no row of that
dossier's evaluations (jury.rules.conflicted_application_ids). Only submitted evaluations are
exported, so a draft never leaves the juror's hands.
"""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata.exports import tables

from .domain.evaluations import round_criteria
from .enums import EvaluationState
from .models import CriterionScore, Evaluation, Round
from .rules import conflicted_application_ids
from .views.common import ROUND_PATH
from .views.common import organiser_round as _round


def evaluation_rows(round_: Round, user) -> tuple[list[str], Iterator[list]]:
    criteria = round_criteria(round_)
    header = [
        _("Dossier"),
        _("Titre"),
        _("Thème"),
        _("Juré"),
        _("Institution"),
        *[criterion.name for criterion in criteria],
        _("Appréciation générale"),
        _("Envoyée le"),
    ]
    hidden = conflicted_application_ids(user)
    evaluations = (
        Evaluation.objects.filter(assignment__juror__round=round_, state=EvaluationState.SUBMITTED)
        .exclude(assignment__application_id__in=hidden)
        .select_related(
            "assignment__application__theme",
            "assignment__juror__institution",
        )
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.all()))
        .order_by("assignment__application__reference", "assignment__juror__full_name")
    )

    def rows() -> Iterator[list]:
        for evaluation in evaluations:
            application = evaluation.assignment.application
            juror = evaluation.assignment.juror
            by_criterion = {score.criterion_id: score for score in evaluation.scores.all()}
            values = []
            for criterion in criteria:
                score = by_criterion.get(criterion.pk)
                if score is None:
                    values.append(None)
                elif score.insufficient:
                    values.append(_("insuffisant"))
                else:
                    values.append(score.score)
            yield [
                application.reference,
                application.title,
                application.theme.name if application.theme else None,
                juror.full_name,
                juror.institution_label,
                *values,
                evaluation.overall_comment,
                evaluation.submitted_at,
            ]

    return header, rows()


@login_required
@require_safe
def evaluations_export(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, extension: str
) -> HttpResponse:
    round_ = _round(request, contest_slug, year, round_slug)
    header, rows = evaluation_rows(round_, request.user)
    filename = f"evaluations-{contest_slug}-{year}-{round_slug}.{extension}"
    if extension == "csv":
        return tables.csv_response(header, rows, filename)
    return tables.xlsx_response(header, rows, filename, title=_("Évaluations"))


urlpatterns = [
    path(
        f"{ROUND_PATH}evaluations.csv",
        evaluations_export,
        {"extension": "csv"},
        name="evaluations_csv",
    ),
    path(
        f"{ROUND_PATH}evaluations.xlsx",
        evaluations_export,
        {"extension": "xlsx"},
        name="evaluations_xlsx",
    ),
]
