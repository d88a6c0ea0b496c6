"""The public palmarès as the home and edition pages read it.

What the public may see is contests' embargo rule (`Edition.objects.public`, and
`Award.objects.public` from it); how awards are grouped for reading is awards'
(`awards.grouping.group_awards`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from awards.grouping import ThemeGroup, group_awards
from awards.models import Award, AwardOrganisation
from contests.models import Contest, Edition
from contests.presentation import (
    awarded_by,
    contest_query,
    default_contest_slug,
    requested_contest_slug,
)

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


@dataclass(frozen=True)
class ChosenContest:
    """The contest a public page shows (`?concours=<slug>`, else the site's), and the query
    that keeps its links on it."""

    slug: str
    contest: Contest | None  # None only if the default contest does not exist (empty site)

    @property
    def name(self) -> str:
        return self.contest.name if self.contest else ""

    @property
    def awarded_by(self) -> str:
        return awarded_by(self.contest) if self.contest else ""

    @property
    def query(self) -> str:
        """« ?concours=<slug> », or "" for the default contest."""
        return contest_query(self.slug)

    @property
    def and_query(self) -> str:
        """« &concours=<slug> » to append to a query, or ""."""
        return contest_query(self.slug, prefix="&")

    @property
    def is_default(self) -> bool:
        return self.slug == default_contest_slug()


def chosen_contest(request: HttpRequest) -> ChosenContest:
    """The contest the request's `?concours=` names; an unknown one is « not found »."""
    slug = requested_contest_slug(request.GET)
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None and slug != default_contest_slug():
        raise Http404(_("Aucun concours ne porte cet identifiant."))
    return ChosenContest(slug, contest)


def public_contests(now: datetime | None = None) -> list[Contest]:
    """Every contest, with its public editions' count, laureates' count and latest year
    (annotated), those with public laureates first (one query)."""
    public = Edition.objects.public(now).values("pk")
    contests = Contest.objects.annotate(
        public_editions=Count("editions", filter=Q(editions__in=public), distinct=True),
        public_awards=Count("editions__awards", filter=Q(editions__in=public), distinct=True),
        latest_year=Max("editions__year", filter=Q(editions__in=public)),
    )
    return sorted(contests, key=lambda contest: (not contest.public_awards, contest.name))
