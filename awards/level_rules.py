"""The edition's level rules at the deliberation: stated, and checked against the decisions.

The proposals follow the rules (`aggregation.propose_levels`); the jury may decide otherwise, with
a reason whenever it departs from the proposal. A decision beyond the rules is never refused —
the president may still decide it — but it is said: on the board, on the decision and
validation pages, and in the decision's log entry (`beyond_rules`). What goes beyond:

- `eliminated`: a level for a dossier eliminated in the round (the rules give it none);
- `below_minimum`: a level whose minimum score the dossier's score does not reach (or a dossier
  without a score at all);
- `above_maximum`: more dossiers of a theme at a level than its maximum per theme; the ones
  beyond the maximum, by decreasing score then reference, are those said to go beyond.

Only the decisions passed are counted: pages pass those the viewer may see, so a juror in
conflict never learns from a warning that a dossier hidden from them holds a level.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from contests.levels import rule_statement, score_text
from contests.models import Level
from jury.models import RoundEntry

from .models import Decision, Deliberation

ELIMINATED, BELOW_MINIMUM, ABOVE_MAXIMUM = "eliminated", "below_minimum", "above_maximum"


@dataclass(frozen=True)
class DecidedLevel:
    """One decision as the checks read it."""

    application_id: int
    reference: str
    theme_id: int | None
    theme: str
    score: Decimal | None
    eliminated: bool
    level: Level | None


@dataclass(frozen=True)
class Breach:
    kind: str  # ELIMINATED, BELOW_MINIMUM or ABOVE_MAXIMUM
    message: str  # French, about the dossier


def statements(levels: Iterable[Level]) -> list[str]:
    """« Or : note ≥ 4, au plus 1 par thème », one per level, best first."""
    return [rule_statement(level) for level in sorted(levels, key=lambda level: level.rank)]


def unruled_best_level(levels: Iterable[Level]) -> Level | None:
    """The best level when it has neither a minimum nor a maximum: the proposals then give it to
    every dossier not eliminated, which the board must say."""
    best = min(levels, key=lambda level: level.rank, default=None)
    if best is not None and best.min_score is None and best.max_per_theme is None:
        return best
    return None


def _shown_score(score: Decimal) -> str:
    return number_format(score, 3)  # as the board shows it (floatformat:3)


def _own_breaches(decided: DecidedLevel) -> list[Breach]:
    level = decided.level
    if decided.eliminated:
        return [
            Breach(
                ELIMINATED,
                gettext("« %(level)s » décidé pour un dossier éliminé : la règle n'en donne aucun.")
                % {"level": level.name},
            )
        ]
    if level.min_score is None or (decided.score is not None and decided.score >= level.min_score):
        return []
    values = {"level": level.name, "minimum": score_text(level.min_score)}
    if decided.score is None:
        message = gettext(
            "« %(level)s » demande une note d'au moins %(minimum)s ; ce dossier n'a pas de note."
        )
    else:
        message = gettext(
            "« %(level)s » demande une note d'au moins %(minimum)s ; ce dossier a %(score)s."
        )
        values["score"] = _shown_score(decided.score)
    return [Breach(BELOW_MINIMUM, message % values)]


def breaches(decisions: Iterable[DecidedLevel]) -> dict[int, list[Breach]]:
    """Application id → what its decided level goes beyond (only dossiers with some)."""
    found: dict[int, list[Breach]] = defaultdict(list)
    by_theme_and_level: dict[tuple[int | None, int], list[DecidedLevel]] = defaultdict(list)
    for decided in decisions:
        if decided.level is None:
            continue
        found[decided.application_id] += _own_breaches(decided)
        by_theme_and_level[(decided.theme_id, decided.level.pk)].append(decided)
    for group in by_theme_and_level.values():
        maximum = group[0].level.max_per_theme
        if maximum is None or len(group) <= maximum:
            continue
        group.sort(key=lambda d: (d.score is None, -(d.score or 0), d.reference))
        message = gettext(
            "%(count)s dossiers du thème « %(theme)s » ont « %(level)s » : la règle en permet "
            "au plus %(maximum)s."
        ) % {
            "count": len(group),
            "theme": group[0].theme or gettext("Sans thème"),
            "level": group[0].level.name,
            "maximum": maximum,
        }
        for decided in group[maximum:]:
            found[decided.application_id].append(Breach(ABOVE_MAXIMUM, message))
    return {key: value for key, value in found.items() if value}


def decided_levels(
    deliberation: Deliberation, *, hidden: Iterable[int] = frozenset()
) -> list[DecidedLevel]:
    """The deliberation's decisions, without the dossiers in `hidden` (two queries)."""
    hidden = set(hidden)
    eliminated = set(
        RoundEntry.objects.filter(round_id=deliberation.round_id)
        .eliminated()
        .order_by()
        .values_list("application_id", flat=True)
    )
    # Tuples, not 2,000 decisions with their dossier, theme and level as model instances (most
    # of the time of the president's validation page at a large edition): one Level per level.
    level_fields = [field.attname for field in Level._meta.concrete_fields]
    rows = (
        Decision.objects.filter(deliberation=deliberation)
        .exclude(application_id__in=hidden)
        .order_by("application__reference")
        .values_list(
            "application_id",
            "application__reference",
            "application__theme_id",
            "application__theme__name",
            "score",
            *(f"level__{name}" for name in level_fields),
        )
    )
    levels: dict[int, Level] = {}
    decided = []
    for application_id, reference, theme_id, theme, score, *level in rows:
        if level[0] is not None and level[0] not in levels:
            levels[level[0]] = Level(**dict(zip(level_fields, level, strict=True)))
        decided.append(
            DecidedLevel(
                application_id,
                reference,
                theme_id,
                theme or "",
                score,
                application_id in eliminated,
                levels.get(level[0]),
            )
        )
    return decided


def mark_board(board) -> list[tuple[str, list[Breach]]]:
    """Give each row of the board (`deliberation_board.Board`, already without the viewer's
    hidden dossiers) what its decision goes beyond; returns (reference, breaches) for each
    such row in the board's order, for the summary above it."""
    rows = [row for row in board.rows if row.decision is not None]
    found = breaches(
        DecidedLevel(
            row.entry.application_id,
            row.reference,
            row.application.theme_id,
            row.application.theme.name if row.application.theme else "",
            row.decision.score,
            row.eliminated,
            row.decision.level,
        )
        for row in rows
    )
    summary = []
    for row in rows:
        row.beyond_rules = found.get(row.entry.application_id, [])
        if row.beyond_rules:
            summary.append((row.reference, row.beyond_rules))
    return summary
