"""Eligibility: organisers declare each submitted dossier eligible, or ineligible with a reason.

The decision is an `Eligibility` row; an ineligible dossier also changes state (SUBMITTED →
INELIGIBLE through `set_application_state`, and back to SUBMITTED when the decision is
corrected), so the applicants see it everywhere their dossier's state shows. Rounds take only the
dossiers declared eligible (jury.domain.rounds.fill_round).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain import applicant_emails, set_application_state
from applications.domain.notices import dossier_url, send_each
from applications.enums import ApplicationState
from applications.models import Application
from contests import activity
from contests.models import Edition
from notifications.outbox import email_kind
from palmares.dates import long_date

from ..models import Eligibility, RoundEntry

ELIGIBILITY_EMAIL = email_kind("jury.eligibility", _("Décision de recevabilité"))


class EligibilityRefused(Exception):
    """A refused eligibility decision; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def eligibility_candidates(edition: Edition) -> QuerySet[Application]:
    """The dossiers the eligibility page lists: submitted or ineligible, plus any dossier that
    already has a decision (it may have moved on, e.g. into a round and then eliminated)."""
    return Application.objects.filter(edition=edition).filter(
        Q(state__in=ApplicationState.eligibility_open()) | Q(eligibility__isnull=False)
    )


def filter_by_decision(queryset: QuerySet[Application], decision: str) -> QuerySet[Application]:
    """The dossiers declared eligible, ineligible, or not decided yet ("undecided")."""
    if decision == "undecided":
        return queryset.filter(eligibility__isnull=True)
    return queryset.filter(eligibility__eligible=decision == "eligible")


def _notify(application: Application, subject: str, body: str) -> None:
    """One message per applicant, through the outbox (members of different structures need
    not see each other's addresses; nothing is sent if the decision is rolled back, and a mail
    server down never turns the decision into an error)."""
    send_each(
        applicant_emails(application),
        subject,
        body,
        kind=ELIGIBILITY_EMAIL,
        context=str(application.edition),
        sender=application.edition.contest.name,
    )


def _what_comes_next(application: Application) -> str:
    """The edition's next dated steps, one per line (« - Notation du jury : à partir du … »)."""
    phases = application.edition.phases.filter(starts_at__gt=timezone.now()).order_by("starts_at")[
        :3
    ]
    return "\n".join(
        gettext("- %(phase)s : à partir du %(date)s")
        % {"phase": phase.get_kind_display(), "date": long_date(phase.starts_at)}
        for phase in phases
    )


def _words(application: Application) -> dict[str, object]:
    contest = application.edition.contest
    return {
        "reference": application.reference,
        "title": application.title or gettext("(sans titre)"),
        "contest_name": contest.name,
        "contest": contest.with_article("à"),
        "year": application.edition.year,
        "url": dossier_url(application),
        "signature": contest.signature,
    }


def _tell_ineligible(application: Application, reason: str) -> None:
    words = _words(application) | {"reason": reason}
    subject = (
        gettext("%(contest_name)s %(year)s : votre dossier %(reference)s n'est pas recevable")
        % words
    )
    body = (
        gettext(
            "Bonjour,\n\nL'équipe organisatrice a examiné le dossier %(reference)s « %(title)s » "
            "déposé %(contest)s %(year)s : il n'est pas recevable et ne poursuit pas la "
            "sélection.\n\nMotif : %(reason)s\n\nEt maintenant ? Le dossier reste consultable ; "
            "si vous pensez que cette décision repose sur une erreur, répondez à l'équipe "
            "organisatrice, qui peut la corriger :\n%(url)s\n\n%(signature)s"
        )
        % words
    )
    _notify(application, subject, body)


def _tell_eligible(application: Application, *, corrected: bool) -> None:
    words = _words(application)
    subject = gettext("%(contest_name)s %(year)s : votre dossier %(reference)s est recevable") % (
        words
    )
    if corrected:
        opening = gettext(
            "L'équipe organisatrice a revu sa décision : le dossier %(reference)s « %(title)s » "
            "déposé %(contest)s %(year)s est recevable et poursuit la sélection."
        )
    else:
        opening = gettext(
            "L'équipe organisatrice a examiné le dossier %(reference)s « %(title)s » déposé "
            "%(contest)s %(year)s : il est recevable et poursuit la sélection."
        )
    steps = _what_comes_next(application)
    lines = [gettext("Bonjour,"), "", opening % words, ""]
    lines.append(
        gettext(
            "Et maintenant ? Rien à faire pour l'instant : le jury examine les dossiers "
            "recevables et vous serez informés par courriel de la suite."
        )
    )
    if steps:
        lines += ["", gettext("Prochaines étapes de l'édition :"), steps]
    lines += ["", gettext("Suivre le dossier : %(url)s") % words, "", str(words["signature"])]
    _notify(application, subject, "\n".join(lines))


@transaction.atomic
def decide_eligibility(
    application: Application, *, eligible: bool, reason: str = "", by
) -> Eligibility:
    """Declare a dossier eligible, or ineligible with a reason.

    Effects, in one transaction:
    1. guards: a reason is mandatory when ineligible; the dossier must be submitted or
       ineligible; an ineligible decision is refused once the dossier is in a round;
    2. the state: SUBMITTED → INELIGIBLE (the reason on the transition), or INELIGIBLE →
       SUBMITTED when an organiser corrects the decision;
    3. the Eligibility row (created or updated), then the activity log;
    4. after commit, an email to each applicant with the decision, either way, and what comes
       next (the edition's next steps, or how to contest a refusal), with the dossier's link.
    Deciding again exactly what is already decided changes nothing and logs nothing.
    """
    reason = (reason or "").strip() if not eligible else ""
    if not eligible and not reason:
        raise EligibilityRefused(gettext("Indiquez le motif de l'irrecevabilité."))
    application = Application.objects.select_related("edition__contest").get(pk=application.pk)
    if application.state not in ApplicationState.eligibility_open():
        raise EligibilityRefused(
            gettext(
                "La recevabilité du dossier %(reference)s ne peut plus changer : il est dans "
                "l'état « %(state)s »."
            )
            % {
                "reference": application.reference,
                "state": ApplicationState(application.state).label,
            }
        )
    previous = Eligibility.objects.filter(application=application).first()
    if previous is not None and (previous.eligible, previous.reason) == (eligible, reason):
        return previous
    if not eligible:
        entry = RoundEntry.objects.filter(application=application).select_related("round").first()
        if entry is not None:
            raise EligibilityRefused(
                gettext(
                    "Le dossier %(reference)s figure déjà dans le tour « %(round)s » : il ne "
                    "peut plus être déclaré irrecevable."
                )
                % {"reference": application.reference, "round": entry.round.name}
            )

    if not eligible and application.state == ApplicationState.SUBMITTED:
        application = set_application_state(
            application, ApplicationState.INELIGIBLE, by=by, reason=reason
        )
    elif eligible and application.state == ApplicationState.INELIGIBLE:
        application = set_application_state(
            application,
            ApplicationState.SUBMITTED,
            by=by,
            reason=gettext("Décision de recevabilité corrigée : dossier recevable."),
        )
    decision, _created = Eligibility.objects.update_or_create(
        application=application,
        defaults={
            "eligible": eligible,
            "reason": reason,
            "decided_by": by if getattr(by, "pk", None) else None,
            "decided_at": timezone.now(),
        },
    )
    activity.record(
        application.edition,
        "jury.eligibility_decided",
        by=by,
        subject=application.reference,
        eligible=eligible,
        reason=reason,
        previous=None if previous is None else {"eligible": previous.eligible},
    )
    if not eligible:
        _tell_ineligible(application, reason)
    else:
        _tell_eligible(application, corrected=previous is not None and not previous.eligible)
    return decision


def mark_undecided_eligible(applications: Iterable[Application], *, by) -> list[str]:
    """Declare eligible every given dossier that is submitted and has no decision yet.

    One `decide_eligibility` per dossier (so one log entry each), all in one transaction.
    Returns the references declared eligible.
    """
    done = []
    with transaction.atomic():
        for application in applications:
            if application.state != ApplicationState.SUBMITTED:
                continue
            if Eligibility.objects.filter(application=application).exists():
                continue
            decide_eligibility(application, eligible=True, by=by)
            done.append(application.reference)
    return done
