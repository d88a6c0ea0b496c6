"""Asking the applicants of an audition round which sessions they can attend (issue 15, item 4).

The organisers set a deadline and ask, from the auditions page, every dossier still to audition
that was not asked yet (one AvailabilityRequest each; its applicants get one email with the
sessions and the page to answer on). The daily `send_jury_reminders` run reminds, once, the
applicants who have not answered when the deadline is near. Emails go through the outbox;
every request and reminder goes to the activity log.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain.workflow import applicant_emails
from applications.enums import ApplicationState
from applications.models import Application
from contests import activity
from notifications.outbox import email_kind, queue_email
from palmares.dates import long_date

from ..models import AvailabilityRequest, Round, SessionAvailability
from .audition_invitations import availability_url
from .audition_schedule import dossiers_to_schedule

REQUEST_EMAIL = email_kind("jury.availability_request", _("Demande de disponibilités"))
REMINDER_EMAIL = email_kind("jury.availability_reminder", _("Rappel : disponibilités"))
# The reminder goes when the deadline is at most this many days away (the day itself included).
REMINDER_DAYS = 2


class RequestRefused(Exception):
    """`message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _day(value: date) -> str:
    """« mercredi 1er novembre 2028 »."""
    return f"{formats.date_format(value, 'l')} {long_date(value)}"


def _sessions_text(round_: Round) -> str:
    lines = []
    for session in round_.sessions.order_by("starts_at", "name", "pk"):
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        lines.append(
            gettext("- %(name)s : le %(date)s de %(start)s à %(end)s")
            % {
                "name": session.name,
                "date": _day(starts),
                "start": starts.strftime("%H:%M"),
                "end": ends.strftime("%H:%M"),
            }
        )
    return "\n".join(lines)


def _email(application: Application, round_: Round, *, reminder: bool) -> list[EmailMessage]:
    values = {
        "reference": application.reference,
        "title": application.title,
        "edition": str(round_.edition),
        "deadline": _day(round_.availability_deadline),
        "sessions": _sessions_text(round_),
        "url": availability_url(application),
        "signature": round_.edition.contest.signature,
    }
    if reminder:
        subject = gettext("Rappel : vos disponibilités pour l'audition du dossier %(reference)s")
        intro = gettext(
            "Bonjour,\n\nNous n'avons pas encore reçu vos disponibilités pour l'audition du "
            "dossier %(reference)s « %(title)s » (%(edition)s). Sans réponse avant le "
            "%(deadline)s, le planning ne pourra pas vous proposer de créneau."
        )
    else:
        subject = gettext("Audition du dossier %(reference)s : vos disponibilités")
        intro = gettext(
            "Bonjour,\n\nLe dossier %(reference)s « %(title)s » est retenu pour l'audition "
            "(%(edition)s). Indiquez avant le %(deadline)s les séances auxquelles vous pouvez "
            "participer : le planning des auditions en tient compte."
        )
    body = (
        intro
        + "\n\n"
        + gettext("Séances proposées :\n%(sessions)s\n\nRépondre : %(url)s\n\n%(signature)s")
    ) % values
    return [
        EmailMessage(subject % values, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        for recipient in applicant_emails(application)
    ]


@transaction.atomic
def request_availability(
    round_: Round, deadline: date, *, by, today: date | None = None
) -> list[str]:
    """Set the round's deadline and ask every dossier still to audition not asked yet.

    Guard: the deadline is today or later; the round has sessions. Effects: `availability_deadline`
    saved; one AvailabilityRequest and one email per applicant address for each dossier asked;
    one activity entry `jury.availability_requested`. Returns the references asked (a later
    request, e.g. after new dossiers were shortlisted, asks only the new ones)."""
    today = today or timezone.localdate()
    if deadline < today:
        raise RequestRefused(
            gettext("Choisissez une date limite à partir d'aujourd'hui (%(today)s).")
            % {"today": long_date(today)}
        )
    if not round_.sessions.exists():
        raise RequestRefused(
            gettext("Créez d'abord les séances : les candidats choisissent parmi elles.")
        )
    round_.availability_deadline = deadline
    round_.save(update_fields=["availability_deadline"])
    asked_before = AvailabilityRequest.objects.filter(round=round_).values("application_id")
    applications = list(dossiers_to_schedule(round_).exclude(pk__in=asked_before))
    now = timezone.now()
    AvailabilityRequest.objects.bulk_create(
        [AvailabilityRequest(round=round_, application=a, requested_at=now) for a in applications]
    )
    for application in applications:
        for message in _email(application, round_, reminder=False):
            queue_email(message, kind=REQUEST_EMAIL, context=str(round_.edition))
    references = [a.reference for a in applications]
    activity.record(
        round_.edition,
        "jury.availability_requested",
        by=by,
        subject=round_.slug,
        deadline=deadline.isoformat(),
        asked=references,
    )
    return references


def unanswered(round_: Round) -> QuerySet[AvailabilityRequest]:
    """Requests of dossiers still to audition whose applicants chose no session of the round."""
    answered = SessionAvailability.objects.filter(
        application=OuterRef("application"), session__round=OuterRef("round")
    )
    return (
        AvailabilityRequest.objects.filter(
            round=round_, application__state__in=ApplicationState.awaiting_audition()
        )
        .exclude(Exists(answered))
        .select_related("application")
        .order_by("application__reference")
    )


def send_availability_reminders(today: date | None = None) -> dict[str, int]:
    """Remind, once, the applicants who have not answered when their round's deadline is at
    most REMINDER_DAYS days away (a missed run is caught up the next day). Each reminder is
    marked in the transaction that queues its emails. Returns {rounds, dossiers, emails}."""
    today = today or timezone.localdate()
    rounds = Round.objects.filter(
        availability_deadline__gte=today,
        availability_deadline__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("edition__contest")
    report = {"rounds": 0, "dossiers": 0, "emails": 0}
    for round_ in rounds.order_by("availability_deadline", "pk"):
        report["rounds"] += 1
        reminded = []
        for request in unanswered(round_).filter(reminded_at__isnull=True):
            with transaction.atomic():
                # Another run may have sent it meanwhile: only the one that marks it sends.
                marked = AvailabilityRequest.objects.filter(
                    pk=request.pk, reminded_at__isnull=True
                ).update(reminded_at=timezone.now())
                if not marked:
                    continue
                for message in _email(request.application, round_, reminder=True):
                    queue_email(message, kind=REMINDER_EMAIL, context=str(round_.edition))
                    report["emails"] += 1
            reminded.append(request.application.reference)
        if reminded:
            report["dossiers"] += len(reminded)
            activity.record(
                round_.edition,
                "jury.availability_reminded",
                subject=round_.slug,
                deadline=round_.availability_deadline.isoformat(),
                reminded=reminded,
            )
    return report
