"""Submitting a dossier: deadline, completeness, then the transition and the receipt."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from ..enums import ApplicationState
from ..models import Application
from ..receipts import send_submission_receipt
from .calendar import applications_open_at, format_paris, submission_deadline
from .content import missing_for_submission
from .errors import SubmissionRefused, TransitionRefused
from .workflow import set_application_state


def check_deadline(application: Application, now: datetime) -> None:
    """Raise SubmissionRefused (saying the dates, in Paris time) unless `now` lies within the
    edition's applications phase: from its start, strictly before the deadline."""
    deadline = submission_deadline(application.edition)
    if deadline is None:
        raise SubmissionRefused(
            gettext(
                "Aucune date limite de dépôt n'est fixée pour cette édition : le dépôt n'est pas "
                "possible pour le moment ; votre dossier reste en brouillon."
            )
        )
    opens = applications_open_at(application.edition)
    if opens is not None and now < opens:
        day, time = format_paris(opens)
        raise SubmissionRefused(
            gettext(
                "Le dépôt des dossiers ouvre le %(date)s à %(time)s (heure de Paris) ; votre "
                "dossier reste en brouillon."
            )
            % {"date": day, "time": time}
        )
    if now >= deadline:
        day, time = format_paris(deadline)
        raise SubmissionRefused(
            gettext(
                "La date limite de dépôt était le %(date)s à %(time)s (heure de Paris) ; votre "
                "dossier reste en brouillon."
            )
            % {"date": day, "time": time}
        )


def submit_application(
    application: Application, *, by: User, now: datetime | None = None
) -> Application:
    """Submit the dossier, if it is complete and the deadline has not passed.

    Effects:
    1. guard: state editable (TransitionRefused otherwise);
    2. guard: `now` (server time) strictly before the deadline (`submission_deadline`), and not
       before the applications phase opens — a reopened dossier has instead the deadline its
       organiser gave (`reopened_until`); SubmissionRefused with the deadline in Paris time
       otherwise;
    3. guard: completeness; SubmissionRefused listing `missing_for_submission` otherwise;
    4. `set_application_state(… submitted)`: submitted_at, fingerprint, transition log;
    5. after commit: queue the email with the PDF receipt (applications.receipts).
    """
    now = now or timezone.now()
    if application.state not in ApplicationState.editable():
        raise TransitionRefused(gettext("Ce dossier a déjà été déposé ou retiré."))
    if application.state != ApplicationState.REOPENED:
        check_deadline(application, now)
    elif application.reopened_until is not None and now >= application.reopened_until:
        day, time = format_paris(application.reopened_until)
        raise SubmissionRefused(
            gettext(
                "Le dossier rouvert devait être déposé de nouveau avant le %(date)s à %(time)s "
                "(heure de Paris) ; demandez à l'équipe organisatrice de le rouvrir."
            )
            % {"date": day, "time": time}
        )
    missing = missing_for_submission(application)
    if missing:
        raise SubmissionRefused(
            gettext("Le dossier est incomplet ; il manque : %(missing)s.")
            % {"missing": " ; ".join(missing)},
            missing,
        )
    application = set_application_state(application, ApplicationState.SUBMITTED, by=by, at=now)
    reference = application.reference
    transaction.on_commit(lambda: send_submission_receipt.enqueue(reference))
    return application
