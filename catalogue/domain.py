"""The public palmarès as the home and edition pages read it.

What the public may see is contests' embargo rule (`Edition.objects.public`, and
`Award.objects.public` from it); how awards are grouped for reading is awards'
(`awards.grouping.group_awards`).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.distinctions import award_distinctions
from awards.grouping import LevelGroup, ThemeGroup, group_awards
from awards.models import Award, AwardOrganisation
from contests.models import Contest, Distinction, Edition
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
_NO_THEME = gettext_lazy("Sans thème publié")
_NO_LEVEL = gettext_lazy("Niveau non publié")
_DISTINCTION_ONLY = gettext_lazy("Distinction sans niveau")


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

    @property
    def navigation(self) -> list[tuple[str, str, int]]:
        """(anchor, heading, awards) per theme when the edition has themes, else per level:
        a year of 250 laureates is read by jumping to its part. Empty for a single part."""
        if self.has_themes:
            parts = [
                (
                    theme_anchor(group),
                    group.theme.name if group.theme else str(_NO_THEME),
                    sum(len(level.awards) for level in group.levels),
                )
                for group in self.themes
            ]
        else:
            parts = [
                (level_anchor(level), level_heading(level), len(level.awards))
                for group in self.themes
                for level in group.levels
            ]
        return parts if len(parts) > 1 else []

    @cached_property
    def level_navigation(self) -> list[tuple[str, str, int]]:
        """(link, heading, awards) per level over the whole year, for an edition with themes
        (without, `navigation` already goes level by level). A level runs through every
        theme, so its link is the palmarès search on that year and level, which lists exactly
        its laureates; « distinction alone » and unknown levels have no search facet."""
        if not self.has_themes:
            return []
        counts: dict = {}
        for group in self.themes:
            for level in group.levels:
                if level.level is not None:
                    heading = level_heading(level)
                    counts.setdefault(level.level, [heading, 0])[1] += len(level.awards)
        search = reverse("catalogue:palmares")
        contest = contest_query(self.edition.contest.slug, prefix="&")
        parts = [
            (f"{search}?year={self.edition.year}&level={level.code}{contest}", heading, count)
            for level, (heading, count) in sorted(counts.items(), key=lambda i: i[0].rank)
        ]
        return parts if len(parts) > 1 else []

    @cached_property
    def distinctions(self) -> list["DistinctionGroup"]:
        """Each distinction awarded this year with its laureates, in the edition's order."""
        groups: dict[int, DistinctionGroup] = {}
        for group in self.themes:
            for level in group.levels:
                for award in level.awards:
                    for distinction in award_distinctions(award):
                        groups.setdefault(
                            distinction.pk, DistinctionGroup(distinction, [])
                        ).awards.append(award)
        return sorted(groups.values(), key=lambda g: (g.distinction.position, g.distinction.name))


@dataclass(frozen=True)
class DistinctionGroup:
    distinction: Distinction
    awards: list[Award]

    @property
    def anchor(self) -> str:
        return f"distinction-{self.distinction.code}"


# The same ids as catalogue/projects/includes/palmares.html gives its headings.
def theme_anchor(group: ThemeGroup) -> str:
    return f"theme-{group.theme.slug}" if group.theme else "theme-sans"


def level_anchor(level: LevelGroup) -> str:
    if level.level:
        return f"niveau-{level.level.code}"
    return "distinction-seule" if level.distinction_only else "niveau-inconnu"


def level_heading(level: LevelGroup) -> str:
    """« Label or » for a standard level, the level's own name otherwise (« Niveau 2 »)."""
    if level.level is None:
        return str(_DISTINCTION_ONLY if level.distinction_only else _NO_LEVEL)
    return capfirst(level.level.distinction)


def latest_public_palmares(
    contest_slug: str = LABEL_CONTEST_SLUG, now: datetime | None = None
) -> Palmares | None:
    """The most recent public edition of a contest that has awards, with its awards grouped.

    Four queries whatever the number of awards: the edition, its awards (with level and theme),
    their organisations and their distinctions.
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
            ),
            "distinctions",
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
