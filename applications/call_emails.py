"""The email that tells applicants with a draft that the deadline moved later.

contests.call.extend_deadline sends `call_deadline_extended`; this receiver (connected in
ApplicationsConfig.ready) queues one email per person and per draft dossier in the outbox, in the
extension's transaction: they are delivered once it is committed, and never if it is not.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contests.call import paris_text
from contests.models import Edition
from notifications.outbox import email_kind, queue_email

from .enums import ApplicationState
from .mailing import recipients_by_application
from .models import Application

DEADLINE_EXTENDED_EMAIL = email_kind(
    "applications.deadline_extended", _("Report de la date limite de dépôt")
)


def on_deadline_extended(
    sender, *, edition: Edition, previous: datetime, deadline: datetime, **kwargs
) -> int:
    """Queue the emails; returns how many (one per person and per draft dossier)."""
    drafts = list(
        Application.objects.filter(edition=edition, state=ApplicationState.DRAFT)
        .select_related("edition__contest", "lead_organisation")
        .order_by("reference")
    )
    recipients = recipients_by_application(drafts, partners=False)
    subject = gettext("%(contest)s %(year)s : la date limite de dépôt est reportée au %(date)s") % {
        "contest": edition.contest.name,
        "year": edition.year,
        "date": paris_text(deadline),
    }
    queued = 0
    for application in drafts:
        body = render_to_string(
            "applications/call/emails/deadline_extended.txt",
            {
                "edition": edition,
                "application": application,
                "deadline": paris_text(deadline),
                "previous": paris_text(previous),
                "url": settings.SITE_URL
                + reverse("applications:edit", kwargs={"reference": application.reference}),
            },
        )
        # One message per person: members of one structure need not see each other's addresses.
        for address in recipients[application.pk]:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            if queue_email(message, kind=DEADLINE_EXTENDED_EMAIL, context=str(edition)):
                queued += 1
    return queued
