"""A round's evaluations for the organisers: one row per (juror, dossier), every criterion's raw
score.

Conflict-aware: an organiser who is also a juror in conflict with a dossier gets no row of that
dossier's evaluations (jury.rules.conflicted_application_ids). Only submitted evaluations are
exported, so a draft never leaves the juror's hands.
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import batched

from django.utils.translation import gettext as _

from jury.domain.evaluations import round_criteria
from jury.enums import EvaluationState
from jury.models import CriterionScore, Evaluation, Round
from jury.rules import conflicted_application_ids

from .tables import Cell

# Evaluations read (and their scores) this many at a time while the export streams.
CHUNK = 2000
# Each evaluation's columns, read as plain tuples: 4,800 evaluations with their six scores
# would otherwise build some 53,000 model instances (evaluation, assignment, dossier, theme,
# juror, institution, scores) for cells that are only read once.
COLUMNS = (
    "pk",
    "assignment__application__reference",
    "assignment__application__title",
    "assignment__application__theme__name",
    "assignment__juror__full_name",
    "assignment__juror__institution__name",
    "assignment__juror__institution_name",
    "overall_comment",
    "submitted_at",
)


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
        .order_by("assignment__application__reference", "assignment__juror__full_name")
        .values_list(*COLUMNS)
    )
    insufficient = _("insuffisant")

    criterion_ids = [criterion.pk for criterion in criteria]

    def rows() -> Iterator[list[Cell]]:
        for chunk in batched(evaluations.iterator(chunk_size=CHUNK), CHUNK):
            scores: dict[int, dict[int, Cell]] = defaultdict(dict)
            for evaluation_id, criterion_id, score, is_insufficient in (
                CriterionScore.objects.filter(evaluation_id__in=[row[0] for row in chunk])
                .order_by()
                .values_list("evaluation_id", "criterion_id", "score", "insufficient")
            ):
                scores[evaluation_id][criterion_id] = insufficient if is_insufficient else score
            for pk, reference, title, theme, juror, institution, named, comment, sent in chunk:
                get = scores.get(pk, {}).get
                yield [
                    reference,
                    title,
                    theme,
                    juror,
                    institution or named,
                    *[get(criterion_id) for criterion_id in criterion_ids],
                    comment,
                    sent,
                ]

    return header, rows()
