"""iCalendar invitations (RFC 5545, iTIP METHOD:REQUEST), written by hand: a handful of
properties does not justify a dependency.

What the RFC asks and this module does: CRLF line ends; lines folded at 75 octets (continuation
lines start with one space, and a UTF-8 character is never cut in two); TEXT values escaped
(backslash, semicolon, comma, newline); UTC date-times with a trailing Z; a UID stable across
re-sends (the audition's id and the site's domain) with a SEQUENCE that grows when a slot moves,
so calendar applications update the event instead of adding a second one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

PRODID = "-//Palmarès//Auditions//FR"
LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    sequence: int = 0


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
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _quoted(value: str) -> str:
    """A parameter value, quoted when it holds a character that would end it (§3.2)."""
    value = value.replace('"', "'")
    return f'"{value}"' if any(c in value for c in ':;,"') else value


def organizer_line(address: str) -> str:
    """ORGANIZER from an address like « Palmarès <ne-pas-repondre@palmares.localhost> »."""
    name, email = parseaddr(address)
    common_name = f";CN={_quoted(name)}" if name else ""
    return f"ORGANIZER{common_name}:mailto:{email}"


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    organizer: str,
    stamp: datetime,
    attendee: str | None = None,
    name: str = "",
) -> str:
    """The whole VCALENDAR text, CRLF-terminated, one VEVENT per event."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(event.starts_at)}",
            f"DTEND:{utc(event.ends_at)}",
            f"SEQUENCE:{event.sequence}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        lines.append(organizer_line(organizer))
        if attendee:
            lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}")
        lines += ["STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
