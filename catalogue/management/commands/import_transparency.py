import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.domain import LABEL_CONTEST_SLUG
from contests.models import Edition, EditionTransparency

COLUMNS = [
    "year",
    "jury_institutions",
    "elimination_rule",
    "normalisation_method",
    "conflicts_handled",
    "source",
]


class Command(BaseCommand):
    help = (
        "Record what the organiser published about how past editions of the label were judged "
        "(format of data/transparency.csv: year, jury institutions separated by ' | ', "
        "elimination rule, normalisation method, conflicts handled, source). Run after "
        "import_palmares: each row's edition must exist. A new transparency row is created "
        "published (its facts come from public sources); an existing row only gets the fields "
        "it lacks, so what an organiser wrote on the platform is never overwritten. Idempotent "
        "and atomic: a malformed row stops the import with its line number and nothing changes. "
        'Ends with one JSON line: {"rows", "created", "updated", "unchanged"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "csv",
            type=Path,
            nargs="?",
            default=Path("data/transparency.csv"),
            help="The transparency file (default: data/transparency.csv).",
        )

    def handle(self, *args, csv: Path, **options):
        try:
            report = import_transparency(csv)
        except (OSError, ValueError) as error:
            raise CommandError(
                _("Transparence non importée, rien n'a changé. %s") % error
            ) from error
        if options["verbosity"] >= 1:
            self.stdout.write(json.dumps(report))


@transaction.atomic
def import_transparency(path: Path) -> dict[str, int]:
    """Create or complete the EditionTransparency rows the file describes."""
    report = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0}
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: expected the columns {', '.join(COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            wanted = _wanted(path, line, row)
            edition = Edition.objects.filter(
                contest__slug=LABEL_CONTEST_SLUG, year=wanted.pop("year")
            ).first()
            if edition is None:
                raise ValueError(
                    f"{path}, line {line}: no edition {row['year']} (import_palmares first)"
                )
            report["rows"] += 1
            transparency = EditionTransparency.objects.filter(edition=edition).first()
            if transparency is None:
                EditionTransparency.objects.create(edition=edition, published=True, **wanted)
                report["created"] += 1
                continue
            missing = [
                name
                for name, value in wanted.items()
                if value not in ("", None) and getattr(transparency, name) in ("", None)
            ]
            for name in missing:
                setattr(transparency, name, wanted[name])
            if missing:
                transparency.save(update_fields=[*missing, "updated_at"])
            report["updated" if missing else "unchanged"] += 1
    return report


def _wanted(path: Path, line: int, row: dict[str, str]) -> dict:
    try:
        year = int(row["year"])
        conflicts = int(row["conflicts_handled"]) if row["conflicts_handled"].strip() else None
    except ValueError as error:
        raise ValueError(f"{path}, line {line}: {error}") from error
    if conflicts is not None and conflicts < 0:
        raise ValueError(f"{path}, line {line}: conflicts_handled must not be negative")
    if not row["source"].strip():
        raise ValueError(f"{path}, line {line}: every row names its source")
    institutions = [name.strip() for name in row["jury_institutions"].split("|") if name.strip()]
    return {
        "year": year,
        "jury_institutions": "\n".join(institutions),
        "elimination_rule": row["elimination_rule"].strip(),
        "normalisation_method": row["normalisation_method"].strip(),
        "conflicts_handled": conflicts,
    }
