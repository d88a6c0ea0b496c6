"""Emails from the organisers to the applicants: templated mailings and deadline reminders.

Both run as django.tasks tasks (the database backend in production, run by `manage.py
db_worker`; the immediate backend in tests). Recipients are always the confirmed, active members
of the structures concerned, looked up for all dossiers at once.

A mailing's subject and body are organiser-written templates restricted to a few variables
({{ reference }}, {{ title }}…): they are rendered by Django's template engine, after a check
that refuses any tag ({% … %}), comment or unknown variable, so nothing but those values can
ever be read from the server.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template import Context, Engine
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import Membership, User
from contests.domain import edition_allows
from contests.models import Edition
from notifications.outbox import email_kind, queue_email

from .domain import format_paris, submission_deadline
from .enums import ApplicationState
from .listing import filtered_applications
from .models import Application, Mailing, ReminderSent

activity = logging.getLogger("activity")

MAILING_EMAIL = email_kind("applications.mailing", _("Courriel aux candidats"))
DEADLINE_REMINDER_EMAIL = email_kind(
    "applications.deadline_reminder", _("Rappel de la date limite de dépôt")
)

# The variables a mailing may use, with what each one stands for (shown in the form's help).
PLACEHOLDERS: dict[str, str] = {
    "reference": _("la référence du dossier"),
    "title": _("le titre du projet"),
    "organisation": _("la structure porteuse"),
    "edition": _("l'édition, par exemple « Label Territoire Innovant 2026 »"),
    "deadline": _("la date limite de dépôt"),
}

# Plain text: no HTML escaping of « & » or « ' » in titles and names.
_ENGINE = Engine(autoescape=False)


def placeholder_list() -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def check_template(text: str) -> None:
    """Refuse anything but plain text and the known variables, with one message per problem."""
    errors: list[ValidationError] = []
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            errors.append(
                ValidationError(
                    _(
                        "Les balises comme « {%% %(tag)s %%} » ne sont pas permises : seules les "
                        "variables entre doubles accolades le sont (%(variables)s)."
                    ),
                    code="tag",
                    params={"tag": token.contents, "variables": placeholder_list()},
                )
            )
        elif token.token_type == TokenType.COMMENT:
            errors.append(
                ValidationError(
                    _("Les commentaires « {# … #} » ne sont pas permis : retirez-les."),
                    code="comment",
                )
            )
        elif token.token_type == TokenType.VAR and token.contents not in PLACEHOLDERS:
            errors.append(
                ValidationError(
                    _(
                        "« {{ %(name)s }} » n'est pas une variable connue. Variables possibles : "
                        "%(variables)s."
                    ),
                    code="unknown_variable",
                    params={"name": token.contents, "variables": placeholder_list()},
                )
            )
    if errors:
        raise ValidationError(errors)


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Render a text that passed `check_template` with `values` (all PLACEHOLDERS)."""
    rendered = _ENGINE.from_string(text).render(Context(dict(values), autoescape=False))
    # The engine marks its output safe for HTML. It is plain text written with applicants'
    # titles: a plain str, so that any page showing it (the preview) escapes it.
    return str.__str__(rendered)


def deadline_text(edition: Edition) -> str:
    deadline = submission_deadline(edition)
    if deadline is None:
        return gettext("date non fixée")
    day, time = format_paris(deadline)
    return gettext("%(date)s à %(time)s (heure de Paris)") % {"date": day, "time": time}


def placeholder_values(application: Application, *, deadline: str) -> dict[str, str]:
    return {
        "reference": application.reference,
        "title": application.title or gettext("(sans titre)"),
        "organisation": application.lead_organisation.name,
        "edition": str(application.edition),
        "deadline": deadline,
    }


def recipients_by_application(
    applications: Iterable[Application], *, partners: bool = True
) -> dict[int, list[str]]:
    """Addresses of the confirmed, active members of each dossier's lead organisation (and
    partners, if `partners`), sorted and without repeats; one query for all dossiers.

    With `partners`, reads the dossiers' `application_partners` (prefetch them)."""
    organisations: dict[int, set[int]] = {}
    for application in applications:
        ids = {application.lead_organisation_id}
        if partners:
            ids |= {partner.organisation_id for partner in application.application_partners.all()}
        organisations[application.pk] = ids
    wanted = set().union(*organisations.values()) if organisations else set()
    emails: dict[int, set[str]] = defaultdict(set)
    for organisation_id, email in Membership.objects.filter(
        organisation_id__in=wanted, state=MembershipState.CONFIRMED, user__is_active=True
    ).values_list("organisation_id", "user__email"):
        emails[organisation_id].add(email)
    return {
        pk: sorted(set().union(*(emails[organisation] for organisation in ids)))
        for pk, ids in organisations.items()
    }


# ------------------------------------------------------------------------------ mailings


@dataclass
class MailingPlan:
    """Who a mailing reaches, and the email of its first recipient dossier (the preview)."""

    messages: list[EmailMessage] = field(default_factory=list)
    applications_count: int = 0
    without_recipients: list[str] = field(default_factory=list)  # references

    @property
    def recipients_count(self) -> int:
        return len({address for message in self.messages for address in message.recipients()})

    @property
    def first(self) -> EmailMessage | None:
        return self.messages[0] if self.messages else None


def plan_mailing(
    edition: Edition, filters: Mapping[str, str], subject: str, body: str, *, reply_to: str = ""
) -> MailingPlan:
    """One email per dossier of the filtered list that has recipients, in reference order.

    Addresses go in Bcc: members of the lead and of the partner structures need not learn each
    other's addresses from the organisers' email. Replies go to the organiser who wrote it.
    """
    applications = list(
        filtered_applications(edition, filters)[1]
        .select_related("lead_organisation", "edition__contest")
        .prefetch_related("application_partners")
        .order_by("reference")
    )
    recipients = recipients_by_application(applications)
    deadline = deadline_text(edition)
    plan = MailingPlan(applications_count=len(applications))
    for application in applications:
        if not recipients[application.pk]:
            plan.without_recipients.append(application.reference)
            continue
        values = placeholder_values(application, deadline=deadline)
        plan.messages.append(
            EmailMessage(
                # A subject is one line, whatever a title contains.
                subject=" ".join(render_template(subject, values).split()),
                body=render_template(body, values),
                from_email=settings.DEFAULT_FROM_EMAIL,
                bcc=recipients[application.pk],
                reply_to=[reply_to] if reply_to else None,
            )
        )
    return plan


def start_mailing(
    edition: Edition, filters: Mapping[str, str], subject: str, body: str, *, by: User
) -> Mailing:
    """Record the mailing and queue its sending (`send_mailing`).

    The templates must have passed `check_template`; the dossiers are selected again when the
    task runs, with the recorded filters.
    """
    mailing = Mailing.objects.create(
        edition=edition, subject=subject, body=body, filters=dict(filters), sent_by=by
    )
    activity.info("mailing requested", extra={"mailing": mailing.pk, "by": by.pk})
    send_mailing.enqueue(mailing.pk)
    return mailing


@task()
def send_mailing(mailing_id: int) -> dict[str, int]:
    """Send a recorded mailing, once.

    Effects: claim the mailing by stamping `sent_at` (a mailing already stamped is not sent
    again); select the dossiers with the recorded filters and queue one email per dossier in the
    outbox (which delivers and retries each one), all or none; record the counts. If queueing
    fails, the stamp is removed and the mailing shows as waiting again.
    """
    claimed = Mailing.objects.filter(pk=mailing_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return {"applications": 0, "recipients": 0, "emails": 0}
    mailing = Mailing.objects.select_related("sent_by").get(pk=mailing_id)
    editions = Edition.objects.select_related("contest").prefetch_related("phases")
    edition = editions.get(pk=mailing.edition_id)
    plan = plan_mailing(
        edition,
        mailing.filters,
        mailing.subject,
        mailing.body,
        reply_to=mailing.sent_by.email if mailing.sent_by else "",
    )
    try:
        with transaction.atomic():
            for message in plan.messages:
                queue_email(message, kind=MAILING_EMAIL, context=str(edition))
    except Exception:
        Mailing.objects.filter(pk=mailing_id).update(sent_at=None)
        raise
    mailing.applications_count = len(plan.messages)
    mailing.recipients_count = plan.recipients_count
    mailing.save(update_fields=["applications_count", "recipients_count"])
    activity.info("mailing sent", extra={"mailing": mailing.pk})
    return {
        "applications": mailing.applications_count,
        "recipients": mailing.recipients_count,
        "emails": len(plan.messages),
    }


# ----------------------------------------------------------------------------- reminders


def editions_closing_within(days: int, now: datetime) -> list[tuple[Edition, datetime]]:
    """Editions whose current phase allows applying and whose deadline is in (now, now + days]."""
    editions = Edition.objects.filter(is_historical=False).select_related("contest")
    closing = []
    for edition in editions.prefetch_related("phases"):
        deadline = submission_deadline(edition)
        if (
            deadline is not None
            and now < deadline <= now + timedelta(days=days)
            and edition_allows(edition, "may_apply", now)
        ):
            closing.append((edition, deadline))
    return closing


def reminder_message(
    application: Application, recipients: list[str], deadline: datetime
) -> EmailMessage:
    day, time = format_paris(deadline)
    subject = gettext("Rappel : le dossier %(reference)s n'est pas encore déposé") % {
        "reference": application.reference
    }
    body = render_to_string(
        "applications/organiser/emails/deadline_reminder.txt",
        {
            "application": application,
            "edition": application.edition,
            "date": day,
            "time": time,
            "url": settings.SITE_URL
            + reverse("applications:detail", kwargs={"reference": application.reference}),
        },
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to=recipients)


def send_deadline_reminders(
    days: int, *, dry_run: bool = False, now: datetime | None = None
) -> dict[str, object]:
    """Remind the lead organisations of dossiers not yet submitted that the deadline is near.

    For each edition whose applications phase is running and whose deadline falls within `days`
    days, each dossier in draft or reopened gets one email to the confirmed members of its lead
    organisation — once per dossier and per `days` value (a ReminderSent row, written in the
    same transaction as the email is queued in the outbox, which delivers and retries it). A
    dossier whose structure has no confirmed member yet is left for a later run.
    `dry_run` counts what would be sent and changes nothing. Returns the counts the command
    prints.
    """
    now = now or timezone.now()
    report = {
        "days": days,
        "dry_run": dry_run,
        "editions": 0,
        "applications": 0,
        "emails": 0,
        "recipients": 0,
        "already_reminded": 0,
        "without_recipients": 0,
    }
    for edition, deadline in editions_closing_within(days, now):
        report["editions"] += 1
        applications: QuerySet[Application] = (
            Application.objects.filter(edition=edition, state__in=ApplicationState.editable())
            .select_related("edition__contest", "lead_organisation")
            .order_by("reference")
        )
        reminded = set(
            ReminderSent.objects.filter(application__in=applications, days_before=days).values_list(
                "application_id", flat=True
            )
        )
        pending = [application for application in applications if application.pk not in reminded]
        report["applications"] += len(pending) + len(reminded)
        report["already_reminded"] += len(reminded)
        recipients = recipients_by_application(pending, partners=False)
        for application in pending:
            addresses = recipients[application.pk]
            if not addresses:
                report["without_recipients"] += 1
                continue
            if not dry_run and not _send_reminder_once(application, days, addresses, deadline):
                report["already_reminded"] += 1  # another run got there first
                continue
            report["emails"] += 1
            report["recipients"] += len(addresses)
    return report


def _send_reminder_once(
    application: Application, days: int, addresses: list[str], deadline: datetime
) -> bool:
    """Claim the reminder (its unique row) and queue its email in the outbox, together.

    False when another run claimed it first. The outbox delivers it after commit, and retries.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                application=application,
                days_before=days,
                sent_at=timezone.now(),
                recipients_count=len(addresses),
            )
            queue_email(
                reminder_message(application, addresses, deadline),
                kind=DEADLINE_REMINDER_EMAIL,
                context=str(application.edition),
            )
    except IntegrityError:
        return False
    return True


@task()
def send_deadline_reminders_task(days: int) -> dict[str, object]:
    """`send_deadline_reminders` as a task (`manage.py send_deadline_reminders --enqueue`)."""
    return send_deadline_reminders(days)
