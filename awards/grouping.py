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
    # Awards of a distinction alone (no level, decided so), apart from those whose level the
    # source did not publish.
    distinction_only: bool = False


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme | None
    levels: list[LevelGroup]


def group_awards(awards: "QuerySet[Award] | list[Award]") -> list[ThemeGroup]:
    """Group awards by theme (edition order; no theme last), then by level rank, then the
    awards of a distinction alone, then those of an unknown level. Pass awards with their
    `distinctions` prefetched (read for the awards without a level).

    Within a level, awards keep the order they were recorded in, which for imported palmarès is
    the order of the published list.
    """

    def theme_key(award: Award) -> tuple:
        theme = award.theme
        return (theme is None, theme.position if theme else 0, theme.name if theme else "")

    def alone(award: Award) -> bool:
        return award.level is None and bool(award.distinctions.all())

    def level_key(award: Award) -> tuple:
        return (award.level is None, not alone(award), award.level.rank if award.level else 0)

    ordered = sorted(awards, key=lambda award: (*theme_key(award), *level_key(award), award.pk))
    groups: list[ThemeGroup] = []
    for award in ordered:
        if not groups or groups[-1].theme != award.theme:
            groups.append(ThemeGroup(theme=award.theme, levels=[]))
        levels = groups[-1].levels
        only = alone(award)
        if not levels or (levels[-1].level, levels[-1].distinction_only) != (award.level, only):
            levels.append(LevelGroup(level=award.level, awards=[], distinction_only=only))
        levels[-1].awards.append(award)
    return groups
