"""A dossier's score in a round and whether it is eliminated: computed here, and only here.

The rule, for one dossier (a RoundEntry) of a round:

- Evaluations counted: the SUBMITTED evaluations of the jurors of that round assigned to the
  dossier, except those of a juror now in conflict with it (a conflict declared after scoring
  takes the juror's evaluation out, as it takes the dossier out of their pages). Drafts never
  count.
- Criteria counted: the round's criteria, or all the edition's criteria when the round lists
  none. A score given on any other criterion (e.g. one removed from the round) is ignored.
- Criterion mean: the mean of the jurors' scores on that criterion, where « insuffisant » counts
  as 0 (it is the lowest judgement; eliminating is decided separately, below). A juror who left
  the criterion blank is not counted for it (a submitted evaluation has every criterion, so
  this only happens for a criterion added to the round after submission).
- Score: the weighted mean of the criterion means, weighted by Criterion.weight, over the
  criteria that have at least one score — so a score stays on the 0–5 scale. Computed exactly
  (fractions), rounded half up to 3 decimals. None when no evaluation is submitted.
- Elimination (the edition's `elimination_rule`), for each ELIMINATORY criterion counted, with
  n the number of submitted evaluations and k those that judged it insufficient:
  ANY: k ≥ 1; MAJORITY: k > n / 2; ALL: n ≥ 1 and k = n. The dossier is eliminated when at
  least one criterion qualifies; `RoundEntry.elimination` lists each such criterion with k and
  the jurors' comments, in the criteria's order — the only stored trace of the elimination
  (`RoundEntry.eliminated` and `ELIMINATED_ENTRY` read it). A non-eliminatory criterion judged
  insufficient only weighs 0 in the mean.

`compute_entry_score` does one entry (3 queries + the save); `recompute_round` and
`recompute_edition` do every entry of a round or an edition in a fixed number of queries
(no query per entry). All three go through `_outcome`, the rule above.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import floor

from django.db.models import Q
from django.utils import timezone

from contests.enums import EliminationRule
from contests.models import Criterion, Edition

from .enums import EvaluationState
from .models import Conflict, CriterionScore, Round, RoundEntry

THOUSANDTH = Decimal("0.001")
UPDATED_FIELDS = ["score", "elimination", "evaluations_submitted", "computed_at"]


@dataclass
class _Evaluation:
    """One submitted evaluation, as the rule needs it."""

    scores: dict[int, int | None] = field(default_factory=dict)  # criterion id → 0–5 or None
    insufficient: dict[int, str] = field(default_factory=dict)  # criterion id → comment


@dataclass(frozen=True)
class Outcome:
    score: Decimal | None
    elimination: list[dict[str, object]]
    evaluations_submitted: int


def _round_half_up(value: Fraction) -> Decimal:
    """`value` rounded half up to 3 decimals, exactly (scores are never negative)."""
    thousandths = floor(value * 1000 + Fraction(1, 2))
    return (Decimal(thousandths) * THOUSANDTH).quantize(THOUSANDTH)


def _outcome(criteria: list[Criterion], evaluations: list[_Evaluation], rule: str) -> Outcome:
    """The rule of the module docstring, for one dossier."""
    weighted = Fraction(0)
    weights = Fraction(0)
    elimination: list[dict[str, object]] = []
    count = len(evaluations)
    for criterion in criteria:
        values = []
        comments = []
        for evaluation in evaluations:
            if criterion.pk in evaluation.insufficient:
                values.append(0)
                comments.append(evaluation.insufficient[criterion.pk])
            elif evaluation.scores.get(criterion.pk) is not None:
                values.append(evaluation.scores[criterion.pk])
        if values:
            weight = Fraction(criterion.weight)
            weighted += weight * Fraction(sum(values), len(values))
            weights += weight
        if criterion.eliminatory and _eliminates(rule, len(comments), count):
            elimination.append(
                {"criterion": criterion.name, "jurors": len(comments), "comments": comments}
            )
    score = _round_half_up(weighted / weights) if weights else None
    return Outcome(score, elimination, count)


def _eliminates(rule: str, insufficient: int, submitted: int) -> bool:
    if insufficient == 0:
        return False
    if rule == EliminationRule.MAJORITY:
        return insufficient * 2 > submitted
    if rule == EliminationRule.ALL:
        return insufficient == submitted
    return True  # ANY (and any unknown value: the strictest reading)


def _criteria_by_round(rounds: list[Round]) -> dict[int, list[Criterion]]:
    """Each round's counted criteria (its own, else its edition's), in two queries."""
    through = Round.criteria.through
    own: dict[int, set[int]] = defaultdict(set)
    for round_id, criterion_id in through.objects.filter(
        round_id__in=[round_.pk for round_ in rounds]
    ).values_list("round_id", "criterion_id"):
        own[round_id].add(criterion_id)
    all_criteria = list(
        Criterion.objects.filter(edition_id__in={round_.edition_id for round_ in rounds})
    )
    return {
        round_.pk: [
            criterion
            for criterion in all_criteria
            if criterion.edition_id == round_.edition_id
            and (not own[round_.pk] or criterion.pk in own[round_.pk])
        ]
        for round_ in rounds
    }


def _submitted_evaluations(
    entries: list[RoundEntry],
) -> dict[tuple[int, int], list[_Evaluation]]:
    """(round id, application id) → its counted evaluations, in two queries."""
    if not entries:
        return {}
    round_ids = {entry.round_id for entry in entries}
    application_ids = {entry.application_id for entry in entries}
    conflicted = (
        Conflict.objects.effective()
        .filter(application_id__in=application_ids)
        .juror_pairs(round_id__in=round_ids)
    )
    rows = (
        CriterionScore.objects.filter(
            evaluation__state=EvaluationState.SUBMITTED,
            evaluation__assignment__juror__round_id__in=round_ids,
            evaluation__assignment__application_id__in=application_ids,
        )
        .order_by()
        .values_list(
            "evaluation_id",
            "evaluation__assignment__juror_id",
            "evaluation__assignment__juror__round_id",
            "evaluation__assignment__application_id",
            "criterion_id",
            "score",
            "insufficient",
            "comment",
        )
    )
    by_evaluation: dict[int, tuple[tuple[int, int], _Evaluation]] = {}
    for (
        evaluation_id,
        juror_id,
        round_id,
        app_id,
        criterion_id,
        score,
        insufficient,
        comment,
    ) in rows:
        if (juror_id, app_id) in conflicted:
            continue
        key = (round_id, app_id)
        evaluation = by_evaluation.setdefault(evaluation_id, (key, _Evaluation()))[1]
        if insufficient:
            evaluation.insufficient[criterion_id] = comment
        else:
            evaluation.scores[criterion_id] = score
    grouped: dict[tuple[int, int], list[_Evaluation]] = defaultdict(list)
    for evaluation_id in sorted(by_evaluation):  # a stable order of comments
        key, evaluation = by_evaluation[evaluation_id]
        grouped[key].append(evaluation)
    return grouped


def _apply(entries: list[RoundEntry], rounds: Iterable[Round]) -> list[RoundEntry]:
    rounds = {round_.pk: round_ for round_ in rounds}
    criteria = _criteria_by_round(list(rounds.values()))
    evaluations = _submitted_evaluations(entries)
    now = timezone.now()
    for entry in entries:
        round_ = rounds[entry.round_id]
        outcome = _outcome(
            criteria[round_.pk],
            evaluations.get((entry.round_id, entry.application_id), []),
            round_.edition.elimination_rule,
        )
        entry.score = outcome.score
        entry.elimination = outcome.elimination
        entry.evaluations_submitted = outcome.evaluations_submitted
        entry.computed_at = now
    return entries


def compute_entry_score(entry: RoundEntry) -> RoundEntry:
    """Compute and store the entry's score and elimination (the rule of the module docstring).

    Effects: reads the round's criteria and the submitted evaluations, then saves `score`,
    `elimination` (its reasons: the one record of it), `evaluations_submitted` and
    `computed_at`. Returns the entry.
    """
    round_ = Round.objects.select_related("edition").get(pk=entry.round_id)
    _apply([entry], [round_])
    entry.save(update_fields=UPDATED_FIELDS)
    return entry


def recompute_round(round_: Round) -> int:
    """Recompute every entry of the round in a fixed number of queries; returns their number."""
    return _recompute(Q(round_id=round_.pk))


def recompute_edition(edition: Edition | int) -> int:
    """Recompute every entry of every round of the edition (after its criteria or rule changed).

    Costs one query when the edition has no entry yet. Returns the number of entries.
    """
    edition_id = edition if isinstance(edition, int) else edition.pk
    return _recompute(Q(round__edition_id=edition_id))


def _recompute(entries_filter: Q) -> int:
    entries = list(RoundEntry.objects.filter(entries_filter).select_related("round__edition"))
    if not entries:
        return 0
    rounds = {entry.round_id: entry.round for entry in entries}
    _apply(entries, rounds.values())
    RoundEntry.objects.bulk_update(entries, UPDATED_FIELDS, batch_size=500)
    return len(entries)


def on_elimination_rule_changed(sender, edition: Edition, **kwargs) -> None:
    """Receiver of contests.signals.elimination_rule_changed (connected in jury/apps.py): the
    stored eliminations of the edition's rounds follow its new rule."""
    recompute_edition(edition)
