"""python manage.py verify_log: check the activity log's hash chain; exit 1 at the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
        message = _("Journal intègre : %(count)s entrées vérifiées.") % {
            "count": ActivityEntry.objects.count()
        }
        redacted = len(activity.redacted_digests())
        if redacted:
            # Said, so that whoever checks the log knows which entries vouch for others.
            message += " " + ngettext(
                "%(redacted)s d'entre elles a été expurgée de données personnelles et est "
                "vérifiée d'après son entrée « %(action)s ».",
                "%(redacted)s d'entre elles ont été expurgées de données personnelles et sont "
                "vérifiées d'après leur entrée « %(action)s ».",
                redacted,
            ) % {"redacted": redacted, "action": activity.REDACTION_ACTION}
        self.stdout.write(message)
