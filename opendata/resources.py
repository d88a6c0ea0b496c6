"""The JSON forms of editions, themes, organisations and events in the public API.

Only what the public may see: editions whose results are public (`Edition.objects.public`), their
themes, and awards of those editions. Unknown values are null, never invented.
"""

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from awards.models import Award, AwardOrganisation
from catalogue.search.indexing import region_code
from contests.models import Contest, Edition, Event, Level, Theme
from contests.presentation import awarded_by, contest_query
from territories.domain import departement_of
from territories.models import Organisation


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ------------------------------------------------------------------------------ editions


def editions_queryset() -> QuerySet[Edition]:
    return (
        Edition.objects.public()
        .select_related("contest", "forum")
        .prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("rank")),
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        )
        .annotate(awards_recorded=Count("awards", distinct=True))
        .order_by("contest__slug", "-year")
    )


def edition_data(edition: Edition, base_url: str) -> dict[str, Any]:
    forum = edition.forum
    return {
        "id": f"{edition.contest.slug}-{edition.year}",
        "contest": edition.contest.slug,
        "contest_name": edition.contest.name,
        "year": edition.year,
        "funnel": {
            "applications": edition.applications_count,
            "auditioned": edition.auditioned_count,
            "laureates": edition.laureates_count,
            "gold": edition.gold_count,
        },
        "awards_recorded": edition.awards_recorded,
        "levels": [
            {"code": level.code, "name": level.name, "rank": level.rank}
            for level in edition.levels.all()
        ],
        "themes": [{"id": theme.slug, "name": theme.name} for theme in edition.themes.all()],
        "forum": (
            {
                "id": forum.slug,
                "name": forum.name,
                "city": forum.city or None,
                "starts_on": _iso(forum.starts_on),
            }
            if forum
            else None
        ),
        # Every contest's year page: /palmares/<year>/, with ?concours= for another contest.
        "url": base_url + edition.get_absolute_url(),
    }


# -------------------------------------------------------------------------------- themes


def themes_queryset() -> QuerySet[Theme]:
    return (
        Theme.objects.filter(edition__in=Edition.objects.public())
        .select_related("edition__contest")
        .annotate(awards_recorded=Count("awards", distinct=True))
        .order_by("edition__contest__slug", "-edition__year", "position", "name")
    )


def theme_data(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.slug,
        "name": theme.name,
        "description": theme.description or None,
        "contest": theme.edition.contest.slug,
        "year": theme.edition.year,
        "position": theme.position,
        "awards_recorded": theme.awards_recorded,
    }


# ------------------------------------------------------------------------- organisations


def organisations_queryset(contest: str | None = None) -> QuerySet[Organisation]:
    """Organisations with at least one public award (of `contest`, if given), each with those
    awards (3 queries for a page: the organisations, then their award links with awards,
    levels, themes)."""
    public = Award.objects.public()
    if contest:
        public = public.filter(edition__contest__slug=contest)
    links = (
        AwardOrganisation.objects.filter(award__in=public)
        .select_related("award__edition__contest", "award__level", "award__theme")
        .order_by("-award__edition__year", "award__level__rank", "award__title")
    )
    awarded = AwardOrganisation.objects.filter(organisation=OuterRef("pk"), award__in=public)
    return (
        Organisation.objects.filter(Exists(awarded))
        .select_related("region", "departement")
        .prefetch_related(Prefetch("award_organisations", queryset=links, to_attr="public_links"))
        .order_by("search_name", "pk")
    )


def filter_organisations(
    organisations: QuerySet[Organisation],
    *,
    siren: str | None = None,
    insee: str | None = None,
    kind: str | None = None,
    region: str | None = None,
) -> QuerySet[Organisation]:
    if siren:
        organisations = organisations.filter(siren=siren)
    if insee:
        organisations = organisations.filter(insee_code=insee)
    if kind:
        organisations = organisations.filter(kind=kind)
    if region:
        organisations = organisations.filter(
            Q(region__insee_code=region) | Q(kind="region", insee_code=region)
        )
    return organisations


def _award_summary(link: AwardOrganisation, base_url: str) -> dict[str, Any]:
    award: Award = link.award
    return {
        "id": award.slug,
        "year": award.edition.year,
        "contest": award.edition.contest.slug,
        "level": award.level.code if award.level else None,
        "theme": award.theme.name if award.theme else None,
        "title": award.title,
        "role": link.role or None,
        "published_name": link.published_name or None,
        "url": base_url + reverse("catalogue:project", kwargs={"slug": award.slug}),
    }


def organisation_data(organisation: Organisation, base_url: str) -> dict[str, Any]:
    departement = departement_of(organisation)
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "siren": organisation.siren or None,
        "insee_code": organisation.insee_code or None,
        "departement_code": departement.insee_code if departement else None,
        "region_code": region_code(organisation),
        "population": organisation.population,
        "url": base_url
        + reverse("territories:organisation_detail", kwargs={"slug": organisation.slug}),
        "awards": [_award_summary(link, base_url) for link in organisation.public_links],
    }


# -------------------------------------------------------------------------------- events


def events_queryset(contest: str | None = None) -> QuerySet[Event]:
    """Events, each with the public editions whose Forum it was; with `contest`, only the
    events that were the Forum of one of its editions (public or not: an event is public)."""
    public = Edition.objects.public().select_related("contest").order_by("-year")
    events = Event.objects.all()
    if contest:
        events = events.filter(
            pk__in=Edition.objects.filter(contest__slug=contest).values("forum_id")
        )
    return (
        events.select_related("region")
        .prefetch_related(Prefetch("editions", queryset=public, to_attr="public_editions"))
        .order_by("starts_on", "name", "pk")
    )


def event_data(event: Event) -> dict[str, Any]:
    return {
        "id": event.slug,
        "kind": event.kind,
        "name": event.name,
        "city": event.city or None,
        "venue": event.venue or None,
        "region_code": event.region.insee_code if event.region else None,
        "starts_on": _iso(event.starts_on),
        "ends_on": _iso(event.ends_on),
        "participants": event.participants,
        "programme": event.programme or None,
        "theme": event.theme or None,  # a stage's theme of the day
        # The editions whose Forum it was, among those whose results are public.
        "editions": [
            {"contest": edition.contest.slug, "year": edition.year}
            for edition in event.public_editions
        ],
    }


# ------------------------------------------------------------------------------ contests


def contests_queryset() -> QuerySet[Contest]:
    """Every contest, with the years of its public editions and its public awards' count."""
    public = Edition.objects.public().order_by("year")
    return (
        Contest.objects.annotate(
            awards_recorded=Count(
                "editions__awards",
                filter=Q(editions__in=Edition.objects.public().values("pk")),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("editions", queryset=public, to_attr="public_editions"))
        .order_by("slug")
    )


def contest_data(contest: Contest, base_url: str) -> dict[str, Any]:
    return {
        "id": contest.slug,
        "name": contest.name,
        "awarded_by": awarded_by(contest),
        "awarder_website": contest.awarder_website or None,
        "description": contest.description or None,
        "applicant_kinds": contest.applicant_kinds or None,
        "years": [edition.year for edition in contest.public_editions],
        "awards_recorded": contest.awards_recorded,
        "url": base_url + reverse("catalogue:palmares") + contest_query(contest.slug),
    }
