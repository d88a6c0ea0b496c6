import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contests.event_import import EventFileError, import_events


class Command(BaseCommand):
    help = (
        "Import events (format of data/events_2019.csv: kind,name,region,city,start,end,source; "
        "kind « intercotour » or « stage » for an IntercoTOUR stage, « forum » for a Forum). "
        "Idempotent: events are matched by slug (name and year, e.g. intercotour-occitanie-2019) "
        "and updated; only the file's columns are written. The région is matched by its official "
        "name (accents and case aside) to the referential's régions; an unknown name is reported "
        "and the event imported without it (nothing is guessed). Atomic: a wrong header or a bad "
        "row stops the import with its line number and nothing is imported. Ends with one JSON "
        'line: {"rows", "created", "updated", "unchanged", "unmatched_regions"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="The events file (data/events_2019.csv).")

    def handle(self, *args, csv: Path, **options):
        try:
            report = import_events(csv)
        except EventFileError as error:
            raise CommandError(_("Événements non importés, rien n'a changé. %s") % error) from error
        # Reported whatever the verbosity: an event left without its région needs a person.
        for line, name in report.unmatched_regions:
            self.stderr.write(
                _(
                    "Ligne %(line)s : la région « %(name)s » n'est pas une région du référentiel ; "
                    "l'événement est importé sans région."
                )
                % {"line": line, "name": name}
            )
        if options["verbosity"] >= 1:
            if report.created or report.updated:
                summary = _(
                    "Événements importés. Créés : %(created)s ; modifiés : %(updated)s ; "
                    "inchangés : %(unchanged)s."
                )
            else:
                summary = _(
                    "Événements déjà à jour : rien n'a été créé ni modifié (%(unchanged)s)."
                )
            self.stdout.write(summary % report.as_dict())
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
