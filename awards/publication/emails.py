"""The emails telling each applicant its result, sent after publication."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.domain import applicant_emails
from applications.enums import ApplicationState
from applications.models import Application
from jury.models import RoundEntry
from notifications.outbox import email_kind, queue_email

from ..enums import DeliberationState
from ..models import Award, Deliberation

RESULT_EMAIL = email_kind("awards.result", _("Résultat d'un dossier"))


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


def result_message(deliberation: Deliberation, application: Application) -> tuple[str, str]:
    """The subject and body of the email telling the applicants of `application` its result."""
    edition = deliberation.edition
    award = Award.objects.filter(application=application).select_related("level").first()
    values = {
        "edition": str(edition),
        "title": application.title,
        "reference": application.reference,
    }
    if award is not None:
        subject = gettext("%(edition)s : le projet « %(title)s » est labellisé") % values
        lines = [
            gettext(
                "Le jury du %(edition)s a décerné le label %(level)s au projet « %(title)s » "
                "(dossier %(reference)s)."
            )
            % (values | {"level": award.level.label}),
            "",
            gettext("Félicitations ! Le projet est au palmarès : %(url)s")
            % {"url": settings.SITE_URL + reverse("catalogue:project", args=[award.slug])},
        ]
    else:
        subject = gettext("%(edition)s : résultat du projet « %(title)s »") % values
        lines = [
            gettext(
                "Le jury du %(edition)s n'a pas labellisé le projet « %(title)s » "
                "(dossier %(reference)s)."
            )
            % values
        ]
        reasons = _reasons(deliberation, application) if deliberation.send_reasons else []
        if reasons:
            lines += ["", gettext("Motifs :"), *(f"- {reason}" for reason in reasons)]
        lines += ["", gettext("Merci pour votre candidature.")]
    body = "\n".join([gettext("Bonjour,"), "", *lines, "", gettext("L'équipe Palmarès")])
    return subject, body


def _reasons(deliberation: Deliberation, application: Application) -> list[str]:
    decision = deliberation.decisions.filter(application=application).first()
    reasons = [decision.reason.strip()] if decision and decision.reason.strip() else []
    return reasons + elimination_reasons(application)


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
    applications = Application.objects.filter(
        edition=deliberation.edition, state__in=ApplicationState.concluded()
    ).order_by("reference")
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
