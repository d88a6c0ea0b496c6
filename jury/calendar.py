"""iCalendar invitations (RFC 5545, iTIP METHOD:REQUEST) to auditions.

The RFC's text rules (CRLF, folding at 75 octets, escaping, UTC date-times) live in
palmares/ics.py, shared with the public calendars of events. What is the jury's own: a UID stable
across re-sends with a SEQUENCE that grows when a slot moves, so calendar applications update the
event instead of adding a second one; the ORGANIZER and ATTENDEE of an invitation.

The UID written is never the event's key itself (`CalendarEvent.uid`, e.g. « audition-12@site »)
but a keyed digest of it (`opaque_uid`): a juror's calendar leaves out the dossiers they are in
conflict with, and consecutive database ids would show the gap — that a dossier was heard between
two others. The digest is as stable as the key and SECRET_KEY (a new key gives new UIDs, so an
invitation sent before the change is not updated in place by a later one).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from django.utils.crypto import salted_hmac

from palmares.ics import content, escape_text, fold, utc

# Re-exported: callers and tests of the invitations use them from here.
__all__ = [
    "CalendarEvent",
    "build_calendar",
    "escape_text",
    "fold",
    "opaque_uid",
    "organizer_line",
]

PRODID = "-//Palmarès//Auditions//FR"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # the event's stable key; written as opaque_uid(uid)
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    sequence: int = 0


def opaque_uid(key: str) -> str:
    """The UID for the event keyed `key`: a digest of it (no id, no sequence to read), followed
    by the key's domain (RFC 5545 §3.8.4.7 recommends one)."""
    _name, at, domain = key.rpartition("@")
    digest = salted_hmac("palmares.jury.calendar.uid", key, algorithm="sha256").hexdigest()
    return f"{digest[:32]}@{domain}" if at else digest[:32]


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
            f"UID:{opaque_uid(event.uid)}",
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
    return content(lines)
