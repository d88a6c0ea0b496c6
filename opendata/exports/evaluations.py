"""A round's evaluations for the organisers: one row per (juror, dossier), every criterion's raw
score.

Conflict-aware: an organiser who is also a juror in conflict with a dossier gets no row of that
dossier's evaluations (jury.rules.conflicted_application_ids). Only submitted evaluations are
exported, so a draft never leaves the juror's hands.
"""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jury.domain.evaluations import round_criteria
from jury.enums import EvaluationState
from jury.models import CriterionScore, Evaluation, Round
from jury.rules import conflicted_application_ids

from .tables import Cell

# Evaluations read (and their scores prefetched) this many at a time while the export streams.
CHUNK = 2000


def evaluation_rows(round_: Round, user) -> tuple[list[str], Iterator[list[Cell]]]:
    """The header (one column per criterion of the round) and the rows of the export."""
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

    def rows() -> Iterator[list[Cell]]:
        for evaluation in evaluations.iterator(chunk_size=CHUNK):
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
