"""Auditions of a round: sessions, who can attend them, the timetable, and what follows.

- Organisers create sessions (date, start, end, video link) and tick the jurors present.
- The applicants of each dossier mark the sessions they can attend.
- `schedule_auditions` (jury.domain.audition_schedule) builds the timetable problem from the
  round (jury.timetable solves it) and stores one Audition per dossier; slots still valid are
  kept (a moved one gets a new SEQUENCE for its invitation). On an audition round, the jurors
  present and not in conflict are then assigned to each dossier, so they score the audition on
  the round's criteria with the evaluation pages.
- `mark_session_done` moves the session's dossiers to « auditionné ».
Invitations (.ics by email): jury.domain.audition_invitations.
Every change goes to the activity log.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.domain.workflow import set_application_state
from applications.enums import ApplicationState
from applications.models import Application
from contests import activity

from ..enums import JurorState, RoundKind
from ..models import (
    Audition,
    AuditionSession,
    Juror,
    JurorAttendance,
    Round,
    SessionAvailability,
)
from ..timetable import TimetableInfeasible
from .audition_schedule import (
    ScheduleOutcome,
    dossiers_to_schedule,
    schedule_auditions,
)
from .session_moves import SessionMove, SessionMoveRefused, move_session_auditions

__all__ = [
    "AuditionRefused",
    "ScheduleOutcome",
    "SessionMoveRefused",
    "TimetableInfeasible",
    "dossiers_to_schedule",
    "schedule_auditions",
]


class AuditionRefused(Exception):
    """A refused operation on auditions; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _stamp(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes")


# ------------------------------------------------------------------------------ sessions


def session_summary(session: AuditionSession) -> dict[str, object]:
    return {
        "name": session.name,
        "starts_at": _stamp(session.starts_at),
        "ends_at": _stamp(session.ends_at),
        "video_link": session.video_link,
    }


@transaction.atomic
def save_session(session: AuditionSession, *, by) -> AuditionSession:
    """Create or update a session (validated by SessionForm); logged with its settings."""
    if session.pk is not None:
        update_session(session, by=by)
        return session
    session.save()
    activity.record(
        session.round.edition,
        "jury.audition_session_created",
        by=by,
        subject=str(session.reference),
        round=session.round.slug,
        settings=session_summary(session),
    )
    return session


@transaction.atomic
def update_session(session: AuditionSession, *, by) -> SessionMove:
    """Save a changed session; logged with before and after.

    A new start or end moves the session's auditions, sends the updated invitations and asks
    the applicants who chose it again (jury.domain.session_moves, which may refuse with
    SessionMoveRefused: then nothing is saved). Returns what the move did."""
    stored = AuditionSession.objects.select_for_update().get(pk=session.pk)
    session.save()
    move = move_session_auditions(session, stored.starts_at, stored.ends_at)
    activity.record(
        session.round.edition,
        "jury.audition_session_updated",
        by=by,
        subject=str(session.reference),
        round=session.round.slug,
        before=session_summary(stored),
        after=session_summary(session),
        auditions_moved=move.moved,
        availability_asked=move.asked,
    )
    return move


@transaction.atomic
def delete_session(session: AuditionSession, *, by) -> list[str]:
    """Delete a session with its availabilities, attendance and auditions (the dossiers get a
    slot elsewhere at the next run). Refused once a dossier of it was auditioned. Logged;
    returns the references that lost their slot."""
    auditions = list(session.auditions.select_related("application"))
    if any(a.application.state == ApplicationState.AUDITIONED for a in auditions):
        raise AuditionRefused(
            gettext("Des dossiers de cette séance ont été auditionnés : elle est conservée.")
        )
    references = sorted(a.application.reference for a in auditions)
    activity.record(
        session.round.edition,
        "jury.audition_session_deleted",
        by=by,
        subject=str(session.reference),
        round=session.round.slug,
        name=session.name,
        unscheduled=references,
    )
    session.delete()
    return references


@transaction.atomic
def set_attendance(session: AuditionSession, jurors: Iterable[Juror], *, by) -> None:
    """The jurors present at the session (accepted jurors of its round only); logged."""
    wanted = {j.pk: j for j in jurors if j.round_id == session.round_id}
    if any(j.state != JurorState.ACCEPTED for j in wanted.values()):
        raise AuditionRefused(gettext("Seuls les jurés qui ont accepté peuvent être présents."))
    current = set(session.attendances.values_list("juror_id", flat=True))
    added, removed = set(wanted) - current, current - set(wanted)
    if not added and not removed:
        return
    session.attendances.filter(juror_id__in=removed).delete()
    JurorAttendance.objects.bulk_create(
        [JurorAttendance(session=session, juror_id=pk) for pk in sorted(added)]
    )
    references = dict(Juror.objects.filter(pk__in=added | removed).values_list("pk", "reference"))
    activity.record(
        session.round.edition,
        "jury.audition_attendance",
        by=by,
        subject=str(session.reference),
        added=sorted(str(references[pk]) for pk in added),
        removed=sorted(str(references[pk]) for pk in removed),
    )


# ------------------------------------------------------------------------ availabilities


def audition_round_of(application: Application) -> Round | None:
    """The audition round holding the dossier (the last one, should there be several)."""
    return (
        Round.objects.filter(kind=RoundKind.AUDITION, entries__application=application)
        .select_related("edition__contest")
        .order_by("-position", "-pk")
        .first()
    )


@transaction.atomic
def set_availability(
    application: Application, round_: Round, sessions: Iterable[AuditionSession], *, by
) -> None:
    """The sessions of the round the dossier's applicants can attend (replaces the previous
    choice); logged. A scheduled slot in a session no longer accepted moves at the next run."""
    wanted = {s.pk for s in sessions if s.round_id == round_.pk}
    rows = SessionAvailability.objects.filter(application=application, session__round=round_)
    current = set(rows.values_list("session_id", flat=True))
    if wanted == current:
        return
    rows.filter(session_id__in=current - wanted).delete()
    SessionAvailability.objects.bulk_create(
        [
            SessionAvailability(session_id=pk, application=application, by=by)
            for pk in sorted(wanted - current)
        ]
    )
    names = dict(AuditionSession.objects.filter(pk__in=wanted).values_list("pk", "reference"))
    activity.record(
        round_.edition,
        "jury.audition_availability",
        by=by,
        subject=application.reference,
        round=round_.slug,
        sessions=sorted(str(names[pk]) for pk in wanted),
    )


# ------------------------------------------------------------------------------- done


def session_is_done(auditions: Iterable[Audition]) -> bool:
    """A session is done when it has auditions and all their dossiers were auditioned (or left
    the competition since)."""
    auditions = list(auditions)
    return bool(auditions) and all(
        a.application.state not in ApplicationState.awaiting_audition() for a in auditions
    )


@transaction.atomic
def mark_session_done(session: AuditionSession, *, by, now=None) -> list[str]:
    """The organisers say the session's auditions took place: its dossiers become « auditionné ».

    Effects: guard (the session has started); each dossier still to audition goes to
    AUDITIONED through set_application_state — a dossier still « déposé » passes through
    « retenu pour l'audition » first, as the workflow wants; one activity entry
    `jury.auditions_done`. Returns the references moved.
    """
    now = now or timezone.now()
    if session.starts_at > now:
        raise AuditionRefused(
            gettext("La séance « %(name)s » n'a pas encore commencé.") % {"name": session.name}
        )
    auditions = list(
        session.auditions.select_related("application").order_by("application__reference")
    )
    done = []
    reason = gettext("Audition lors de la séance « %(name)s ».") % {"name": session.name}
    for audition in auditions:
        application = audition.application
        if application.state not in ApplicationState.awaiting_audition():
            continue
        if application.state == ApplicationState.SUBMITTED:
            application = set_application_state(
                application, ApplicationState.SHORTLISTED, by=by, reason=reason
            )
        set_application_state(application, ApplicationState.AUDITIONED, by=by, reason=reason)
        done.append(application.reference)
    if not done:
        raise AuditionRefused(gettext("Aucun dossier de cette séance n'attend son audition."))
    activity.record(
        session.round.edition,
        "jury.auditions_done",
        by=by,
        subject=str(session.reference),
        round=session.round.slug,
        auditioned=done,
    )
    return done
