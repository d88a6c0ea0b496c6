import json

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail
from notifications.outbox import retry_due_emails


class Command(BaseCommand):
    help = (
        "Enqueue the next attempt of every queued email whose time has come (and of any email "
        "left « sending » by a worker that died). The task worker retries on its own; run this "
        "from cron as a safety net, or where the task backend cannot defer. Ends with one JSON "
        "line: {enqueued, queued, failed}."
    )

    def handle(self, *args, **options):
        enqueued = retry_due_emails()
        counts = OutgoingEmail.objects.aggregate(
            queued=Count("pk", filter=Q(status=EmailStatus.QUEUED)),
            failed=Count("pk", filter=Q(status=EmailStatus.FAILED)),
        )
        self.stdout.write(json.dumps({"enqueued": enqueued, **counts}))
