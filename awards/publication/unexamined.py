"""Dossiers still in competition that no round examined: listed before publication, each given
an outcome and a reason by the organisers.

Examined means scored or eliminated in some round of the edition (jury.scoring stores both on
the round entry), or given a level at the deliberation. Any other dossier still in competition —
never put in a round (outside every regional selection), or in rounds where no evaluation was
sent — would otherwise be concluded « non labellisé » with nothing to tell its applicants:
publication refuses while one of them has no decision (`outcomes.blocking_reasons`), and then
concludes each as decided, its reason told to the applicants (`results`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from applications.enums import ApplicationState
from applications.models import Application
from contests import activity
from jury.models import ELIMINATED_ENTRY, RoundEntry

from ..enums import DeliberationState, UnexaminedOutcome
from ..models import Deliberation, UnexaminedDecision


class UnexaminedRefused(Exception):
    """A refused decision; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UnexaminedRow:
    application: Application
    decision: UnexaminedDecision | None


def _examined(deliberation: Deliberation) -> tuple[QuerySet, QuerySet]:
    """The ids of the dossiers of the edition scored or eliminated in a round, and of those
    given a level or a distinction: two subqueries."""
    entries = RoundEntry.objects.filter(round__edition_id=deliberation.edition_id).filter(
        Q(score__isnull=False) | ELIMINATED_ENTRY
    )
    levelled = deliberation.decisions.filter(Q(level__isnull=False) | Q(distinctions__isnull=False))
    return (
        entries.order_by().values("application_id"),
        levelled.order_by().values("application_id"),
    )


def unexamined_applications(deliberation: Deliberation) -> list[Application]:
    """The edition's dossiers still in competition that no round examined, by reference.

    The database leaves the examined ones out: at a large edition, a few hundred dossiers
    are loaded with their lead instead of 2,000."""
    entries, levelled = _examined(deliberation)
    applications = (
        Application.objects.filter(
            edition_id=deliberation.edition_id, state__in=ApplicationState.in_competition()
        )
        .exclude(pk__in=entries)
        .exclude(pk__in=levelled)
        .select_related("lead_organisation", "theme")
        # What the list shows is a dossier's reference, title, state, theme and lead: not
        # its texts, the longest part of its row.
        .defer("summary", "description", "funding", "audience")
        .order_by("reference")
    )
    return list(applications)


def unexamined_rows(deliberation: Deliberation) -> list[UnexaminedRow]:
    """Each dossier no round examined, with the organisers' decision if they took one."""
    decisions = {
        decision.application_id: decision
        for decision in deliberation.unexamined_decisions.select_related("decided_by")
    }
    return [
        UnexaminedRow(application, decisions.get(application.pk))
        for application in unexamined_applications(deliberation)
    ]


def ineligible_refusal(application: Application) -> str | None:
    """Why the dossier can no longer be declared ineligible, if so: only a dossier merely
    submitted can (one shortlisted for the auditions was already found eligible)."""
    if application.state == ApplicationState.SUBMITTED:
        return None
    return gettext(
        "Le dossier %(reference)s est « %(state)s » : il ne peut plus être déclaré "
        "irrecevable. Choisissez « non labellisé »."
    ) % {"reference": application.reference, "state": ApplicationState(application.state).label}


def _locked_open(deliberation: Deliberation, reason: str) -> tuple[Deliberation, str]:
    """The deliberation row locked, refused once published; the reason stripped, required."""
    deliberation = (
        Deliberation.objects.select_for_update().select_related("edition").get(pk=deliberation.pk)
    )
    if deliberation.state == DeliberationState.PUBLISHED:
        raise UnexaminedRefused(gettext("Le palmarès est déjà publié."))
    reason = reason.strip()
    if not reason:
        raise UnexaminedRefused(
            gettext("Indiquez le motif : il sera communiqué aux candidats avec le résultat.")
        )
    return deliberation, reason


def _record(
    deliberation: Deliberation, application: Application, outcome: str, reason: str, *, by
) -> UnexaminedDecision:
    decision, _created = UnexaminedDecision.objects.update_or_create(
        deliberation=deliberation,
        application=application,
        defaults={
            "outcome": outcome,
            "reason": reason,
            "decided_by": by if getattr(by, "pk", None) else None,
            "decided_at": timezone.now(),
        },
    )
    activity.record(
        deliberation.edition,
        "awards.unexamined_decided",
        by=by,
        subject=application.reference,
        outcome=outcome,
        reason=reason,
    )
    return decision


@transaction.atomic
def decide_unexamined(
    deliberation: Deliberation,
    application: Application,
    outcome: str,
    reason: str,
    *,
    by,
) -> UnexaminedDecision:
    """Record the outcome publication will give a dossier no round examined.

    Effects: guards (not published yet; the dossier is one of those no round examined; a
    reason; ineligible only for a dossier merely submitted); the decision created or replaced
    (who, when); activity entry `awards.unexamined_decided` with the outcome and the reason.
    Nothing changes for the dossier until publication.
    """
    deliberation, reason = _locked_open(deliberation, reason)
    if application.pk not in {a.pk for a in unexamined_applications(deliberation)}:
        raise UnexaminedRefused(
            gettext("Le dossier %(reference)s a été examiné : le jury en décide.")
            % {"reference": application.reference}
        )
    if outcome == UnexaminedOutcome.INELIGIBLE and (refusal := ineligible_refusal(application)):
        raise UnexaminedRefused(refusal)
    return _record(deliberation, application, outcome, reason, by=by)


@transaction.atomic
def decide_all_undecided(deliberation: Deliberation, outcome: str, reason: str, *, by) -> list[str]:
    """Give every dossier no round examined and still undecided the same outcome and reason
    (often one cause for all: no selection covered their région); returns their references.

    Effects: the guards of `decide_unexamined`, for all of them at once (one that cannot be
    declared ineligible refuses the whole); one decision and one activity entry per dossier.
    """
    deliberation, reason = _locked_open(deliberation, reason)
    undecided = [row.application for row in unexamined_rows(deliberation) if row.decision is None]
    if not undecided:
        raise UnexaminedRefused(gettext("Aucun dossier non examiné n'attend de décision."))
    if outcome == UnexaminedOutcome.INELIGIBLE:
        refusals = [ineligible_refusal(application) for application in undecided]
        if any(refusals):
            raise UnexaminedRefused(next(refusal for refusal in refusals if refusal))
    for application in undecided:
        _record(deliberation, application, outcome, reason, by=by)
    return [application.reference for application in undecided]
