"""The refusals of the dossier domain; each carries a French `message`, ready to show."""

from datetime import datetime

from django.utils.translation import gettext

from .calendar import format_paris


class ApplicationError(Exception):
    """A refused operation on a dossier; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleVersion(ApplicationError):
    """Someone saved the dossier after the version the user started from."""

    def __init__(self, current_version: int, changed_at: datetime | None) -> None:
        if changed_at is not None:
            day, hour = format_paris(changed_at)
            message = gettext(
                "Ce dossier a été modifié par une autre personne le %(date)s à %(time)s, "
                "pendant que vous le modifiiez."
            ) % {"date": day, "time": hour}
        else:
            message = gettext(
                "Ce dossier a été modifié par une autre personne pendant que vous le modifiiez."
            )
        super().__init__(message)
        self.current_version = current_version
        self.changed_at = changed_at


class NotEditable(ApplicationError):
    """The dossier's state does not allow changes (submitted, withdrawn…)."""


class SubmissionRefused(ApplicationError):
    """Submission refused: past the deadline, or incomplete (`missing` lists what lacks)."""

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


class TransitionRefused(ApplicationError):
    """A change of state the workflow does not allow, or a missing reason."""
