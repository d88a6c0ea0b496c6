"""What the deliberation board is computed from, loaded in a fixed number of queries.

`load_board_data` reads the deliberated round's dossiers, jurors, criteria, levels, staged
decisions and submitted scores (rules: awards.deliberation_board's docstring). The dossiers come
as plain records (`BoardEntry`, `BoardDossier`, `BoardDecision`), not model instances: the board
ranks every dossier of the round, 2,000 at a large edition, and building four model instances for
each (entry, dossier, theme, decision) took most of the time of the board and of opening the
deliberation.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, FloatField, Max, Q, Sum, Value, When
from django.db.models.functions import Cast

from applications.enums import ApplicationState
from contests.models import Criterion, Level, Theme
from jury.domain.evaluations import round_criteria
from jury.enums import EvaluationState
from jury.models import Conflict, CriterionScore, Evaluation, Juror, RoundEntry

from . import aggregation
from .models import Decision, Deliberation

THOUSANDTH = Decimal("0.001")  # a decision's score has three decimals


@dataclass(frozen=True, slots=True)
class BoardDossier:
    """Of a dossier, what the board shows and groups by."""

    pk: int
    reference: str
    title: str
    state: str
    theme_id: int | None
    theme: Theme | None

    @property
    def id(self) -> int:
        return self.pk


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """A dossier of the deliberated round, with its elimination as jury.scoring stored it."""

    application_id: int
    application: BoardDossier
    elimination: list

    @property
    def eliminated(self) -> bool:
        return bool(self.elimination)


@dataclass(slots=True)
class BoardDecision:
    """Of a staged decision, what the board shows and checks against the levels' rules."""

    pk: int
    application_id: int
    score: Decimal | None
    proposed_level_id: int | None
    level_id: int | None
    reason: str
    proposed_level: Level | None
    level: Level | None
    distinction_list: list = field(default_factory=list)  # attach_distinctions fills it


@dataclass
class BoardData:
    """Everything the board needs, loaded once (`load_board_data`)."""

    deliberation: Deliberation
    criteria: list[Criterion]
    entries: list[BoardEntry]  # ordered by reference; index = dossier index
    jurors: list[Juror]  # every juror of the round; index = juror index
    levels: list[Level]  # best first
    decisions: dict[int, BoardDecision]  # application id → its staged decision
    totals: aggregation.Totals  # each juror's total for each dossier, conflicts left out


def _raw_rows(queryset) -> list[tuple]:
    """The queryset's rows as the database driver gives them, without Django's converters and
    its row-by-row iteration: for the board's thousands of rows of plain numbers and text."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can pass (a round without criteria)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _elimination(value: object) -> list:
    # JSON text on SQLite; an empty list, the common case, is not worth parsing.
    if isinstance(value, str):
        return [] if value == "[]" else json.loads(value)
    return value or []


def _score(value: object) -> Decimal | None:
    # A decision's score as its DecimalField gives it: PostgreSQL's driver gives a Decimal
    # already, SQLite a number (what Django's converter does, for 2,000 rows at less cost).
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value))).quantize(THOUSANDTH)


def _entries(round_) -> list[BoardEntry]:
    rows = _raw_rows(
        RoundEntry.objects.filter(round=round_)
        .exclude(application__state__in=ApplicationState.dropped_out())
        .order_by("application__reference")
        .values_list(
            "application_id",
            "application__reference",
            "application__title",
            "application__state",
            "application__theme_id",
            "elimination",
        )
    )
    themes = Theme.objects.filter(pk__in={row[4] for row in rows if row[4] is not None})
    themes = {theme.pk: theme for theme in themes}
    return [
        BoardEntry(
            application_id,
            BoardDossier(application_id, reference, title, state, theme_id, themes.get(theme_id)),
            _elimination(elimination),
        )
        for application_id, reference, title, state, theme_id, elimination in rows
    ]


def load_board_data(deliberation: Deliberation) -> BoardData:
    """Load the round's dossiers, jurors, criteria, levels, decisions and submitted scores."""
    round_ = deliberation.round
    criteria = round_criteria(round_)
    entries = _entries(round_)
    jurors = list(Juror.objects.filter(round=round_).order_by("full_name", "pk"))
    levels = list(Level.objects.filter(edition_id=deliberation.edition_id).order_by("rank"))
    by_id = {level.pk: level for level in levels}
    # The levels are already loaded: no query per decision for its two levels.
    staged = Decision.objects.filter(deliberation=deliberation).order_by()
    decisions = {
        application: BoardDecision(
            pk,
            application,
            _score(score),
            proposed,
            level,
            reason,
            by_id.get(proposed),
            by_id.get(level),
        )
        for pk, application, score, proposed, level, reason in _raw_rows(
            staged.values_list(
                "pk", "application_id", "score", "proposed_level_id", "level_id", "reason"
            )
        )
    }
    attach_distinctions(decisions.values(), deliberation)
    conflicted = Conflict.objects.effective().juror_pairs(round=round_)
    totals = _totals(round_, criteria, entries, jurors, conflicted)
    return BoardData(deliberation, criteria, entries, jurors, levels, decisions, totals)


def _totals(round_, criteria, entries, jurors, conflicted) -> aggregation.Totals:
    """Each juror's weighted mean over the criteria they scored, for each dossier of the board,
    without a juror's scores on a dossier they are in conflict with."""
    ids, sums = evaluation_sums(round_, criteria)
    dossier, juror, kept = _indexed(
        ids, [entry.application_id for entry in entries], [juror.pk for juror in jurors], conflicted
    )
    return aggregation.totals_from_sums(
        dossier[kept], juror[kept], sums[kept, 0], sums[kept, 1], len(entries), len(jurors)
    )


# A worker's last sums, by round: (stamp, ids, sums). Summing 30,000 scores is most of the
# board's database time; the sums change only when the round's submitted evaluations or its
# criteria do, which the stamp tells (one cheap query), so the board re-reads them only then.
_kept_sums: dict[int, tuple[tuple, np.ndarray, np.ndarray]] = {}
KEPT_ROUNDS = 8


def _stamp(round_, criteria) -> tuple:
    """What the sums depend on. A submitted evaluation is closed: its scores never change
    (jury.domain.evaluations refuses), so the round's sums change only when an evaluation is
    submitted (a later `submitted_at`, one more), deleted (one fewer, another sum of ids), or
    when a criterion's weight or the round's criteria change."""
    submitted = Evaluation.objects.filter(
        state=EvaluationState.SUBMITTED, assignment__juror__round=round_
    ).aggregate(count=Count("pk"), ids=Sum("pk"), latest=Max("submitted_at"))
    weights = tuple((criterion.pk, str(criterion.weight)) for criterion in criteria)
    return (submitted["count"], submitted["ids"], submitted["latest"], weights)


def evaluation_sums(round_, criteria) -> tuple[np.ndarray, np.ndarray]:
    """Of each submitted evaluation of the round: (dossier id, juror id), and (Σ weight ×
    value, Σ weight) over the criteria the juror scored. Kept per worker while its stamp
    holds (`_stamp`)."""
    stamp = _stamp(round_, criteria)
    kept = _kept_sums.get(round_.pk)
    if kept is not None and kept[0] == stamp:
        return kept[1], kept[2]
    ids, sums = _summed(round_, criteria)
    if len(_kept_sums) >= KEPT_ROUNDS:  # the oldest goes (None: a thread of runserver was first)
        _kept_sums.pop(next(iter(_kept_sums), None), None)
    _kept_sums[round_.pk] = (stamp, ids, sums)
    return ids, sums


def forget_kept_sums() -> None:
    """Drop every worker-kept sum (tests: a rolled-back round may come back with the same ids,
    and the same times under a frozen clock)."""
    _kept_sums.clear()


def _summed(round_, criteria) -> tuple[np.ndarray, np.ndarray]:
    """The database sums each submitted evaluation (weights as floats, as numpy would): 5,000
    rows at a large edition, rather than the 30,000 scores."""
    weight = Cast("criterion__weight", FloatField())
    # A criterion left blank is not counted; « insuffisant » counts as 0.
    value = Case(
        When(insufficient=True, then=Value(0.0)),
        default=Cast("score", FloatField()),
        output_field=FloatField(),
    )
    per_evaluation = (
        CriterionScore.objects.filter(
            evaluation__state=EvaluationState.SUBMITTED,
            evaluation__assignment__juror__round=round_,
            criterion_id__in=[criterion.pk for criterion in criteria],
        )
        .filter(Q(insufficient=True) | Q(score__isnull=False))
        .order_by()
        .values("evaluation_id")
        .annotate(weighted=Sum(weight * value), weight_sum=Sum(weight))
        .values_list(
            "evaluation__assignment__application_id",
            "evaluation__assignment__juror_id",
            "weighted",
            "weight_sum",
        )
    )
    rows = _raw_rows(per_evaluation)
    ids = np.array([row[:2] for row in rows], dtype=np.int64).reshape(-1, 2)
    sums = np.array([row[2:] for row in rows], dtype=float).reshape(-1, 2)
    ids.flags.writeable = sums.flags.writeable = False  # kept and shared: read only
    return ids, sums


def attach_distinctions(decisions, deliberation: Deliberation) -> None:
    """Each decision's distinctions as `distinction_list`, in the edition's order (one query
    for every decision of the deliberation)."""
    by_pk = {decision.pk: decision for decision in decisions}
    for decision in by_pk.values():
        decision.distinction_list = []
    links = (
        Decision.distinctions.through.objects.filter(decision__deliberation=deliberation)
        .select_related("distinction")
        .order_by("distinction__position", "distinction__name")
    )
    for link in links:
        if link.decision_id in by_pk:
            by_pk[link.decision_id].distinction_list.append(link.distinction)


def _positions(ids: np.ndarray, known: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Each id's index in `known`, and whether it is there at all."""
    keys = np.array(known, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    found = np.searchsorted(keys, ids, sorter=order)
    found = np.minimum(found, max(len(keys) - 1, 0))
    positions = order[found] if len(keys) else np.zeros_like(ids)
    present = keys[positions] == ids if len(keys) else np.zeros(len(ids), dtype=bool)
    return positions, present


def _indexed(
    ids: np.ndarray, dossiers: list[int], jurors: list[int], conflicted: set[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dossier id, juror id) rows as indexes into the two lists, and which rows count: not
    those of a dossier not on the board, nor of a juror in conflict with the dossier."""
    dossier, kept = _positions(ids[:, 0], dossiers)
    juror, _known = _positions(ids[:, 1], jurors)
    if conflicted:
        pairs = np.array(sorted(conflicted), dtype=np.int64)
        # A pair as one number: juror id × (the largest dossier id + 1) + dossier id.
        base = int(max(ids[:, 0].max(initial=0), pairs[:, 1].max())) + 1
        kept = kept & ~np.isin(ids[:, 1] * base + ids[:, 0], pairs[:, 0] * base + pairs[:, 1])
    return dossier, juror, kept
