"""Wording shared by the documents: lists of names, the Forum's dates, an award's laureates."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from awards.enums import OrganisationRole
from awards.models import Award, AwardOrganisation
from contests.models import Event
from palmares import dates


def join_names(names: list[str]) -> str:
    """« A », « A et B », « A, B et C »: the French way of listing."""
    names = [name for name in names if name]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


long_date = dates.long_date


def forum_dates(forum: Event) -> str:
    """« le 4 avril 2024 », « du 3 au 4 avril 2024 », « du 30 mars au 1er avril 2024 », or ""."""
    start, end = forum.starts_on, forum.ends_on or forum.starts_on
    if start is None:
        return ""
    if end == start:
        return _("le %(day)s") % {"day": long_date(start)}
    if (start.year, start.month) == (end.year, end.month):
        first = dates.day_number(start)
    elif start.year == end.year:
        first = dates.day_month(start)
    else:
        first = long_date(start)
    return _("du %(start)s au %(end)s") % {"start": first, "end": long_date(end)}


def award_links() -> Prefetch:
    """The prefetch `laureate_names` reads: lead first, then partners in their order."""
    links = AwardOrganisation.objects.select_related("organisation").order_by("position", "pk")
    return Prefetch("award_organisations", queryset=links)


def laureate_names(award: Award) -> list[str]:
    """The names the award was given to, as published (the referential's name otherwise).

    Reads the `award_links()` prefetch. An award decided on the platform names the dossier's
    structures; one without rows (none should be) falls back on its dossier's lead.
    """
    links = sorted(
        award.award_organisations.all(),
        key=lambda link: (link.role != OrganisationRole.LEAD, link.position, link.pk),
    )
    names = [link.published_name or link.organisation.name for link in links]
    if not names and award.application_id:
        names = [award.application.lead_organisation.name]
    return names


def edition_awards(edition_id: int) -> QuerySet[Award]:
    """An edition's awards with what the documents print, in four queries."""
    return (
        Award.objects.filter(edition_id=edition_id)
        .select_related("level", "theme", "application__lead_organisation")
        .prefetch_related(award_links(), "distinctions")
    )
