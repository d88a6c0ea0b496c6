"""The emails telling each applicant its result, sent after publication."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain import applicant_emails
from applications.enums import ApplicationState
from applications.models import Application
from contests.enums import STANDARD_LEVEL_LABELS
from notifications.outbox import email_kind, queue_email

from ..distinctions import award_distinctions, distinction_names
from ..enums import DeliberationState, UnexaminedOutcome
from ..models import Deliberation
from .results import dossier_result, elimination_reasons

__all__ = ["RESULT_EMAIL", "elimination_reasons", "result_message", "send_result_emails"]

RESULT_EMAIL = email_kind("awards.result", _("Résultat d'un dossier"))


def result_message(deliberation: Deliberation, application: Application) -> tuple[str, str]:
    """The subject and body of the email telling the applicants of `application` its result."""
    edition = deliberation.edition
    result = dossier_result(deliberation, application)
    values = {
        "edition": str(edition),
        # « du Label … 2028 », « de la Start-up … 2028 »: the contest with its article.
        "of_edition": f"{edition.contest.with_article('de')} {edition.year}",
        "title": application.title,
        "reference": application.reference,
    }
    if result.award is not None:
        # « lauréat », not « labellisé »: every contest's word for it (issue 16).
        subject = gettext("%(edition)s : le projet « %(title)s » est lauréat") % values
        level = result.award.level
        names = distinction_names(award_distinctions(result.award))
        if level is None:  # a distinction alone, by the contest's names for it
            decided = gettext(
                "Le jury %(of_edition)s a distingué le projet « %(title)s » (dossier "
                "%(reference)s) : %(distinctions)s."
            ) % (values | {"distinctions": names})
        elif level.code in STANDARD_LEVEL_LABELS:
            decided = gettext(
                "Le jury %(of_edition)s a décerné le label %(level)s au projet « %(title)s » "
                "(dossier %(reference)s)."
            ) % (values | {"level": level.label})
        else:  # a contest's own level, by its name (« Niveau 2 »), never « label niveau 2 »
            decided = gettext(
                "Le jury %(of_edition)s a distingué le projet « %(title)s » (dossier "
                "%(reference)s) : %(level)s."
            ) % (values | {"level": level.name})
        if level is not None and names:
            decided += " " + gettext("Il lui a aussi décerné : %(distinctions)s.") % {
                "distinctions": names
            }
        lines = [
            decided,
            "",
            gettext("Félicitations ! Le projet est au palmarès : %(url)s")
            % {"url": settings.SITE_URL + result.project_path},
        ]
    else:
        subject = gettext("%(edition)s : résultat du projet « %(title)s »") % values
        if result.ineligible:
            opening = gettext(
                "L'équipe organisatrice %(of_edition)s a déclaré le projet « %(title)s » "
                "(dossier %(reference)s) irrecevable."
            )
        elif result.closing is not None:
            opening = gettext(
                "L'équipe organisatrice %(of_edition)s a clos le dossier du projet « %(title)s » "
                "(dossier %(reference)s) sans le labelliser."
            )
        else:
            opening = gettext(
                "Le jury %(of_edition)s n'a pas labellisé le projet « %(title)s » "
                "(dossier %(reference)s)."
            )
        lines = [opening % values]
        if result.reasons:
            lines += ["", gettext("Motifs :"), *(f"- {reason}" for reason in result.reasons)]
        lines += ["", gettext("Merci pour votre candidature.")]
    body = "\n".join([gettext("Bonjour,"), "", *lines, "", edition.contest.signature])
    return subject, body


def send_result_emails(deliberation_id: int) -> int:
    """Email each applicant of each concluded dossier its result, one message per recipient
    (members of different structures need not see each other's addresses), all queued in the
    outbox together. Returns the number of messages queued; nothing before publication."""
    deliberation = (
        Deliberation.objects.filter(pk=deliberation_id, state=DeliberationState.PUBLISHED)
        .select_related("edition__contest")
        .first()
    )
    if deliberation is None:
        return 0
    # The concluded dossiers, and those publication declared ineligible (never examined).
    ineligible = deliberation.unexamined_decisions.filter(
        outcome=UnexaminedOutcome.INELIGIBLE
    ).values("application_id")
    applications = (
        Application.objects.filter(edition=deliberation.edition)
        .filter(Q(state__in=ApplicationState.concluded()) | Q(pk__in=ineligible))
        .order_by("reference")
    )
    sent = 0
    context = str(deliberation.edition)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for application in applications:
            subject, body = result_message(deliberation, application)
            for recipient in applicant_emails(application):
                message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
                queue_email(message, kind=RESULT_EMAIL, context=context)
                sent += 1
    return sent
