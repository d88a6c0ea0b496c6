"""A juror's evaluation of an assigned dossier: save as draft, submit, with optimistic locking.

Values of a criterion, as stored in ScoreChange and typed in the form: "0" to "5",
"insuffisant", or "" (not scored yet).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contests.activity import record
from contests.models import Criterion

from ..enums import EvaluationState
from ..models import Assignment, CriterionScore, Evaluation, Round, RoundEntry, ScoreChange
from ..scoring import compute_entry_score
from .round_deadline import ended_message, scoring_ended

INSUFFICIENT = "insuffisant"
SCORE_VALUES = ("0", "1", "2", "3", "4", "5")


class EvaluationError(Exception):
    """A refused save; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleEvaluation(EvaluationError):
    """The evaluation was saved (another tab, another device) after the version the form shows."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            gettext(
                "Cette évaluation a été enregistrée depuis un autre onglet ou un autre appareil "
                "pendant que vous la remplissiez : rien n'a été enregistré. Vos saisies sont "
                "conservées ci-dessous ; vérifiez-les puis enregistrez de nouveau."
            )
        )
        self.current_version = current_version


class EvaluationClosed(EvaluationError):
    """Already submitted: read-only."""

    def __init__(self) -> None:
        super().__init__(
            gettext("Cette évaluation a déjà été envoyée : elle ne peut plus changer.")
        )


class ScoringEnded(EvaluationError):
    """The round's end date has passed (jury.domain.round_deadline)."""

    def __init__(self, round_: Round) -> None:
        super().__init__(ended_message(round_))


class EvaluationIncomplete(EvaluationError):
    """Submission with criteria neither scored nor judged insufficient (`missing`: names)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(incomplete_message(missing))
        self.missing = missing


class InsufficientWithoutComment(EvaluationError):
    def __init__(self, criterion: str) -> None:
        super().__init__(insufficient_comment_message(criterion))
        self.criterion = criterion


def incomplete_message(missing: list[str]) -> str:
    names = ", ".join(f"« {name} »" for name in missing)
    return gettext(
        "Pour envoyer l'évaluation, notez chaque critère de 0 à 5 ou jugez-le insuffisant. "
        "Critères sans note : %(names)s."
    ) % {"names": names}


def insufficient_comment_message(criterion: str) -> str:
    return gettext(
        "Vous jugez le critère « %(criterion)s » insuffisant : expliquez pourquoi dans le "
        "commentaire."
    ) % {"criterion": criterion}


@dataclass(frozen=True)
class CriterionMark:
    """What the juror typed for one criterion."""

    value: str = ""  # "0"–"5", INSUFFICIENT or ""
    comment: str = ""


def round_criteria(round_: Round) -> list[Criterion]:
    """The criteria jurors score in the round: its own, or all the edition's when it has none."""
    own = list(round_.criteria.all())
    return own or list(round_.edition.criteria.all())


def stored_value(score: CriterionScore | None) -> str:
    if score is None:
        return ""
    if score.insufficient:
        return INSUFFICIENT
    return "" if score.score is None else str(score.score)


def check_marks(
    criteria: list[Criterion], marks: dict[int, CriterionMark], *, submit: bool
) -> None:
    """Raise the first refusal: an insufficient criterion without comment, or (on submit) a
    criterion left blank."""
    for criterion in criteria:
        mark = marks.get(criterion.pk, CriterionMark())
        if mark.value == INSUFFICIENT and not mark.comment.strip():
            raise InsufficientWithoutComment(criterion.name)
    if submit:
        missing = [c.name for c in criteria if not marks.get(c.pk, CriterionMark()).value]
        if missing:
            raise EvaluationIncomplete(missing)


def _locked_evaluation(assignment: Assignment, expected_version: int) -> Evaluation:
    """The evaluation, locked, if nobody saved it since `expected_version` (0: none yet)."""
    evaluation = Evaluation.objects.select_for_update().filter(assignment=assignment).first()
    if evaluation is None:
        if expected_version != 0:
            raise StaleEvaluation(0)
        try:
            with transaction.atomic():
                return Evaluation.objects.create(assignment=assignment, version=0)
        except IntegrityError:  # created by a concurrent request in between
            raise StaleEvaluation(1) from None
    if evaluation.state == EvaluationState.SUBMITTED:
        raise EvaluationClosed
    if evaluation.version != expected_version:
        raise StaleEvaluation(evaluation.version)
    return evaluation


def _write_scores(
    evaluation: Evaluation, criteria: list[Criterion], marks: dict[int, CriterionMark], *, by, at
) -> list[ScoreChange]:
    """Upsert one CriterionScore per criterion; a ScoreChange for each changed value."""
    stored = {score.criterion_id: score for score in evaluation.scores.all()}
    changes = []
    for criterion in criteria:
        mark = marks.get(criterion.pk, CriterionMark())
        current = stored.get(criterion.pk)
        old = stored_value(current)
        if old != mark.value:
            changes.append(
                ScoreChange(
                    evaluation=evaluation,
                    criterion=criterion,
                    by=by,
                    at=at,
                    old_value=old,
                    new_value=mark.value,
                )
            )
        if not mark.value and not mark.comment:
            if current is not None:
                current.delete()
            continue
        score = current or CriterionScore(evaluation=evaluation, criterion=criterion)
        score.insufficient = mark.value == INSUFFICIENT
        score.score = int(mark.value) if mark.value in SCORE_VALUES else None
        score.comment = mark.comment
        score.save()
    ScoreChange.objects.bulk_create(changes)
    return changes


@transaction.atomic
def save_evaluation(
    assignment: Assignment,
    marks: dict[int, CriterionMark],
    overall_comment: str,
    *,
    expected_version: int,
    by,
    submit: bool = False,
) -> Evaluation:
    """Save the juror's evaluation of `assignment`, as a draft or submitted.

    Effects, in one transaction:
    1. guard: refuse once the round's end date has passed (ScoringEnded); lock the evaluation
       (created at the first save); refuse if it was submitted
       (EvaluationClosed) or saved since `expected_version` (StaleEvaluation; 0 means the
       form was opened before any save); refuse an insufficient criterion without comment and,
       on submit, any criterion left blank — nothing is written on refusal;
    2. one CriterionScore per criterion of the round, a ScoreChange (who, when, old, new) for
       every criterion whose value changed;
    3. overall comment, version + 1, and on submit: state submitted, submitted_at;
    4. activity log: "evaluation_scores_changed" (the changes) and "evaluation_submitted";
    5. on submit: the dossier's stored score in the round is recomputed (jury.scoring).
    """
    juror = assignment.juror
    round_ = juror.round
    if scoring_ended(round_):
        raise ScoringEnded(round_)
    criteria = round_criteria(round_)
    check_marks(criteria, marks, submit=submit)
    evaluation = _locked_evaluation(assignment, expected_version)
    now = timezone.now()
    changes = _write_scores(evaluation, criteria, marks, by=by, at=now)
    evaluation.overall_comment = overall_comment
    evaluation.version += 1
    if submit:
        evaluation.state = EvaluationState.SUBMITTED
        evaluation.submitted_at = now
    evaluation.save()
    edition = round_.edition
    reference = assignment.application.reference
    if changes:
        record(
            edition,
            "evaluation_scores_changed",
            by=by,
            subject=reference,
            round=round_.slug,
            juror=str(juror.reference),
            changes={
                change.criterion.name: [change.old_value, change.new_value] for change in changes
            },
        )
    if submit:
        record(
            edition,
            "evaluation_submitted",
            by=by,
            subject=reference,
            round=round_.slug,
            juror=str(juror.reference),
            scores={c.name: marks.get(c.pk, CriterionMark()).value for c in criteria},
        )
        entry = RoundEntry.objects.filter(round=round_, application=assignment.application).first()
        # A dossier is scored in a round it belongs to; an assignment outside the round's
        # dossiers (added by hand before the entry) gets its score when the entry is computed.
        if entry is not None:
            compute_entry_score(entry)
    return evaluation
