import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.mailing import send_deadline_reminders, send_deadline_reminders_task
from health.jobs import record_success


class Command(BaseCommand):
    help = (
        "Email the confirmed members of the lead organisation of each dossier still in draft "
        "(or reopened) of every edition whose applications phase is running and whose deadline "
        "(the start of the next phase) is within --days days. Idempotent, suitable for cron: a "
        "dossier gets one reminder per --days value, ever; the emails go through the outbox, "
        "which retries them. Ends with one JSON line: {days, dry_run, editions, applications, "
        "emails, recipients, already_reminded, without_recipients}. With --enqueue, queues the "
        "same work as the task "
        "send_deadline_reminders_task (run by `manage.py db_worker`) and prints "
        '{"enqueued": true, "task_id", "days"} instead.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Remind when the deadline is at most this many days away (default: 7).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work as a task instead of doing it now.",
        )

    def handle(self, *args, days: int, dry_run: bool, enqueue: bool, **options):
        if days < 1:
            raise CommandError(_("--days doit valoir au moins 1."))
        if enqueue and dry_run:
            raise CommandError(_("--dry-run et --enqueue ne vont pas ensemble."))
        started_at = timezone.now()
        if enqueue:
            result = send_deadline_reminders_task.enqueue(days)
            line = {"enqueued": True, "task_id": str(result.id), "days": days}
        else:
            line = send_deadline_reminders(days, dry_run=dry_run)
            if not dry_run:  # /sante/ reports this daily job late when it stops succeeding
                record_success("send_deadline_reminders", started_at=started_at)
        self.stdout.write(json.dumps(line, ensure_ascii=False))
