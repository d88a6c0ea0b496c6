"""When a dossier may be submitted: the deadline, read from the edition's dated phases."""

from datetime import datetime
from zoneinfo import ZoneInfo

from contests.enums import PhaseKind
from contests.models import Edition, Phase

# Deadlines are judged on server time and told in Paris time, whatever the server's zone.
PARIS = ZoneInfo("Europe/Paris")


def submission_deadline(edition: Edition) -> datetime | None:
    """When submissions close: the start of the phase that follows "applications open".

    None when the edition has no applications phase or nothing after it (no deadline is set,
    so nothing can be submitted).
    """
    phases = sorted(edition.phases.all(), key=lambda phase: phase.starts_at)
    for index, phase in enumerate(phases):
        if phase.kind == PhaseKind.APPLICATIONS_OPEN:
            return phases[index + 1].starts_at if index + 1 < len(phases) else None
    return None


def applications_open_at(edition: Edition) -> datetime | None:
    phase: Phase | None = next(
        (p for p in edition.phases.all() if p.kind == PhaseKind.APPLICATIONS_OPEN), None
    )
    return phase.starts_at if phase else None


def format_paris(moment: datetime) -> tuple[str, str]:
    """(date, time) of `moment` in Paris, as "15/01/2026" and "12:00"."""
    local = moment.astimezone(PARIS)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")
