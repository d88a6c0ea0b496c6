import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from health.jobs import record_success
from jury.domain.availability_requests import send_availability_reminders
from jury.domain.reminders import send_jury_reminders
from jury.tasks import send_jury_reminders_task


class Command(BaseCommand):
    help = (
        "Email each accepted juror of every round whose evaluations end within --days days "
        "(today included) the list of their evaluations still to finish (assigned, not in "
        "conflict, not submitted). Idempotent, suitable for cron: a juror gets one reminder per "
        "--days value, ever; the emails go through the outbox, which retries them. Ends with "
        "one JSON line: {days, rounds, jurors, emails, already, availability}. The same run "
        "reminds, once, the applicants of audition rounds who have not given their "
        "availabilities when the round's deadline is at most 2 days away (availability: "
        "{rounds, dossiers, emails}). "
        "With --enqueue, queues the task "
        'send_jury_reminders_task and prints {"enqueued": true, "task_id", "days"} instead.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Remind when the round ends at most this many days away (default: 3).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work as a task instead."
        )

    def handle(self, *args, days: int, enqueue: bool, **options):
        if days < 0:
            raise CommandError(_("--days ne peut pas être négatif."))
        started_at = timezone.now()
        if enqueue:
            result = send_jury_reminders_task.enqueue(days)
            line = {"enqueued": True, "task_id": str(result.id), "days": days}
        else:
            line = send_jury_reminders(days)
            line["availability"] = send_availability_reminders()
            # /sante/ reports this daily job late when it stops succeeding.
            record_success("send_jury_reminders", started_at=started_at)
        self.stdout.write(json.dumps(line, ensure_ascii=False))
