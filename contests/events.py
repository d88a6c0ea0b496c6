"""Events (the Forum, the IntercoTOUR stages): their addresses, saving them, and how the public
list orders them — upcoming first, then past events by year, nothing ever dropped."""

import logging
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from .models import Event

logger = logging.getLogger("events")

# Words of /evenements/ that an event's slug must not take: `calendrier.ics` is the calendar of
# all events, so an event named « Calendrier » would lose its own .ics.
RESERVED_SLUGS = frozenset({"calendrier"})


def event_slug(name: str, year: int | None) -> str:
    """« IntercoTOUR Occitanie », 2019 → intercotour-occitanie-2019 (the year once only)."""
    base = slugify(name)[:110] or "evenement"
    if year is None or base.endswith(f"-{year}"):
        return base
    return f"{base}-{year}"


def unique_event_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`… : the first free one."""
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def save_event(event: Event, *, by) -> Event:
    """Create or update an event edited by an organiser (already validated by EventForm).

    Effects: a new event gets its slug from its name and year, once (its address then never
    changes, so links and calendar subscriptions keep working); a single-day event's last day
    is its first; save; one line to the `events` log (events belong to no edition, so they do
    not go to an edition's activity log).
    """
    created = event.pk is None
    if event.starts_on and not event.ends_on:
        event.ends_on = event.starts_on
    if created:
        year = event.starts_on.year if event.starts_on else None
        event.slug = unique_event_slug(event_slug(event.name, year))
    event.save()
    logger.info(
        "event created" if created else "event updated",
        extra={"subject": event.slug, "by": getattr(by, "pk", None)},
    )
    return event


def last_day(event: Event) -> date | None:
    return event.ends_on or event.starts_on


def _year(event: Event) -> int:
    return (event.starts_on or event.ends_on).year


@dataclass
class EventListing:
    """The public list: upcoming events (soonest first), past ones by year (latest year first,
    each year in date order), and those whose date was never published."""

    upcoming: list[Event] = field(default_factory=list)
    past_by_year: list[tuple[int, list[Event]]] = field(default_factory=list)
    undated: list[Event] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.upcoming)
            + sum(len(events) for _year, events in self.past_by_year)
            + len(self.undated)
        )


def list_events(events: QuerySet[Event], today: date) -> EventListing:
    """Sort `events` for the public list; an event still running today is upcoming."""
    listing = EventListing()
    past: list[Event] = []
    for event in events.order_by("starts_on", "ends_on", "name"):
        end = last_day(event)
        if end is None:
            listing.undated.append(event)
        elif end >= today:
            listing.upcoming.append(event)
        else:
            past.append(event)
    past.sort(key=_year, reverse=True)  # a stable sort: each year's events stay in date order
    listing.past_by_year = [(year, list(events)) for year, events in groupby(past, key=_year)]
    return listing
