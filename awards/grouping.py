"""An edition's awards as they are read: by theme, then by level.

The public palmarès (catalogue), the press release and the organisers' publication page all list
awards this way.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from contests.models import Level, Theme

from .models import Award


@dataclass(frozen=True)
class LevelGroup:
    level: Level | None
    awards: list[Award]


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme | None
    levels: list[LevelGroup]


def group_awards(awards: "QuerySet[Award] | list[Award]") -> list[ThemeGroup]:
    """Group awards by theme (edition order; no theme last), then by level rank (unknown last).

    Within a level, awards keep the order they were recorded in, which for imported palmarès is
    the order of the published list.
    """

    def theme_key(award: Award) -> tuple:
        theme = award.theme
        return (theme is None, theme.position if theme else 0, theme.name if theme else "")

    def level_key(award: Award) -> tuple:
        return (award.level is None, award.level.rank if award.level else 0)

    ordered = sorted(awards, key=lambda award: (*theme_key(award), *level_key(award), award.pk))
    groups: list[ThemeGroup] = []
    for award in ordered:
        if not groups or groups[-1].theme != award.theme:
            groups.append(ThemeGroup(theme=award.theme, levels=[]))
        levels = groups[-1].levels
        if not levels or levels[-1].level != award.level:
            levels.append(LevelGroup(level=award.level, awards=[]))
        levels[-1].awards.append(award)
    return groups
