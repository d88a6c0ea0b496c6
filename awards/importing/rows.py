"""Reading and checking the palmarès CSV files (format of data/palmares.csv and editions.csv).

Every row of both files is read and checked before anything is written, so that a malformed row
stops the import with its file and line number (line 1 is the header) and imports nothing.
"""

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from territories.text import fold

from .distinctions import COLUMN as DISTINCTIONS_COLUMN
from .distinctions import read_codes

SEPARATOR = " | "
# The first Forum of Les Interconnectés was held in the 2000s; nothing can be older.
MIN_YEAR = 2000
MAX_COUNT = 1_000_000  # participants, dossiers…: anything larger is a typing error
_NUMBER = re.compile(r"^[0-9]{1,7}$")

PALMARES_REQUIRED = ("year", "level", "theme", "organisations", "project_title")
PALMARES_COLUMNS = (*PALMARES_REQUIRED, "notes", "source", DISTINCTIONS_COLUMN)
EDITIONS_REQUIRED = ("year",)
EDITIONS_COLUMNS = (
    "year",
    "forum_city",
    "forum_start",
    "forum_end",
    "participants",
    "applications",
    "auditioned",
    "laureates",
    "gold",
    "criteria",
    "themes",
    "notes",
    "source",
)
# Lengths of the model fields the values end up in.
MAX_LENGTHS = {
    "project_title": 300,
    "theme": 200,
    "organisation": 200,
    "source": 300,
    "forum_city": 120,
}


@dataclass(frozen=True)
class CsvText:
    """A file's text already in memory (an upload), read like a Path; named as uploaded."""

    name: str
    text: str

    def open(self, **_options: object) -> io.StringIO:
        return io.StringIO(self.text, newline="")

    def __str__(self) -> str:
        return self.name


type Source = Path | CsvText


class PalmaresFileError(Exception):
    """A file that cannot be imported; the message names the file and the line."""

    def __init__(self, path: Source, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = _("%(path)s, ligne %(line)s") % {"path": path, "line": line} if line else path
        super().__init__(f"{where} : {message}")


@dataclass(frozen=True)
class EditionRow:
    """What editions.csv says of one edition; None where nothing was published."""

    line: int
    year: int
    forum_city: str
    forum_start: date | None
    forum_end: date | None
    participants: int | None
    applications: int | None
    auditioned: int | None
    laureates: int | None
    gold: int | None
    criteria: int | None
    themes: tuple[str, ...]
    notes: str
    source: str

    @property
    def has_forum_details(self) -> bool:
        return bool(self.forum_city or self.forum_start or self.forum_end or self.participants)


@dataclass(frozen=True)
class AwardRow:
    """One awarded project of palmares.csv; level and theme are "" when not published."""

    line: int
    year: int
    level: str
    theme: str
    organisations: tuple[str, ...]
    title: str
    notes: str
    source: str
    distinctions: tuple[str, ...] = ()  # optional column (awards.importing.distinctions)


def _records(
    path: Source, required: tuple[str, ...], known: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row dict) for each data row, after checking the header."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise PalmaresFileError(path, None, _("fichier illisible (%s).") % error) from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            unknown = [name for name in header if name not in known]
            missing = [name for name in required if name not in header]
            if unknown or missing:
                raise PalmaresFileError(
                    path,
                    1,
                    _("colonnes inconnues : %(unknown)s ; colonnes manquantes : %(missing)s.")
                    % {"unknown": ", ".join(unknown) or "-", "missing": ", ".join(missing) or "-"},
                )
            line = reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if None in record or None in record.values():
                    raise PalmaresFileError(
                        path,
                        start,
                        _("le nombre de champs diffère de l'en-tête (%s attendus).") % len(header),
                    )
                yield start, {key: value.strip() for key, value in record.items()}
        except csv.Error as error:
            raise PalmaresFileError(
                path, reader.line_num, _("CSV invalide (%s).") % error
            ) from error


class _Checker:
    """Turns one record's text values into typed values, or raises with the line number."""

    def __init__(self, path: Source, line: int, record: dict[str, str]) -> None:
        self.path, self.line, self.record = path, line, record

    def fail(self, message: str) -> PalmaresFileError:
        return PalmaresFileError(self.path, self.line, message)

    def text(self, column: str, *, required: bool = False, limit: str | None = None) -> str:
        value = self.record.get(column, "")
        if required and not value:
            raise self.fail(_("la colonne « %s » est vide.") % column)
        maximum = MAX_LENGTHS.get(limit or column)
        if maximum and len(value) > maximum:
            raise self.fail(
                _("« %(column)s » dépasse %(max)s caractères.") % {"column": column, "max": maximum}
            )
        return value

    def year(self) -> int:
        value = self.record.get("year", "")
        last = timezone.now().year
        if not _NUMBER.match(value) or not MIN_YEAR <= int(value) <= last:
            raise self.fail(
                _("année « %(value)s » invalide (attendu : un nombre entre %(min)s et %(max)s).")
                % {"value": value, "min": MIN_YEAR, "max": last}
            )
        return int(value)

    def count(self, column: str) -> int | None:
        value = self.record.get(column, "")
        if not value:
            return None
        if not _NUMBER.match(value) or int(value) > MAX_COUNT:
            raise self.fail(
                _("« %(column)s » doit être un nombre entier positif ou vide, pas « %(value)s ».")
                % {"column": column, "value": value}
            )
        return int(value)

    def date(self, column: str) -> date | None:
        value = self.record.get(column, "")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                _("« %(column)s » doit être une date AAAA-MM-JJ ou vide, pas « %(value)s ».")
                % {"column": column, "value": value}
            ) from None

    def theme(self) -> str:
        value = self.text("theme")
        if value and not slugify(value):
            raise self.fail(_("le thème « %s » ne contient ni lettre ni chiffre.") % value)
        return value

    def listing(self, column: str, *, limit: str) -> tuple[str, ...]:
        value = self.text(column)
        items = tuple(item.strip() for item in value.split(SEPARATOR.strip())) if value else ()
        if any(not item for item in items) or (limit == "theme" and not all(map(slugify, items))):
            raise self.fail(_("« %s » contient un élément vide.") % column)
        too_long = [item for item in items if len(item) > MAX_LENGTHS[limit]]
        if too_long:
            raise self.fail(_("« %s » est trop long.") % too_long[0])
        folded = [fold(item) for item in items]
        if len(set(folded)) != len(folded):
            raise self.fail(_("« %s » cite deux fois le même nom.") % column)
        return items


def read_palmares(path: Source, level_codes: Sequence[str]) -> list[AwardRow]:
    """Every row of a palmares.csv file, checked; raises PalmaresFileError on the first bad one.

    `level_codes` are the contest's (its ContestLevel rows): a level outside them is refused.
    """
    rows: list[AwardRow] = []
    seen: dict[tuple[int, str], int] = {}
    for line, record in _records(path, PALMARES_REQUIRED, PALMARES_COLUMNS):
        check = _Checker(path, line, record)
        year = check.year()
        level = record.get("level", "").lower()
        if level and level not in level_codes:
            raise check.fail(
                _("niveau « %(value)s » inconnu (attendu : %(codes)s ou vide).")
                % {"value": record["level"], "codes": ", ".join(level_codes)}
                if level_codes
                else _("niveau « %s » inconnu : le concours n'a aucun niveau (attendu : vide).")
                % record["level"]
            )
        organisations = check.listing("organisations", limit="organisation")
        if not organisations:
            raise check.fail(_("la colonne « organisations » est vide."))
        title = check.text("project_title", required=True)
        key = (year, fold(title))
        if key in seen:
            raise check.fail(
                _("le projet « %(title)s » figure déjà à la ligne %(line)s pour %(year)s.")
                % {"title": title, "line": seen[key], "year": year}
            )
        seen[key] = line
        rows.append(
            AwardRow(
                line=line,
                year=year,
                level=level,
                theme=check.theme(),
                organisations=organisations,
                title=title,
                notes=check.text("notes"),
                source=check.text("source"),
                distinctions=read_codes(record.get(DISTINCTIONS_COLUMN) or ""),
            )
        )
    if not rows:
        raise PalmaresFileError(path, None, _("aucune ligne de palmarès."))
    return rows


def read_editions(path: Path) -> list[EditionRow]:
    """Every row of an editions.csv file, checked; raises PalmaresFileError on the first bad one."""
    rows: list[EditionRow] = []
    seen: dict[int, int] = {}
    for line, record in _records(path, EDITIONS_REQUIRED, EDITIONS_COLUMNS):
        check = _Checker(path, line, record)
        year = check.year()
        if year in seen:
            raise check.fail(
                _("l'année %(year)s figure déjà à la ligne %(line)s.")
                % {"year": year, "line": seen[year]}
            )
        seen[year] = line
        start, end = check.date("forum_start"), check.date("forum_end")
        if start and end and end < start:
            raise check.fail(_("le Forum finit avant de commencer."))
        rows.append(
            EditionRow(
                line=line,
                year=year,
                forum_city=check.text("forum_city"),
                forum_start=start,
                forum_end=end,
                participants=check.count("participants"),
                applications=check.count("applications"),
                auditioned=check.count("auditioned"),
                laureates=check.count("laureates"),
                gold=check.count("gold"),
                criteria=check.count("criteria"),
                themes=check.listing("themes", limit="theme"),
                notes=check.text("notes"),
                source=check.text("source"),
            )
        )
    return rows
