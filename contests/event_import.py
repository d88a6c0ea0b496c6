"""Importing events from a CSV file (format of data/events_2019.csv: the IntercoTOUR stages).

Columns: kind, name, region, city, start, end, source. Every row is read and checked before
anything is written, so a malformed row stops the import with its line number (line 1 is the
header) and imports nothing. Events are matched by slug (name and year, e.g.
`intercotour-occitanie-2019`), so running the import again updates instead of duplicating.

The région is matched by its official name, compared folded (accents, case and punctuation
aside) against the régions of the referential. A name the referential does not hold is never
guessed: the event is imported without its région set, and the name is reported.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.text import fold

from .enums import EventKind
from .events import event_slug
from .models import Event

COLUMNS = ("kind", "name", "region", "city", "start", "end", "source")
REQUIRED = ("kind", "name", "start")
# The file's word for a stage is the event's public name; the model's code is "stage".
KINDS = {
    "intercotour": EventKind.STAGE,
    EventKind.STAGE.value: EventKind.STAGE,
    EventKind.FORUM.value: EventKind.FORUM,
}
MAX_LENGTHS = {"name": 200, "region": 200, "city": 120, "source": 300}
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class EventFileError(Exception):
    """A file that cannot be imported; the French message names the line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = _("%(path)s, ligne %(line)s") % {"path": path, "line": line} if line else path
        super().__init__(f"{where} : {message}")


@dataclass(frozen=True)
class EventRow:
    line: int
    kind: str
    name: str
    region_name: str
    city: str
    starts_on: date
    ends_on: date
    source: str

    @property
    def slug(self) -> str:
        return event_slug(self.name, self.starts_on.year)


@dataclass
class EventImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Région names of the file the referential does not hold, as written (with the line).
    unmatched_regions: list[tuple[int, str]] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmatched_regions": [name for _line, name in self.unmatched_regions],
        }


def _date(path: Path, line: int, column: str, value: str) -> date:
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise EventFileError(
            path,
            line,
            _("date « %(value)s » invalide dans la colonne « %(column)s » (attendu : AAAA-MM-JJ).")
            % {"value": value, "column": column},
        ) from None


def _row(path: Path, line: int, record: dict[str, str]) -> EventRow:
    for column in REQUIRED:
        if not record[column]:
            raise EventFileError(path, line, _("la colonne « %s » est vide.") % column)
    for column, maximum in MAX_LENGTHS.items():
        if len(record[column]) > maximum:
            raise EventFileError(
                path,
                line,
                _("« %(column)s » dépasse %(max)s caractères.")
                % {"column": column, "max": maximum},
            )
    kind = KINDS.get(record["kind"].lower())
    if kind is None:
        raise EventFileError(
            path,
            line,
            _("type « %(value)s » inconnu (attendu : %(known)s).")
            % {"value": record["kind"], "known": ", ".join(KINDS)},
        )
    starts_on = _date(path, line, "start", record["start"])
    ends_on = _date(path, line, "end", record["end"]) if record["end"] else starts_on
    if ends_on < starts_on:
        raise EventFileError(
            path, line, _("la fin (%(end)s) précède le début (%(start)s).") % record
        )
    return EventRow(
        line=line,
        kind=kind,
        name=record["name"],
        region_name=record["region"],
        city=record["city"],
        starts_on=starts_on,
        ends_on=ends_on,
        source=record["source"],
    )


def read_events(path: Path) -> list[EventRow]:
    """Every row of the file, checked; raises EventFileError at the first fault."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise EventFileError(path, None, _("fichier illisible (%s).") % error) from error
    rows: list[EventRow] = []
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            if list(header) != list(COLUMNS):
                raise EventFileError(
                    path,
                    1,
                    _("en-tête « %(found)s » inattendu (attendu : %(expected)s).")
                    % {"found": ",".join(header), "expected": ",".join(COLUMNS)},
                )
            line = reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if None in record or None in record.values():
                    raise EventFileError(
                        path,
                        start,
                        _("le nombre de champs diffère de l'en-tête (%s attendus).") % len(COLUMNS),
                    )
                rows.append(_row(path, start, {k: v.strip() for k, v in record.items()}))
        except csv.Error as error:
            raise EventFileError(path, reader.line_num, _("CSV invalide (%s).") % error) from error
    seen: dict[str, int] = {}
    for row in rows:
        if row.slug in seen:
            raise EventFileError(
                path,
                row.line,
                _("même événement que la ligne %(line)s (« %(name)s » la même année).")
                % {"line": seen[row.slug], "name": row.name},
            )
        seen[row.slug] = row.line
    return rows


def regions_by_folded_name() -> dict[str, Organisation]:
    regions = Organisation.objects.filter(kind=OrganisationKind.REGION, from_referential=True)
    return {fold(region.name): region for region in regions}


@transaction.atomic
def import_events(path: Path) -> EventImportReport:
    """Create or update the file's events (by slug); nothing is written if a row is wrong.

    Only the file's columns are written: a venue, a theme or a programme added by organisers
    stays. The région is set when the referential holds its name; otherwise it is left as it
    is (empty for a new event) and reported.
    """
    rows = read_events(path)
    regions = regions_by_folded_name()
    report = EventImportReport(rows=len(rows))
    for row in rows:
        values: dict[str, object] = {
            "kind": row.kind,
            "name": row.name,
            "city": row.city,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "source": row.source,
        }
        if row.region_name:
            region = regions.get(fold(row.region_name))
            if region is None:
                report.unmatched_regions.append((row.line, row.region_name))
            else:
                values["region_id"] = region.pk
        _upsert(row.slug, values, report)
        report.slugs.append(row.slug)
    return report


def _upsert(slug: str, values: dict[str, object], report: EventImportReport) -> None:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        Event.objects.create(slug=slug, **values)
        report.created += 1
        return
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    if not changed:
        report.unchanged += 1
        return
    for name in changed:
        setattr(event, name, values[name])
    event.save(update_fields=changed)
    report.updated += 1
