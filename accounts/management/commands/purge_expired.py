"""python manage.py purge_expired: remove the personal data whose retention period is over.

Daily (deploy/systemd/palmares-purge.timer). Each kind of data and its period come from the
apps (accounts.personal_data.register_retention) and the RETENTION_…_DAYS settings; the
command prints how many items of each kind it removed, and records its success for /sante/.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from health.jobs import record_success

from ...personal_data import purge_expired, retention_rules


class Command(BaseCommand):
    help = "Supprime les données personnelles dont la durée de conservation est écoulée."

    def handle(self, *args, **options) -> None:
        started_at = timezone.now()
        purged = purge_expired(started_at)
        days = {rule.kind: rule.days for rule in retention_rules()}
        for kind, count in purged.items():
            self.stdout.write(f"{kind}: {count} (> {days[kind]} j)")
        record_success("purge_expired", started_at=started_at)
