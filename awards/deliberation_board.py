"""The deliberation board: a round's submitted evaluations turned into scores and proposed levels.

What it computes, for each dossier of the deliberated round (withdrawn and ineligible dossiers
left out), with `awards.aggregation`:

- the evaluations counted are those `jury/scoring.py` counts: SUBMITTED evaluations of the
  round's jurors, on the round's criteria (`jury.domain.evaluations.round_criteria`), without
  those of a juror now in conflict with the dossier; « insuffisant » counts as 0; each juror's
  total is their weighted mean over the criteria (Criterion.weight);
- raw score: the mean or the median (the deliberation's method) of the jurors' totals;
- normalised score: the same statistic after each juror's severity is corrected
  (`aggregation.normalise_severity`, fitted over the whole round);
- an interval for each (90 % percentile bootstrap over the dossier's jurors, seed 0, so the
  same evaluations always give the same interval);
- the disagreement of the jurors' raw totals (standard deviation, max − min, flagged above the
  deliberation's threshold);
- elimination and its reasons as stored on the round entry by jury.scoring;
- the proposed level: `aggregation.propose_levels` with the edition's levels (rank 1 first,
  `Level.min_score`, `Level.max_per_theme`) on the score the deliberation uses (normalised or
  raw), rounded half up to the 3 decimals shown, so that equal shown scores are ties.

Levels are proposed over every dossier, then the viewer's `awards.rules.ConflictScreen` applies
(the policy is written there): the dossiers they are in conflict with appear in no row, group or
count, but still take their place in a theme's quota, as they will in the palmarès; the themes
holding them are veiled — listed, even empty, with their dossiers and scores in reference order,
without rank, proposed or decided level, or what-if.

Loading costs a fixed number of queries (`load_board_data`), whatever the number of dossiers;
the board and a what-if on the same data cost none more.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from applications.enums import ApplicationState
from applications.models import Application
from contests.models import Criterion, Level, Theme
from jury.domain.evaluations import round_criteria
from jury.enums import EvaluationState, JurorState
from jury.models import Conflict, CriterionScore, Juror, RoundEntry

from . import aggregation
from .enums import ScoreMethod
from .models import Decision, Deliberation
from .rules import ConflictScreen, conflict_screen

THOUSANDTH = Decimal("0.001")
ENTRY_FIELDS = (
    *(field.name for field in RoundEntry._meta.concrete_fields),
    *(f"application__{name}" for name in ("reference", "title", "state", "theme")),
)
CONFIDENCE = 0.9
RESAMPLES = 1000
SEED = 0


@dataclass
class BoardData:
    """Everything the board needs, loaded once (`load_board_data`)."""

    deliberation: Deliberation
    criteria: list[Criterion]
    entries: list[RoundEntry]  # ordered by reference; index = dossier index
    jurors: list[Juror]  # every juror of the round; index = juror index
    levels: list[Level]  # best first
    decisions: dict[int, Decision]  # application id → its staged decision
    scores: aggregation.Scores


@dataclass(frozen=True)
class Measure:
    """A score with its interval (None: no evaluation)."""

    score: Decimal | None
    lower: Decimal | None
    upper: Decimal | None


@dataclass
class BoardRow:
    entry: RoundEntry
    jurors: int  # evaluations counted
    raw: Measure
    normalised: Measure
    deviation: Decimal | None
    spread: Decimal | None
    flagged: bool
    proposed_level: Level | None
    decision: Decision | None
    rank: int = 0  # within the theme, 1 = best; equal scores share a rank
    what_if_level: Level | None = None
    changes: bool = False  # the what-if proposes another level
    normalised_used: bool = False  # the proposal used the normalised score
    beyond_rules: list = field(default_factory=list)  # awards.level_rules.Breach, by mark_board

    @property
    def application(self) -> Application:
        return self.entry.application

    @property
    def reference(self) -> str:
        return self.entry.application.reference

    @property
    def eliminated(self) -> bool:
        return self.entry.eliminated

    @property
    def elimination(self) -> list[dict[str, object]]:
        return self.entry.elimination

    @property
    def score(self) -> Decimal | None:
        """The score the proposal used."""
        return self.normalised.score if self.normalised_used else self.raw.score


@dataclass
class ThemeGroup:
    theme: Theme | None
    rows: list[BoardRow] = field(default_factory=list)
    # The viewer is in conflict with a dossier of this theme: no rank and no level (awards.rules).
    veiled: bool = False


@dataclass
class Board:
    deliberation: Deliberation
    method: str
    normalised: bool
    left_out: Juror | None
    groups: list[ThemeGroup]
    jurors: list[Juror]  # the round's accepted jurors, for the leave-one-out choice
    levels: list[Level]

    @property
    def rows(self) -> list[BoardRow]:
        return [row for group in self.groups for row in group.rows]


@dataclass(frozen=True)
class LevelChange:
    """A dossier the what-if would move: its level now and under the what-if settings."""

    reference: str
    title: str
    current: Level | None
    what_if: Level | None


def _decimal(value: float) -> Decimal | None:
    if np.isnan(value):
        return None
    return Decimal(repr(float(value))).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def load_board_data(deliberation: Deliberation) -> BoardData:
    """Load the round's dossiers, jurors, criteria, levels, decisions and submitted scores."""
    round_ = deliberation.round
    criteria = round_criteria(round_)
    entries = list(
        RoundEntry.objects.filter(round=round_)
        .exclude(application__state__in=ApplicationState.dropped_out())
        .select_related("application__theme")
        # Of a dossier, what the board shows: loading its thirty other fields (long texts,
        # dates) and its lead took most of the time of opening a deliberation of 2,000 dossiers.
        .only(*ENTRY_FIELDS)
        .order_by("application__reference")
    )
    jurors = list(Juror.objects.filter(round=round_).order_by("full_name", "pk"))
    levels = list(Level.objects.filter(edition_id=deliberation.edition_id).order_by("rank"))
    by_id = {level.pk: level for level in levels}
    decisions = {}
    for decision in Decision.objects.filter(deliberation=deliberation):
        # The levels are already loaded: no query per decision for its two levels.
        decision.level = by_id.get(decision.level_id)
        decision.proposed_level = by_id.get(decision.proposed_level_id)
        decision.distinction_list = []
        decisions[decision.application_id] = decision
    attach_distinctions(decisions.values(), deliberation)
    conflicted = Conflict.objects.effective().juror_pairs(round=round_)
    dossier_index = {entry.application_id: index for index, entry in enumerate(entries)}
    juror_index = {juror.pk: index for index, juror in enumerate(jurors)}
    criterion_index = {criterion.pk: index for index, criterion in enumerate(criteria)}
    rows = CriterionScore.objects.filter(
        evaluation__state=EvaluationState.SUBMITTED,
        evaluation__assignment__juror__round=round_,
        criterion_id__in=criterion_index,
    ).values_list(
        "evaluation__assignment__application_id",
        "evaluation__assignment__juror_id",
        "criterion_id",
        "score",
        "insufficient",
    )
    triples = []
    for application_id, juror_id, criterion_id, score, insufficient in rows.order_by():
        if application_id not in dossier_index or (juror_id, application_id) in conflicted:
            continue
        if not insufficient and score is None:  # a criterion left blank: not counted
            continue
        value = 0 if insufficient else score
        triples.append(
            (
                dossier_index[application_id],
                juror_index[juror_id],
                criterion_index[criterion_id],
                value,
            )
        )
    array = np.array(triples, dtype=float).reshape(-1, 4)
    scores = aggregation.Scores(
        dossier=array[:, 0].astype(np.int64),
        juror=array[:, 1].astype(np.int64),
        criterion=array[:, 2].astype(np.int64),
        value=array[:, 3],
        weights=np.array([float(c.weight) for c in criteria], dtype=float),
        n_dossiers=len(entries),
        n_jurors=len(jurors),
    )
    return BoardData(deliberation, criteria, entries, jurors, levels, decisions, scores)


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


@dataclass
class _Computation:
    raw: np.ndarray
    raw_bounds: tuple[np.ndarray, np.ndarray]
    normalised: np.ndarray
    normalised_bounds: tuple[np.ndarray, np.ndarray]
    counts: np.ndarray
    deviation: np.ndarray
    spread: np.ndarray
    flags: np.ndarray
    used: np.ndarray  # the score the proposal used, rounded to 3 decimals
    levels: np.ndarray  # index into data.levels, -1 for none


def _statistic(method: str):
    return aggregation.median if method == ScoreMethod.MEDIAN else aggregation.weighted_mean


def _compute(data: BoardData, method: str, normalised: bool, left_out: Juror | None):
    totals = aggregation.juror_totals(data.scores)
    if left_out is not None:
        totals = aggregation.leave_one_out(totals, data.jurors.index(left_out))
    corrected = aggregation.normalise_severity(totals)
    statistic = _statistic(method)
    kind = "median" if method == ScoreMethod.MEDIAN else "mean"
    raw = statistic(totals)
    fixed = statistic(corrected)
    used = np.array(
        [np.nan if d is None else float(d) for d in map(_decimal, fixed if normalised else raw)]
    )
    themes = {}
    theme_index = np.array(
        [themes.setdefault(entry.application.theme_id, len(themes)) for entry in data.entries],
        dtype=np.int64,
    )
    eliminated = np.array([entry.eliminated for entry in data.entries], dtype=bool)
    rules = [
        aggregation.LevelRule(
            None if level.min_score is None else float(level.min_score), level.max_per_theme
        )
        for level in data.levels
    ]
    levels = (
        aggregation.propose_levels(used, theme_index, eliminated, rules)
        if rules
        else np.full(len(data.entries), -1)
    )
    bootstrap = {"statistic": kind, "resamples": RESAMPLES, "confidence": CONFIDENCE, "seed": SEED}
    threshold = float(data.deliberation.disagreement_threshold)
    return _Computation(
        raw=raw,
        raw_bounds=aggregation.bootstrap_interval(totals, **bootstrap),
        normalised=fixed,
        normalised_bounds=aggregation.bootstrap_interval(corrected, **bootstrap),
        counts=np.count_nonzero(~np.isnan(totals.values), axis=1),
        deviation=aggregation.standard_deviation(totals),
        spread=aggregation.score_range(totals),
        flags=aggregation.disagreement_flags(totals, threshold),
        used=used,
        levels=levels,
    )


def _level(data: BoardData, index: int) -> Level | None:
    return data.levels[index] if index >= 0 else None


def _measure(score: np.ndarray, bounds: tuple[np.ndarray, np.ndarray], index: int) -> Measure:
    return Measure(_decimal(score[index]), _decimal(bounds[0][index]), _decimal(bounds[1][index]))


def _settings(deliberation, method, normalised) -> tuple[str, bool]:
    method = method or deliberation.method
    return method, deliberation.normalised if normalised is None else normalised


def board(
    deliberation: Deliberation,
    *,
    method: str | None = None,
    normalised: bool | None = None,
    leave_out: Juror | None = None,
    user,
    data: BoardData | None = None,
) -> Board:
    """The board per theme, rows ranked by the score used (best first, unscored last).

    Settings default to the deliberation's; `user` (None: everything, for the domain) loses the
    rows of the dossiers they are in conflict with. Pass `data` to reuse a load.
    """
    data = data or load_board_data(deliberation)
    method, normalised = _settings(deliberation, method, normalised)
    computation = _compute(data, method, normalised, leave_out)
    screen = conflict_screen(user, deliberation.edition_id)
    groups = _veiled_groups(screen)
    for index, entry in enumerate(data.entries):
        if screen.hides(entry.application_id):
            continue
        theme = entry.application.theme
        group = groups.setdefault(entry.application.theme_id, ThemeGroup(theme))
        # A veiled row never holds a level: the template cannot show what the row does not have.
        group.rows.append(
            BoardRow(
                entry=entry,
                jurors=int(computation.counts[index]),
                raw=_measure(computation.raw, computation.raw_bounds, index),
                normalised=_measure(computation.normalised, computation.normalised_bounds, index),
                deviation=_decimal(computation.deviation[index]),
                spread=_decimal(computation.spread[index]),
                flagged=bool(computation.flags[index]),
                proposed_level=(
                    None if group.veiled else _level(data, int(computation.levels[index]))
                ),
                decision=None if group.veiled else data.decisions.get(entry.application_id),
                normalised_used=normalised,
            )
        )
    for group in groups.values():
        if group.veiled:
            group.rows.sort(key=lambda row: row.reference)
        else:
            _rank(group.rows)
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.theme is None, g.theme.position if g.theme else 0, str(g.theme or "")),
    )
    accepted = [juror for juror in data.jurors if juror.state == JurorState.ACCEPTED]
    return Board(deliberation, method, normalised, leave_out, ordered, accepted, data.levels)


def _veiled_groups(screen: ConflictScreen) -> dict[int | None, ThemeGroup]:
    """The veiled themes' groups, present even when none of their dossiers is in the round (one
    query, only for a viewer in conflict)."""
    themes = {
        theme.pk: theme
        for theme in Theme.objects.filter(pk__in=[pk for pk in screen.veiled_themes if pk])
    }
    return {
        theme_id: ThemeGroup(themes.get(theme_id), veiled=True)
        for theme_id in screen.veiled_themes
        if theme_id is None or theme_id in themes
    }


def _rank(rows: list[BoardRow]) -> None:
    """Sort by score (best first, unscored last, then reference); equal scores share a rank."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.reference))
    previous = None
    for position, row in enumerate(rows, start=1):
        if row.score is None or row.score != previous:
            row.rank = position
            previous = row.score
        else:
            row.rank = rows[position - 2].rank


def what_if(
    deliberation: Deliberation,
    *,
    method: str | None = None,
    normalised: bool | None = None,
    leave_out_juror: Juror | None = None,
    user=None,
    data: BoardData | None = None,
) -> list[LevelChange]:
    """Dossiers whose proposed level would change under other settings, in reference order.

    `current` is the level proposed with the deliberation's own settings; `user` loses the
    dossiers they are in conflict with and those of the themes they veil, as on the board.
    """
    data = data or load_board_data(deliberation)
    current = _compute(data, deliberation.method, deliberation.normalised, None)
    method, normalised = _settings(deliberation, method, normalised)
    other = _compute(data, method, normalised, leave_out_juror)
    screen = conflict_screen(user, deliberation.edition_id)
    return [
        LevelChange(
            entry.application.reference,
            entry.application.title,
            _level(data, int(current.levels[index])),
            _level(data, int(other.levels[index])),
        )
        for index, entry in enumerate(data.entries)
        if current.levels[index] != other.levels[index]
        and not screen.hides(entry.application_id)
        and not screen.veils(entry.application.theme_id)
    ]


def mark_changes(board_: Board, changes: list[LevelChange]) -> None:
    """Flag the board's rows that a what-if moves, with the level they would get."""
    moved = {change.reference: change for change in changes}
    for row in board_.rows:
        change = moved.get(row.reference)
        if change is not None:
            row.changes = True
            row.what_if_level = change.what_if


def proposals(data: BoardData) -> dict[int, tuple[Measure, Level | None]]:
    """application id → (score used with its interval, proposed level), for every dossier,
    with the deliberation's own settings."""
    deliberation = data.deliberation
    computation = _compute(data, deliberation.method, deliberation.normalised, None)
    score, bounds = (
        (computation.normalised, computation.normalised_bounds)
        if deliberation.normalised
        else (computation.raw, computation.raw_bounds)
    )
    return {
        entry.application_id: (
            _measure(score, bounds, index),
            _level(data, int(computation.levels[index])),
        )
        for index, entry in enumerate(data.entries)
    }
