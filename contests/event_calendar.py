"""The public calendars of events (.ics): one event, or all of them.

Events last whole days (a Forum, a stage), so they are written as all-day events: a Forum in
Marseille from 5 to 6 December shows on those two days in every time zone. The UID is the
event's slug at « palmares » (stable: calendar applications update a subscribed event instead
of adding it twice). Nothing of the selections is written here: a calendar is fetched by anyone
and cached anywhere, and a stage's selection is public only on its page, once published.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from palmares.ics import AllDayEvent, build_all_day_calendar

from .enums import EventKind
from .models import Event

PRODID = "-//Palmarès//Événements//FR"
UID_DOMAIN = "palmares"


def event_uid(event: Event) -> str:
    return f"{event.slug}@{UID_DOMAIN}"


def location(event: Event) -> str:
    """« Palais du Pharo, Marseille, Provence-Alpes-Côte d'Azur »: what is known, in that order."""
    parts = [event.venue, event.city, event.region.name if event.region_id else ""]
    return ", ".join(part for part in parts if part)


def description(event: Event, page_url: str) -> str:
    lines = [EventKind(event.kind).label]
    if event.kind == EventKind.STAGE and event.theme:
        lines.append(_("Thème : %(theme)s") % {"theme": event.theme})
    lines.append(page_url)
    return "\n".join(str(line) for line in lines)


def calendar_event(event: Event, page_url: str) -> AllDayEvent:
    """The all-day event of a dated Event (callers leave out events without a date)."""
    return AllDayEvent(
        uid=event_uid(event),
        first_day=event.starts_on,
        last_day=event.ends_on or event.starts_on,
        summary=event.name,
        description=description(event, page_url),
        location=location(event),
        url=page_url,
    )


def events_calendar(
    events: Iterable[Event], *, page_url: Callable[[Event], str], stamp: datetime, name: str = ""
) -> str:
    """The .ics text of the dated `events`; `page_url` gives each event's public address."""
    return build_all_day_calendar(
        (calendar_event(event, page_url(event)) for event in events if event.starts_on),
        prodid=PRODID,
        stamp=stamp,
        name=name,
    )
