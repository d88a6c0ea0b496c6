"""The jury app's models: selection (rounds, jurors, conflicts, assignment, evaluations) and
auditions (sessions, availabilities, attendance, timetable)."""

from .auditions import Audition, AuditionSession, JurorAttendance, SessionAvailability
from .selection import (
    ELIMINATED_ENTRY,
    Assignment,
    Conflict,
    CriterionScore,
    Eligibility,
    Evaluation,
    Juror,
    JuryReminderSent,
    Promotion,
    Round,
    RoundEntry,
    ScoreChange,
    invitation_token,
)

__all__ = [
    "ELIMINATED_ENTRY",
    "Assignment",
    "Audition",
    "AuditionSession",
    "Conflict",
    "CriterionScore",
    "Eligibility",
    "Evaluation",
    "Juror",
    "JurorAttendance",
    "JuryReminderSent",
    "Promotion",
    "Round",
    "RoundEntry",
    "ScoreChange",
    "SessionAvailability",
    "invitation_token",
]
