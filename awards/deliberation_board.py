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

Loading costs a fixed number of queries (`awards.board_data.load_board_data`), whatever the
number of dossiers; the board and a what-if on the same data cost none more.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import numpy as np

from contests.models import Level, Theme
from jury.enums import JurorState
from jury.models import Juror

from . import aggregation
from .board_data import BoardData, BoardDossier, BoardEntry, load_board_data
from .enums import ScoreMethod
from .models import Decision, Deliberation
from .rules import ConflictScreen, conflict_screen

THOUSANDTH = Decimal("0.001")
CONFIDENCE = 0.9
RESAMPLES = 1000
SEED = 0


@dataclass(frozen=True)
class Measure:
    """A score with its interval (None: no evaluation)."""

    score: Decimal | None
    lower: Decimal | None
    upper: Decimal | None


@dataclass
class BoardRow:
    """A dossier's row. Its scores, intervals and spreads are read from the round's computation
    when shown: the board ranks 2,000 dossiers at a large edition and shows a page of them, so
    the ~17,000 decimals of the rows never shown are never made."""

    entry: BoardEntry
    index: int  # the dossier's index in the computation
    computation: "_Computation" = field(repr=False)
    jurors: int  # evaluations counted
    flagged: bool
    proposed_level: Level | None
    decision: Decision | None
    rank: int = 0  # within the theme, 1 = best; equal scores share a rank
    what_if_level: Level | None = None
    changes: bool = False  # the what-if proposes another level
    normalised_used: bool = False  # the proposal used the normalised score
    # `score` as the float the proposal compared (NaN: no score), to rank without making the
    # decimal: equal shown scores are equal floats, and they order alike.
    used: float = math.nan
    beyond_rules: list = field(default_factory=list)  # awards.level_rules.Breach, by mark_board

    @cached_property
    def raw(self) -> "Measure":
        return _measure(self.computation.raw, self.computation.raw_bounds, self.index)

    @cached_property
    def normalised(self) -> "Measure":
        bounds = self.computation.normalised_bounds
        return _measure(self.computation.normalised, bounds, self.index)

    @property
    def deviation(self) -> Decimal | None:
        return _decimal(self.computation.deviation[self.index])

    @property
    def spread(self) -> Decimal | None:
        return _decimal(self.computation.spread[self.index])

    @property
    def application(self) -> BoardDossier:
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
    totals = data.totals
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
    # Plain lists: reading 2,000 numpy scalars one by one costs more than converting once.
    counts, flags = computation.counts.tolist(), computation.flags.tolist()
    levels, used = computation.levels.tolist(), computation.used.tolist()
    for index, entry in enumerate(data.entries):
        if screen.hides(entry.application_id):
            continue
        theme = entry.application.theme
        group = groups.setdefault(entry.application.theme_id, ThemeGroup(theme))
        # A veiled row never holds a level: the template cannot show what the row does not have.
        group.rows.append(
            BoardRow(
                entry=entry,
                index=index,
                computation=computation,
                jurors=counts[index],
                flagged=flags[index],
                proposed_level=None if group.veiled else _level(data, levels[index]),
                decision=None if group.veiled else data.decisions.get(entry.application_id),
                normalised_used=normalised,
                used=used[index],
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
    rows.sort(key=lambda r: (math.isnan(r.used), 0 if math.isnan(r.used) else -r.used, r.reference))
    previous = None
    for position, row in enumerate(rows, start=1):
        if math.isnan(row.used) or row.used != previous:
            row.rank = position
            previous = row.used
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
