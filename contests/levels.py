"""An edition's level rules in words, and the checks the Levels page runs on them.

A level's rules (`Level.min_score`, `Level.max_per_theme`) are what the deliberation applies when
it proposes levels (awards.aggregation.propose_levels); the organisers set them on the Levels
page and the deliberation board states them with `rule_statement`, so both say the same thing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

# The scale of every criterion (jury's CriterionScore checks 0 to 5): a score, and so a level's
# minimum, lies within it.
SCALE_MIN = Decimal(0)
SCALE_MAX = Decimal(5)


def score_text(value: Decimal) -> str:
    """A score or a minimum as people write it: « 4 », « 3,5 », « 3,25 » (no trailing zero)."""
    value = Decimal(value)
    places = max(-value.normalize().as_tuple().exponent, 0)
    return number_format(value, places)


def rule_statement(level) -> str:
    """« Or : note ≥ 4, au plus 1 par thème »; the parts left empty are said too."""
    if level.min_score is None:
        minimum = gettext("aucune note minimale")
    else:
        minimum = gettext("note ≥ %(score)s") % {"score": score_text(level.min_score)}
    if level.max_per_theme is None:
        maximum = gettext("sans limite par thème")
    else:
        maximum = gettext("au plus %(count)d par thème") % {"count": level.max_per_theme}
    return gettext("%(level)s : %(minimum)s, %(maximum)s") % {
        "level": level.name,
        "minimum": minimum,
        "maximum": maximum,
    }


@dataclass(frozen=True)
class RankedMinimum:
    """One level as the rank check reads it (a row of the Levels page, or a stored level)."""

    key: object  # whatever the caller needs to find the row again
    name: str
    rank: int
    min_score: Decimal | None


@dataclass(frozen=True)
class RankInversion:
    """A better-ranked level asking for a lower minimum than a level ranked below it."""

    better: RankedMinimum
    worse: RankedMinimum


def rank_inversions(levels: Iterable[RankedMinimum]) -> list[RankInversion]:
    """Each level whose minimum is below the highest minimum among the levels ranked below it.

    A level without a minimum asks for the bottom of the scale: ranked above a level that asks
    for more, it would let its dossiers through more easily than that lower level's.
    """
    ordered = sorted(levels, key=lambda level: level.rank)
    inversions = []
    for index, better in enumerate(ordered):
        below = [level for level in ordered[index + 1 :] if level.min_score is not None]
        if not below:
            continue
        strictest = max(below, key=lambda level: (level.min_score, -level.rank))
        if (better.min_score if better.min_score is not None else SCALE_MIN) < (
            strictest.min_score
        ):
            inversions.append(RankInversion(better, strictest))
    return inversions
