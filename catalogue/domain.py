"""What the public may see of the palmarès, and how it is grouped for reading."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from awards.models import Award, AwardOrganisation
from contests.models import Edition, Level, Phase, Theme

# The contest the home page presents (seeded by the contests app).
# The contest whose palmarès the public pages show by default (/palmares/<year>/, map, figures);
# another contest's year page is /palmares/<year>/?concours=<slug>. Configuration, not code.
LABEL_CONTEST_SLUG = settings.PUBLIC_PALMARES_CONTEST


@dataclass(frozen=True)
class LevelGroup:
    level: Level | None
    awards: list[Award]


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme | None
    levels: list[LevelGroup]


@dataclass(frozen=True)
class Palmares:
    """An edition's awards, grouped by theme, then by level (or before argent before bronze)."""

    edition: Edition
    themes: list[ThemeGroup]

    @property
    def has_themes(self) -> bool:
        return any(group.theme is not None for group in self.themes)

    @property
    def level_heading(self) -> int:
        """Heading rank of a level (h3 or h4): headings must not skip a rank under the h2."""
        return 4 if self.has_themes else 3

    @property
    def awards_count(self) -> int:
        return sum(len(level.awards) for group in self.themes for level in group.levels)


def public_editions(now: datetime | None = None) -> QuerySet[Edition]:
    """Editions whose results anyone may see.

    Historical editions were published before the platform existed. Any other edition is public
    only while its current phase (the latest one that has started) says results are public: an
    edition under embargo keeps its awards hidden even though they exist.
    """
    now = now or timezone.now()
    current_phase = Phase.objects.filter(edition=OuterRef("pk"), starts_at__lte=now).order_by(
        "-starts_at"
    )
    return Edition.objects.annotate(
        current_results_public=Subquery(current_phase.values("results_public")[:1])
    ).filter(Q(is_historical=True) | Q(current_results_public=True))


def latest_public_palmares(
    contest_slug: str = LABEL_CONTEST_SLUG, now: datetime | None = None
) -> Palmares | None:
    """The most recent public edition of a contest that has awards, with its awards grouped.

    Three queries whatever the number of awards: the edition, its awards (with level and theme),
    and their organisations.
    """
    edition = (
        public_editions(now)
        .filter(contest__slug=contest_slug)
        .filter(Exists(Award.objects.filter(edition=OuterRef("pk"))))
        .select_related("contest", "forum")
        .order_by("-year")
        .first()
    )
    if edition is None:
        return None
    awards = (
        Award.objects.filter(edition=edition)
        .select_related("level", "theme")
        .prefetch_related(
            Prefetch(
                "award_organisations",
                queryset=AwardOrganisation.objects.select_related("organisation").order_by(
                    "position", "pk"
                ),
            )
        )
    )
    return Palmares(edition=edition, themes=group_awards(awards))


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


def public_awards(now: datetime | None = None) -> QuerySet[Award]:
    """Awards anyone may see: those of public editions. An embargoed edition's awards exist but
    stay hidden, so every public page, badge and form looks awards up through this queryset."""
    return Award.objects.filter(edition__in=public_editions(now))
