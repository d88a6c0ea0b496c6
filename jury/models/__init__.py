"""The jury app's models: jurors (the edition's jury members, their seats in rounds, their
conflicts), selection (rounds, assignment, evaluations) and auditions (sessions,
availabilities, attendance, timetable)."""

from .auditions import (
    Audition,
    AuditionSession,
    AvailabilityRequest,
    JurorAttendance,
    SessionAvailability,
)
from .jurors import Conflict, Juror, JuryMember, invitation_token
from .selection import (
    ELIMINATED_ENTRY,
    Assignment,
    CriterionScore,
    Eligibility,
    Evaluation,
    JuryReminderSent,
    Promotion,
    Round,
    RoundEntry,
    ScoreChange,
)

__all__ = [
    "ELIMINATED_ENTRY",
    "Assignment",
    "Audition",
    "AuditionSession",
    "AvailabilityRequest",
    "Conflict",
    "CriterionScore",
    "Eligibility",
    "Evaluation",
    "Juror",
    "JurorAttendance",
    "JuryMember",
    "JuryReminderSent",
    "Promotion",
    "Round",
    "RoundEntry",
    "ScoreChange",
    "SessionAvailability",
    "invitation_token",
]
