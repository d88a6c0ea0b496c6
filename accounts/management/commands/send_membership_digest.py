import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.membership_notices import send_membership_digest
from health.jobs import record_success


class Command(BaseCommand):
    help = (
        "Email each person who decides membership requests (the structure's managers when it "
        "has some, else the organisers) the list of requests still pending; nothing to those "
        "with none. Daily, through the outbox. Ends with one JSON line: {deciders, requests}."
    )

    def handle(self, *args, **options):
        started_at = timezone.now()
        line = send_membership_digest()
        # /sante/ reports this daily job late when it stops succeeding.
        record_success("send_membership_digest", started_at=started_at)
        self.stdout.write(json.dumps(line, ensure_ascii=False))
