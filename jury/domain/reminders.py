"""Reminders to jurors with evaluations still to finish: scheduled before a round ends, or sent
by an organiser from the round's progress page.

A pending evaluation is an assignment of an accepted juror, not in conflict (the same rule as
`jury.rules.assigned_application_ids`), whose evaluation is not submitted (none, or a draft).
One message per juror, to the address the organisers invited (Juror.email), in French.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contests.activity import record
from notifications.outbox import email_kind, queue_email

from ..enums import EvaluationState, JurorState
from ..models import Assignment, Conflict, Juror, JuryReminderSent, Round

REMINDER_EMAIL = email_kind("jury.reminder", _("Rappel aux jurés"))


def pending_by_juror(rounds: Iterable[Round]) -> dict[Juror, list[Assignment]]:
    """Each accepted juror of `rounds` with their pending assignments (in two queries)."""
    assignments = list(
        Assignment.objects.filter(juror__round__in=list(rounds), juror__state=JurorState.ACCEPTED)
        .exclude(evaluation__state=EvaluationState.SUBMITTED)
        .select_related("juror__round__edition__contest", "application")
        .order_by("juror__full_name", "juror__pk", "application__reference")
    )
    users = {assignment.juror.user_id for assignment in assignments}
    conflicts = set(
        Conflict.objects.effective()
        .filter(member__user__in=users)
        .values_list("member__user_id", "application_id")
    )
    pending: dict[Juror, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        if (assignment.juror.user_id, assignment.application_id) not in conflicts:
            pending[assignment.juror].append(assignment)
    return dict(pending)


def reminder_subject(round_: Round, count: int) -> str:
    return ngettext(
        "Rappel : %(count)d évaluation à terminer pour « %(round)s »",
        "Rappel : %(count)d évaluations à terminer pour « %(round)s »",
        count,
    ) % {"count": count, "round": round_.name}


def _send(juror: Juror, assignments: list[Assignment]) -> None:
    round_ = juror.round
    edition = round_.edition
    with translation.override(settings.LANGUAGE_CODE):
        subject = reminder_subject(round_, len(assignments))
        body = render_to_string(
            "jury/juror/emails/reminder.txt",
            {
                "juror": juror,
                "round": round_,
                "edition": edition,
                "assignments": assignments,
                "url": settings.SITE_URL
                + reverse(
                    "jury:juror_round", args=[edition.contest.slug, edition.year, round_.slug]
                ),
            },
        )
    queue_email(
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [juror.email]),
        kind=REMINDER_EMAIL,
        context=str(edition),
    )


def send_jury_reminders(days: int, today: date | None = None) -> dict[str, int]:
    """Remind jurors of rounds ending within `days` days (today included) of their pending work.

    "Within" rather than "exactly in": a run missed one day is caught up the next. Each juror
    gets one reminder per `days` value, ever (JuryReminderSent, written in the transaction that
    queues the email in the outbox, which delivers and retries it). Activity log:
    "jury_reminder_sent".
    Returns the counts the command prints.
    """
    today = today or timezone.localdate()
    rounds = list(
        Round.objects.filter(ends_on__gte=today, ends_on__lte=today + timedelta(days=days))
        .select_related("edition__contest")
        .order_by("ends_on", "pk")
    )
    report = {
        "days": days,
        "rounds": len(rounds),
        "jurors": 0,
        "emails": 0,
        "already": 0,
    }
    pending = pending_by_juror(rounds)
    reminded = set(
        JuryReminderSent.objects.filter(
            juror__in=[juror.pk for juror in pending], days_before=days
        ).values_list("juror_id", flat=True)
    )
    for juror, assignments in pending.items():
        report["jurors"] += 1
        if juror.pk in reminded:
            report["already"] += 1
            continue
        try:
            with transaction.atomic():
                JuryReminderSent.objects.create(
                    juror=juror,
                    days_before=days,
                    sent_at=timezone.now(),
                    pending_count=len(assignments),
                )
                _send(juror, assignments)
        except IntegrityError:  # another run got there first
            report["already"] += 1
            continue
        record(
            juror.round.edition,
            "jury_reminder_sent",
            subject=juror.round.slug,
            juror=str(juror.reference),
            days=days,
            pending=len(assignments),
        )
        report["emails"] += 1
    return report


def remind_round_jurors(round_: Round, *, by) -> int:
    """Send now, to every juror of the round with pending evaluations, a reminder.

    Not limited by JuryReminderSent (an organiser's deliberate nudge). Effects: activity log
    "jury_reminders_sent" (by, how many), then one email per juror through the outbox. Returns
    the number of jurors reminded.
    """
    pending = pending_by_juror([round_])
    if not pending:
        return 0
    record(
        round_.edition,
        "jury_reminders_sent",
        by=by,
        subject=round_.slug,
        jurors=[str(juror.reference) for juror in pending],
    )
    for juror, assignments in pending.items():
        _send(juror, assignments)
    return len(pending)
