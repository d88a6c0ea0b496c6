"""The dossier workflow: one table of allowed transitions, one function that changes state.

`withdraw_application` and `reopen_application` are thin wrappers that add their own guard and
notification; `submission.submit_application` is the third.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import MembershipState
from accounts.models import User
from territories.models import Organisation

from ..enums import ApplicationState
from ..models import Application, Transition
from .content import content_fingerprint
from .errors import TransitionRefused
from .notices import tell_reopened

activity = logging.getLogger("activity")

# How long applicants have, by default, to change a reopened dossier and submit it again.
REOPEN_DAYS = timedelta(days=14)

# The workflow: which state may follow which. Later issues (jury, deliberation) use the
# transitions after "submitted"; withdrawal is open until deliberation (docs/architecture.md).
S = ApplicationState
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # Publication (awards.publication) concludes every dossier still in competition: a dossier
    # deliberated in a round without auditions is still "submitted" (promotions add round
    # entries, not states), so it goes straight to awarded or not awarded.
    S.SUBMITTED: frozenset(
        {
            S.REOPENED,
            S.WITHDRAWN,
            S.INELIGIBLE,
            S.ELIMINATED,
            S.SHORTLISTED,
            S.AWARDED,
            S.NOT_AWARDED,
        }
    ),
    S.REOPENED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.INELIGIBLE: frozenset({S.SUBMITTED}),  # an organiser corrects an eligibility decision
    S.ELIMINATED: frozenset(),
    # Awarded without audition: shortlisted, then labelled on the jury's scores alone.
    S.SHORTLISTED: frozenset({S.AUDITIONED, S.AWARDED, S.NOT_AWARDED, S.WITHDRAWN}),
    S.AUDITIONED: frozenset({S.AWARDED, S.NOT_AWARDED, S.WITHDRAWN}),
    S.AWARDED: frozenset(),
    S.NOT_AWARDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
del S


def log(what: str, application: Application, by: User | None, **details: object) -> None:
    activity.info(
        what,
        extra={"application": application.reference, "by": getattr(by, "pk", None), **details},
    )


def record_transition(
    application: Application, from_state: str, to_state: str, *, by, at: datetime, reason: str
) -> Transition:
    return Transition.objects.create(
        application=application,
        from_state=from_state,
        to_state=to_state,
        by=by if getattr(by, "pk", None) else None,
        at=at,
        reason=reason,
    )


@transaction.atomic
def set_application_state(
    application: Application,
    new_state: str,
    *,
    by: User | None,
    reason: str = "",
    at: datetime | None = None,
) -> Application:
    """THE one way a dossier changes state.

    Effects, in one transaction:
    1. guard: re-read the row locked; `new_state` must follow its current state in
       ALLOWED_TRANSITIONS (TransitionRefused otherwise);
    2. clean-up: on submission by the applicants, stamp `submitted_at` and the content
       fingerprint;
    3. `save(update_fields=…)` of the state (and the version, so an edit form opened before the
       change cannot overwrite it);
    4. a Transition row (who, when, from, to, reason) and the activity log.
    Notifications belong to the wrappers (submission receipt, reopening email).
    """
    at = at or timezone.now()
    current = Application.objects.select_for_update().get(pk=application.pk)
    from_state = current.state
    if new_state not in ALLOWED_TRANSITIONS.get(from_state, frozenset()):
        raise TransitionRefused(
            gettext("Un dossier « %(from)s » ne peut pas passer à l'état « %(to)s ».")
            % {
                "from": ApplicationState(from_state).label,
                "to": ApplicationState(new_state).label,
            }
        )
    current.state = new_state
    current.version = current.version + 1
    update_fields = ["state", "version", "updated_at"]
    # An organiser correcting an eligibility decision (ineligible → submitted) does not change
    # when the applicants submitted, nor what.
    if new_state == ApplicationState.SUBMITTED and from_state != ApplicationState.INELIGIBLE:
        current.submitted_at = at
        current.submitted_fingerprint = content_fingerprint(current)
        update_fields += ["submitted_at", "submitted_fingerprint"]
    current.save(update_fields=update_fields)
    record_transition(current, from_state, new_state, by=by, at=at, reason=reason)
    log("state changed", current, by, from_state=from_state, to_state=new_state)
    return current


def withdraw_application(application: Application, *, by: User, reason: str = "") -> Application:
    """Withdraw the dossier (applicants, until deliberation): one transition, reason optional."""
    if application.state not in ApplicationState.withdrawable():
        raise TransitionRefused(gettext("Ce dossier ne peut plus être retiré."))
    return set_application_state(application, ApplicationState.WITHDRAWN, by=by, reason=reason)


def applicant_emails(application: Application) -> list[str]:
    """Addresses of the confirmed members of the lead and partner organisations."""
    organisations = Q(pk=application.lead_organisation_id) | Q(
        application_partnerships__application=application
    )
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__state=MembershipState.CONFIRMED,
                memberships__organisation__in=Organisation.objects.filter(organisations),
            ).values_list("email", flat=True)
        )
    )


def reopen_application(
    application: Application, *, by: User, reason: str, until: datetime | None = None
) -> Application:
    """Reopen a submitted dossier so its applicants can change it until `until` (organisers).

    Effects: guards (a reason is mandatory; `until`, by default REOPEN_DAYS from now, must be in
    the future), one transition submitted → reopened with the reason, the new deadline stored
    on the dossier, then an email to the applicants (confirmed members of lead and partners)
    with the dossier's link and that deadline, after commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(gettext("Indiquez la raison de la réouverture du dossier."))
    now = timezone.now()
    until = until or now + REOPEN_DAYS
    if until <= now:
        raise TransitionRefused(
            gettext("La nouvelle date limite doit être dans le futur (heure de Paris).")
        )
    with transaction.atomic():
        application = set_application_state(
            application, ApplicationState.REOPENED, by=by, reason=reason
        )
        application.reopened_until = until
        application.save(update_fields=["reopened_until"])
        tell_reopened(application, applicant_emails(application), reason=reason)
    return application
