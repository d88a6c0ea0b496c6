"""python manage.py publish_results <edition> [--at 2028-04-04T18:00]

<edition> is "<contest slug>/<year>" (label-territoire-innovant/2028), or the year alone when one
contest only has an edition that year. Without --at, publishes the validated palmarès now; with
it, schedules the publication at that moment (Paris time unless an offset is given). Prints the
outcome as one JSON line.
"""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from awards.models import Deliberation
from awards.publication import PublicationRefused, publish, schedule_publication
from jury.management.commands.assign_jury import find_edition


def parse_moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Moment « {value} » : attendu AAAA-MM-JJTHH:MM, par exemple « 2028-04-04T18:00 »."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


class Command(BaseCommand):
    help = "Publie le palmarès validé d'une édition, tout de suite ou à un moment choisi."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "edition", help="<concours>/<année>, ex. label-territoire-innovant/2028"
        )
        parser.add_argument(
            "--at", help="moment de la publication, heure de Paris, ex. 2028-04-04T18:00"
        )

    def handle(self, *args, edition: str, at: str | None, **options) -> None:
        found = find_edition(edition)
        deliberation = Deliberation.objects.filter(edition=found).first()
        if deliberation is None:
            raise CommandError(f"{found.contest.slug}/{found.year} n'a pas de délibération.")
        try:
            if at is None:
                awards = publish(deliberation, by=None)
                deliberation.refresh_from_db()
                outcome = {
                    "published_at": deliberation.published_at.isoformat(),
                    "awards": len(awards),
                }
            else:
                moment = parse_moment(at)
                schedule_publication(deliberation, moment, by=None)
                outcome = {"publish_at": moment.isoformat()}
        except PublicationRefused as refused:
            raise CommandError(str(refused)) from None
        edition_code = {"edition": f"{found.contest.slug}/{found.year}"}
        self.stdout.write(json.dumps(edition_code | outcome, ensure_ascii=False))
