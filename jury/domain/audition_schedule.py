"""The timetable of a round's auditions from the database: the problem for jury.timetable,
the Audition rows it gives, and on an audition round the jurors assigned to score them (see
jury.domain.auditions for the whole picture)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from applications.enums import ApplicationState
from applications.models import Application
from contests import activity

from ..enums import JurorState, RoundKind
from ..models import (
    Assignment,
    Audition,
    AuditionSession,
    Conflict,
    JurorAttendance,
    Round,
    SessionAvailability,
)
from ..timetable import DossierRequest, SessionSlots, TimetableProblem, solve_timetable
from .assign import replace_solver_assignments


@dataclass(frozen=True)
class ScheduleOutcome:
    created: list[str]
    moved: list[str]
    kept: list[str]
    removed: list[str]
    assignments_created: int = 0
    assignments_removed: int = 0


def round_sessions(round_: Round) -> list[AuditionSession]:
    return list(round_.sessions.order_by("starts_at", "name", "pk"))


def dossiers_to_schedule(round_: Round) -> QuerySet[Application]:
    return Application.objects.filter(
        round_entries__round=round_, state__in=ApplicationState.awaiting_audition()
    ).order_by("reference")


def present_jurors(round_: Round) -> dict[int, set[int]]:
    """Session id → ids of the accepted jurors present."""
    present: dict[int, set[int]] = {}
    for session_id, juror_id in JurorAttendance.objects.filter(
        session__round=round_, juror__state=JurorState.ACCEPTED
    ).values_list("session_id", "juror_id"):
        present.setdefault(session_id, set()).add(juror_id)
    return present


def conflicted_jurors(round_: Round) -> dict[int, set[int]]:
    """Dossier id → ids of the round's jurors in conflict with it (in force or confirmed)."""
    conflicted: dict[int, set[int]] = {}
    for juror_id, application_id in Conflict.objects.effective().juror_pairs(round=round_):
        conflicted.setdefault(application_id, set()).add(juror_id)
    return conflicted


def build_problem(
    round_: Round, sessions: list[AuditionSession], applications: list[Application]
) -> TimetableProblem:
    session_index = {s.pk: i for i, s in enumerate(sessions)}
    present = present_jurors(round_)
    conflicted = conflicted_jurors(round_)
    accepted: dict[int, set[int]] = {}
    for application_id, session_id in SessionAvailability.objects.filter(
        session__round=round_
    ).values_list("application_id", "session_id"):
        accepted.setdefault(application_id, set()).add(session_index[session_id])
    current = {a.application_id: a for a in round_.auditions.all()}
    dossiers = []
    for application in applications:
        audition = current.get(application.pk)
        dossiers.append(
            DossierRequest(
                reference=application.reference,
                sessions=frozenset(accepted.get(application.pk, ())),
                conflicted=frozenset(conflicted.get(application.pk, ())),
                kept_session=session_index.get(audition.session_id) if audition else None,
                kept_start=audition.starts_at if audition else None,
            )
        )
    scheduled = {a.pk for a in applications}
    blocked = tuple(
        (session_index[a.session_id], a.starts_at, a.ends_at)
        for a in current.values()
        if a.application_id not in scheduled and a.session_id in session_index
    )
    return TimetableProblem(
        sessions=[
            SessionSlots(s.name, s.starts_at, s.ends_at, frozenset(present.get(s.pk, ())))
            for s in sessions
        ],
        dossiers=dossiers,
        length_minutes=round_.pitch_minutes + round_.questions_minutes,
        buffer_minutes=round_.buffer_minutes,
        quorum=round_.quorum,
        blocked=blocked,
    )


def schedule_auditions(round_: Round, *, by) -> ScheduleOutcome:
    """Compute and store the round's timetable (raises TimetableInfeasible with its causes).

    Effects, in one transaction: conflicts detected again (a partner added since cannot slip
    through); the dossiers still to audition are placed; their Audition rows are created, moved
    (new session/times, SEQUENCE + 1) or kept; the slots of dossiers no longer to audition
    (withdrawn, eliminated) are deleted, except auditioned ones; on an audition round, jurors
    are assigned (`assign_audition_jurors`); one activity entry `jury.auditions_scheduled`.
    """
    from .conflicts import detect_conflicts_for_round

    detect_conflicts_for_round(round_, by=by)
    sessions = round_sessions(round_)
    applications = list(dossiers_to_schedule(round_))
    problem = build_problem(round_, sessions, applications)
    timetable = solve_timetable(problem)
    with transaction.atomic():
        current = {a.application_id: a for a in round_.auditions.select_for_update()}
        created, moved, kept = [], [], []
        for placement in timetable.placements:
            application = applications[placement.dossier]
            session = sessions[placement.session]
            audition = current.get(application.pk)
            if audition is None:
                Audition.objects.create(
                    round=round_,
                    application=application,
                    session=session,
                    starts_at=placement.starts_at,
                    ends_at=placement.ends_at,
                )
                created.append(application.reference)
            elif (audition.session_id, audition.starts_at, audition.ends_at) != (
                session.pk,
                placement.starts_at,
                placement.ends_at,
            ):
                audition.session = session
                audition.starts_at = placement.starts_at
                audition.ends_at = placement.ends_at
                audition.sequence += 1
                audition.save(update_fields=["session", "starts_at", "ends_at", "sequence"])
                moved.append(application.reference)
            else:
                kept.append(application.reference)
        scheduled = {a.pk for a in applications}
        stale = (
            Audition.objects.filter(round=round_)
            .exclude(application_id__in=scheduled)
            .exclude(application__state=ApplicationState.AUDITIONED)
        )
        removed = sorted(stale.values_list("application__reference", flat=True))
        stale.delete()
        assigned = removed_assignments = 0
        if round_.kind == RoundKind.AUDITION:
            assigned, removed_assignments = assign_audition_jurors(round_, applications, by=by)
        outcome = ScheduleOutcome(
            created=sorted(created),
            moved=sorted(moved),
            kept=sorted(kept),
            removed=removed,
            assignments_created=assigned,
            assignments_removed=removed_assignments,
        )
        activity.record(
            round_.edition,
            "jury.auditions_scheduled",
            by=by,
            subject=round_.slug,
            created=outcome.created,
            moved=outcome.moved,
            kept=len(outcome.kept),
            removed=outcome.removed,
            assignments_created=assigned,
            assignments_removed=removed_assignments,
        )
    return outcome


def assign_audition_jurors(
    round_: Round, applications: list[Application], *, by
) -> tuple[int, int]:
    """Assign to each scheduled dossier the jurors present at its session and not in conflict
    with it (source « solver »), so they score its audition; returns (created, removed).

    Work already started is kept, as in jury.domain.assign: a hand-made assignment or one with an
    evaluation stays; only the solver's untouched assignments that no longer match are removed.
    """
    scheduled = {a.pk for a in applications}
    present = present_jurors(round_)
    conflicted = conflicted_jurors(round_)
    wanted = {
        (audition.application_id, juror_id)
        for audition in round_.auditions.filter(application_id__in=scheduled)
        for juror_id in present.get(audition.session_id, ())
        if juror_id not in conflicted.get(audition.application_id, ())
    }
    existing = {
        (a.application_id, a.juror_id): a
        for a in Assignment.objects.filter(
            juror__round=round_, application_id__in=scheduled
        ).select_related("evaluation")
    }
    # Audition jurors are chosen by presence, not affinity: every pair weighs the same.
    return replace_solver_assignments(existing, dict.fromkeys(wanted, 0.0), by=by)
