"""Audition invitations: one .ics per applicant (their dossier's audition) and per juror (every
audition of the sessions they attend, except the dossiers they are in conflict with: those do not
appear at all, not even their reference), sent by email, one message per recipient.
"""

from email.message import MIMEPart
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain.workflow import applicant_emails
from contests import activity
from contests.models import ActivityEntry
from notifications.outbox import email_kind, queue_email

from ..calendar import CalendarEvent, build_calendar
from ..enums import JurorState
from ..models import Audition, Juror, Round

ICS_NAME = "audition.ics"
INVITATION_EMAIL = email_kind("jury.audition_invitation", _("Invitation à une audition"))


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "palmares.localhost"


def audition_uid(audition: Audition) -> str:
    """Stable across re-sends, so calendar applications update the event."""
    return f"audition-{audition.pk}@{site_domain()}"


def _description(audition: Audition) -> str:
    round_ = audition.round
    lines = [
        gettext("Séance : %(name)s") % {"name": audition.session.name},
        gettext("Pitch : %(pitch)s minutes, puis questions du jury : %(questions)s minutes.")
        % {"pitch": round_.pitch_minutes, "questions": round_.questions_minutes},
    ]
    if audition.session.video_link:
        lines.append(gettext("Visioconférence : %(link)s") % {"link": audition.session.video_link})
    return "\n".join(lines)


def audition_event(audition: Audition, *, for_juror: bool) -> CalendarEvent:
    """Reads audition.round.edition.contest, .session and .application (select_related)."""
    application = audition.application
    edition = audition.round.edition
    if for_juror:
        summary = gettext("Audition %(reference)s : %(title)s") % {
            "reference": application.reference,
            "title": application.title,
        }
    else:
        summary = gettext("Audition du dossier %(reference)s – %(contest)s %(year)s") % {
            "reference": application.reference,
            "contest": edition.contest.name,
            "year": edition.year,
        }
    return CalendarEvent(
        uid=audition_uid(audition),
        starts_at=audition.starts_at,
        ends_at=audition.ends_at,
        summary=summary,
        description=_description(audition),
        location=audition.session.video_link,
        sequence=audition.sequence,
    )


def auditions() -> QuerySet[Audition]:
    return Audition.objects.select_related("round__edition__contest", "session", "application")


def applicant_calendar(audition: Audition, *, attendee: str | None = None, stamp=None) -> str:
    return build_calendar(
        [audition_event(audition, for_juror=False)],
        organizer=settings.DEFAULT_FROM_EMAIL,
        stamp=stamp or timezone.now(),
        attendee=attendee,
    )


def juror_auditions(juror: Juror) -> list[Audition]:
    """The auditions of the sessions the juror attends, without those in conflict with them."""
    conflicted = juror.member.conflicts.effective().values("application_id")
    return list(
        auditions()
        .filter(session__attendances__juror=juror, round_id=juror.round_id)
        .exclude(application_id__in=conflicted)
        .order_by("starts_at", "pk")
    )


def juror_calendar(juror: Juror, *, stamp=None) -> str:
    return build_calendar(
        [audition_event(a, for_juror=True) for a in juror_auditions(juror)],
        organizer=settings.DEFAULT_FROM_EMAIL,
        stamp=stamp or timezone.now(),
        attendee=juror.email,
        name=gettext("Auditions – %(round)s") % {"round": juror.round.name},
    )


def calendar_part(ics: str, filename: str = ICS_NAME) -> MIMEPart:
    """The .ics as an attachment « text/calendar; method=REQUEST » (Django's attach() would
    take the parameter for part of the subtype). Base64 keeps its CRLF line ends intact."""
    part = MIMEPart()
    part.set_content(
        ics.encode(),
        maintype="text",
        subtype="calendar",
        cte="base64",
        disposition="attachment",
        filename=filename,
        params={"method": "REQUEST", "charset": "utf-8"},
    )
    return part


def _message(subject: str, body: str, recipient: str, ics: str) -> EmailMessage:
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    message.attach(calendar_part(ics))
    return message


def _applicant_messages(rows: list[Audition], stamp, *, update: bool) -> list[EmailMessage]:
    """One message per applicant address of each audition, with its .ics."""
    messages: list[EmailMessage] = []
    for audition in rows:
        application = audition.application
        edition = audition.round.edition
        values = {
            "reference": application.reference,
            "title": application.title,
            "edition": str(edition),
            "date": timezone.localtime(audition.starts_at).strftime("%d/%m/%Y"),
            "time": timezone.localtime(audition.starts_at).strftime("%H:%M"),
            "session": audition.session.name,
            "signature": edition.contest.signature,
        }
        if update:
            subject = gettext("Audition déplacée pour le dossier %(reference)s") % values
            body = gettext(
                "Bonjour,\n\nL'audition du dossier %(reference)s « %(title)s » (%(edition)s) "
                "change d'horaire : elle a lieu désormais le %(date)s à %(time)s (séance "
                "« %(session)s »). L'invitation jointe remplace la précédente dans votre "
                "agenda. Si ce nouvel horaire ne vous convient pas, dites-le sur la page des "
                "auditions du dossier : %(url)s\n\n%(signature)s"
            ) % {**values, "url": availability_url(application)}
        else:
            subject = gettext("Votre audition pour le dossier %(reference)s") % values
            body = (
                gettext(
                    "Bonjour,\n\nLe dossier %(reference)s « %(title)s » est auditionné le "
                    "%(date)s à %(time)s (séance « %(session)s »). L'invitation est jointe : "
                    "ouvrez-la pour l'ajouter à votre agenda.\n\n%(signature)s"
                )
                % values
            )
        for recipient in applicant_emails(application):
            ics = applicant_calendar(audition, attendee=recipient, stamp=stamp)
            messages.append(_message(subject, body, recipient, ics))
    return messages


def _juror_messages(round_: Round, jurors, stamp, *, update: bool) -> list[EmailMessage]:
    """One message per juror with auditions to attend: their whole calendar of the round."""
    messages: list[EmailMessage] = []
    for juror in jurors.select_related("round").order_by("full_name", "pk"):
        if not juror_auditions(juror):
            continue
        if update:
            subject = gettext("Auditions modifiées – %(round)s") % {"round": round_.name}
            body = gettext(
                "Bonjour,\n\nLes horaires d'une séance d'audition à laquelle vous participez "
                "ont changé. Le calendrier joint remplace le précédent dans votre agenda.\n\n"
                "%(signature)s"
            ) % {"signature": round_.edition.contest.signature}
        else:
            subject = gettext("Vos auditions – %(round)s") % {"round": round_.name}
            body = gettext(
                "Bonjour,\n\nVoici le calendrier des auditions des séances auxquelles vous "
                "participez. Ouvrez le fichier joint pour l'ajouter à votre agenda.\n\n"
                "%(signature)s"
            ) % {"signature": round_.edition.contest.signature}
        messages.append(_message(subject, body, juror.email, juror_calendar(juror, stamp=stamp)))
    return messages


def availability_url(application) -> str:
    return settings.SITE_URL + reverse(
        "jury:availability", kwargs={"reference": application.reference}
    )


def invitations_were_sent(round_: Round) -> bool:
    """Invitations of the round went out once (then a moved slot sends an update)."""
    return ActivityEntry.objects.filter(
        edition_id=round_.edition_id,
        action="jury.audition_invitations_sent",
        subject=round_.slug,
    ).exists()


def send_invitations(round_: Round, *, by, stamp=None) -> tuple[int, int]:
    """Email the invitations of the round's timetable; returns (applicant, juror) messages.

    Effects: one message per applicant address of each scheduled dossier (its audition) and per
    accepted juror attending a session (their auditions; none if all are in conflict), each
    with its .ics, queued in the outbox; one activity entry `jury.audition_invitations_sent`.
    """
    stamp = stamp or timezone.now()
    rows = list(auditions().filter(round=round_).order_by("starts_at", "pk"))
    messages = _applicant_messages(rows, stamp, update=False)
    applicant_count = len(messages)
    jurors = Juror.objects.filter(
        round=round_, state=JurorState.ACCEPTED, attendances__isnull=False
    ).distinct()
    messages += _juror_messages(round_, jurors, stamp, update=False)
    with transaction.atomic():
        activity.record(
            round_.edition,
            "jury.audition_invitations_sent",
            by=by,
            subject=round_.slug,
            auditions=len(rows),
            applicant_messages=applicant_count,
            juror_messages=len(messages) - applicant_count,
        )
        for message in messages:
            queue_email(message, kind=INVITATION_EMAIL, context=str(round_.edition))
    return applicant_count, len(messages) - applicant_count


def send_updates(session, moved: list[Audition], *, stamp=None) -> tuple[int, int]:
    """Updated invitations after a session moved: each moved audition's applicants (same UID,
    the audition's new SEQUENCE) and the accepted jurors present at the session (their whole
    calendar of the round), queued in the outbox in the caller's transaction. Returns
    (applicant, juror) messages."""
    stamp = stamp or timezone.now()
    round_ = session.round
    rows = list(auditions().filter(pk__in=[a.pk for a in moved]).order_by("starts_at", "pk"))
    messages = _applicant_messages(rows, stamp, update=True)
    applicant_count = len(messages)
    jurors = Juror.objects.filter(
        round=round_, state=JurorState.ACCEPTED, attendances__session=session
    ).distinct()
    messages += _juror_messages(round_, jurors, stamp, update=True)
    for message in messages:
        queue_email(message, kind=INVITATION_EMAIL, context=str(round_.edition))
    return applicant_count, len(messages) - applicant_count
