"""Moving or re-timing an audition session (issue 15, item 4).

The session's auditions move with it: each keeps its offset from the session's start (so the
order and the breaks stay as the timetable made them), gets SEQUENCE + 1, and — if invitations
of the round were already sent — its applicants get an updated invitation (same UID) and the
jurors present their updated calendar, through the outbox. A change that would leave an
audition outside the session (a session shortened under its slots) is refused, as is any change
to a session whose auditions took place.

Availabilities are kept (the applicants said they could attend this session, and the timetable
keeps its slots), but every applicant who marked the session without having a slot in it is
asked again by email: the session they chose is no longer at the time they chose.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain.workflow import applicant_emails
from applications.enums import ApplicationState
from notifications.outbox import email_kind, queue_email
from palmares.dates import long_date

from ..models import Audition, AuditionSession, SessionAvailability
from .audition_invitations import availability_url, invitations_were_sent, send_updates

MOVED_EMAIL = email_kind("jury.audition_session_moved", _("Séance d'audition déplacée"))


class SessionMoveRefused(Exception):
    """`message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SessionMove:
    moved: list[str] = field(default_factory=list)  # references whose slot moved
    applicant_messages: int = 0
    juror_messages: int = 0
    asked: list[str] = field(default_factory=list)  # references asked for availability again


def _when(session: AuditionSession) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return gettext("le %(date)s de %(start)s à %(end)s") % {
        "date": f"{formats.date_format(starts, 'l')} {long_date(starts)}",
        "start": starts.strftime("%H:%M"),
        "end": ends.strftime("%H:%M"),
    }


def move_session_auditions(
    session: AuditionSession, before_start: datetime, before_end: datetime
) -> SessionMove:
    """Apply a new start/end already set on `session` (saved by the caller, in its transaction).

    Raises SessionMoveRefused, before anything is written, when an audition of the session was
    held or would fall outside the new times."""
    if (session.starts_at, session.ends_at) == (before_start, before_end):
        return SessionMove()
    delta = session.starts_at - before_start
    rows = list(
        Audition.objects.select_for_update()
        .filter(session=session)
        .select_related("application")
        .order_by("starts_at", "pk")
    )
    if any(a.application.state == ApplicationState.AUDITIONED for a in rows):
        raise SessionMoveRefused(
            gettext(
                "Des dossiers de cette séance ont été auditionnés : ses horaires ne changent plus."
            )
        )
    outside = [
        a.application.reference
        for a in rows
        if a.starts_at + delta < session.starts_at or a.ends_at + delta > session.ends_at
    ]
    if outside:
        raise SessionMoveRefused(
            gettext(
                "Avec ces horaires, les auditions de %(references)s ne tiennent plus dans la "
                "séance : allongez-la, ou supprimez ces créneaux en relançant le planning après "
                "avoir changé les disponibilités."
            )
            % {"references": ", ".join(outside)}
        )
    moved: list[Audition] = []
    if delta:
        for audition in rows:
            audition.starts_at += delta
            audition.ends_at += delta
            audition.sequence += 1
        Audition.objects.bulk_update(rows, ["starts_at", "ends_at", "sequence"])
        moved = rows
    applicants = jurors = 0
    if moved and invitations_were_sent(session.round):
        applicants, jurors = send_updates(session, moved)
    asked = ask_availability_again(session, scheduled={a.application_id for a in rows})
    return SessionMove(
        moved=[a.application.reference for a in moved],
        applicant_messages=applicants,
        juror_messages=jurors,
        asked=asked,
    )


def ask_availability_again(session: AuditionSession, *, scheduled: set[int]) -> list[str]:
    """Email the applicants who marked the session (dossiers still awaiting their audition, with
    no slot in it) its new times and the page where they can change their answer."""
    edition = session.round.edition
    availabilities = (
        SessionAvailability.objects.filter(
            session=session, application__state__in=ApplicationState.awaiting_audition()
        )
        .exclude(application_id__in=scheduled)
        .select_related("application")
        .order_by("application__reference")
    )
    asked = []
    for availability in availabilities:
        application = availability.application
        values = {
            "reference": application.reference,
            "title": application.title,
            "edition": str(edition),
            "session": session.name,
            "when": _when(session),
            "url": availability_url(application),
            "signature": edition.contest.signature,
        }
        subject = gettext("Séance d'audition déplacée – dossier %(reference)s") % values
        body = (
            gettext(
                "Bonjour,\n\nPour le dossier %(reference)s « %(title)s » (%(edition)s), vous aviez "
                "indiqué pouvoir participer à la séance d'audition « %(session)s ». Elle a lieu "
                "désormais %(when)s. Votre réponse est conservée : si ce nouvel horaire ne vous "
                "convient plus, modifiez vos disponibilités sur la page des auditions du "
                "dossier :\n%(url)s\n\n%(signature)s"
            )
            % values
        )
        for recipient in applicant_emails(application):
            queue_email(
                EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]),
                kind=MOVED_EMAIL,
                context=str(edition),
            )
        asked.append(application.reference)
    return asked
