"""The public palmarès as the home and edition pages read it.

What the public may see is contests' embargo rule (`Edition.objects.public`, and
`Award.objects.public` from it); how awards are grouped for reading is awards'
(`awards.grouping.group_awards`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch

from awards.grouping import ThemeGroup, group_awards
from awards.models import Award, AwardOrganisation
from contests.models import Edition

# The contest the home page presents (seeded by the contests app).
# The contest whose palmarès the public pages show by default (/palmares/<year>/, map, figures);
# another contest's year page is /palmares/<year>/?concours=<slug>. Configuration, not code.
LABEL_CONTEST_SLUG = settings.PUBLIC_PALMARES_CONTEST


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


def latest_public_palmares(
    contest_slug: str = LABEL_CONTEST_SLUG, now: datetime | None = None
) -> Palmares | None:
    """The most recent public edition of a contest that has awards, with its awards grouped.

    Three queries whatever the number of awards: the edition, its awards (with level and theme),
    and their organisations.
    """
    edition = (
        Edition.objects.public(now)
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
