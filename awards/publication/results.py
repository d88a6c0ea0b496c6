"""A concluded dossier's result as its applicants are told it: in the result email and on the
dossier's page, from the same reading (`dossier_result`).

- Labelled: the level (its name, as the contest gives it), the project page, the certificate.
- Concluded by the organisers because no round examined it (`UnexaminedDecision`): their
  outcome (not awarded, or ineligible) and their reason, always told: they wrote it for them.
- Not labelled or eliminated: when the deliberation sends reasons (`send_reasons`), the jury's
  reason for its decision and the criteria judged insufficient with the jurors' comments (the
  comment field tells jurors it goes to the applicants word for word).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext

from applications.enums import ApplicationState
from applications.models import Application
from contests.models import Edition
from jury.models import RoundEntry

from ..enums import DeliberationState, UnexaminedOutcome
from ..models import Award, Deliberation, UnexaminedDecision


def elimination_reasons(application: Application) -> list[str]:
    """The criteria judged insufficient in the rounds that eliminated the dossier, with the
    jurors' comments."""
    reasons = []
    entries = (
        RoundEntry.objects.filter(application=application)
        .eliminated()
        .order_by("round__position", "round__pk")
    )
    for entry in entries:
        for item in entry.elimination:
            comments = [comment.strip() for comment in item.get("comments", []) if comment.strip()]
            text = gettext("Critère « %(criterion)s » jugé insuffisant") % {
                "criterion": item.get("criterion", "")
            }
            reasons.append(f"{text} : {' / '.join(comments)}" if comments else f"{text}.")
    return reasons


@dataclass(frozen=True)
class DossierResult:
    application: Application
    award: Award | None  # with its level, theme and distinctions
    closing: UnexaminedDecision | None  # the organisers' outcome for a dossier never examined
    reasons: list[str] = field(default_factory=list)

    @property
    def ineligible(self) -> bool:
        return self.closing is not None and self.closing.outcome == UnexaminedOutcome.INELIGIBLE

    @property
    def project_path(self) -> str:
        return reverse("catalogue:project", args=[self.award.slug]) if self.award else ""

    @property
    def certificate_path(self) -> str:
        return reverse("awards:certificate", args=[self.award.slug]) if self.award else ""


def dossier_result(deliberation: Deliberation, application: Application) -> DossierResult:
    """What the applicants of `application` are told of its result (rules: module docstring)."""
    award = (
        Award.objects.filter(application=application)
        .select_related("level", "theme")
        .prefetch_related("distinctions")
        .first()
    )
    closing = deliberation.unexamined_decisions.filter(application=application).first()
    reasons: list[str] = []
    if award is None and closing is not None:
        reasons = [closing.reason.strip()]
    elif award is None and deliberation.send_reasons:
        decision = deliberation.decisions.filter(application=application).first()
        if decision and decision.reason.strip():
            reasons.append(decision.reason.strip())
        reasons += elimination_reasons(application)
    return DossierResult(application, award, closing, reasons)


def published_result(application: Application) -> DossierResult | None:
    """The dossier's result once its edition's palmarès is published and public; None before
    (the embargo holds: no level, reason or link shows until then) or for a dossier publication
    did not conclude."""
    deliberation = (
        Deliberation.objects.filter(
            edition_id=application.edition_id, state=DeliberationState.PUBLISHED
        )
        .select_related("edition")
        .first()
    )
    if deliberation is None:
        return None
    result = dossier_result(deliberation, application)
    concluded = application.state in ApplicationState.concluded() or (
        result.ineligible and application.state == ApplicationState.INELIGIBLE
    )
    if not concluded:
        return None
    if not Edition.objects.public().filter(pk=application.edition_id).exists():
        return None
    return result
