"""python manage.py verify_log: check the activity log's hash chain; exit 1 at the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests import activity
from contests.models import ActivityEntry


class Command(BaseCommand):
    help = gettext_lazy("Vérifie la chaîne d'empreintes du journal d'activité.")

    def handle(self, *args, **options) -> None:
        broken = activity.verify()
        if broken is not None:
            raise CommandError(
                _("Journal altéré à l'entrée n° %(id)s : %(reason)s.")
                % {"id": broken.entry_id, "reason": activity.BROKEN_LINK_REASONS[broken.reason]}
            )
        self.stdout.write(
            _("Journal intègre : %(count)s entrées vérifiées.")
            % {"count": ActivityEntry.objects.count()}
        )
