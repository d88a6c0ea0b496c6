"""iCalendar text (RFC 5545), written by hand: a handful of properties does not justify a
dependency. Used by the jury's audition invitations (jury/calendar.py) and by the public
calendars of the Forum and the IntercoTOUR stages (contests/event_calendar.py).

What the RFC asks and this module does: CRLF line ends; lines folded at 75 octets (continuation
lines start with one space, and a UTF-8 character is never cut in two); TEXT values escaped
(backslash, semicolon, comma, newline); UTC date-times with a trailing Z; all-day events as
DATE values whose DTEND is the day AFTER the last one (§3.6.1: DTEND is exclusive).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

LINE_OCTETS = 75
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): \\ ; , escaped, newlines as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (§3.1), without cutting a character."""
    parts: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append(current)
            # Continuation lines start with a space, which counts in their 75 octets.
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += octets
    parts.append(current)
    return CRLF.join(parts)


def utc(moment: datetime) -> str:
    """A DATE-TIME value in UTC (§3.3.5, form 2)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day(value: date) -> str:
    """A DATE value (§3.3.4)."""
    return value.strftime("%Y%m%d")


def content(lines: Iterable[str]) -> str:
    """Content lines as the RFC wants them on the wire: each folded, each ended by CRLF."""
    return "".join(fold(line) + CRLF for line in lines)


@dataclass(frozen=True)
class AllDayEvent:
    """An event of whole days, from `first_day` to `last_day` included."""

    uid: str
    first_day: date
    last_day: date
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


def all_day_lines(event: AllDayEvent, *, stamp: datetime) -> list[str]:
    """The VEVENT of an all-day event; DTEND is the day after `last_day` (exclusive end)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART;VALUE=DATE:{day(event.first_day)}",
        f"DTEND;VALUE=DATE:{day(event.last_day + timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        # URL is a URI value, not TEXT: never escaped (§3.3.13).
        lines.append(f"URL:{event.url}")
    # An event of whole days does not take up the attendee's time (§3.8.2.7).
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def build_all_day_calendar(
    events: Iterable[AllDayEvent], *, prodid: str, stamp: datetime, name: str = ""
) -> str:
    """A published calendar (METHOD:PUBLISH) of all-day events, CRLF-terminated."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{prodid}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += all_day_lines(event, stamp=stamp)
    lines.append("END:VCALENDAR")
    return content(lines)
