"""The organisers' one CSV writer and one XLSX writer, for any table given as a header and rows.

Every organisers' export (dossiers, results, evaluations) builds its rows once, lazily, and hands
them to `csv_response` or `xlsx_response`, so the two formats always hold the same cells. Cells
are strings, numbers, dates or None (an empty cell).

Both writers guard against formula injection: a text cell starting with = + - @ tab or carriage
return (a title typed by an applicant) can never run in an organiser's spreadsheet. Both stream:
the CSV goes out row by row; the XLSX is written by openpyxl's write-only mode, which sends each
row to a temporary file as it comes, so memory and time grow with the rows, not their square.
"""

import csv
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Cell = str | int | float | Decimal | date | datetime | None
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell a spreadsheet would run as a formula (CSV injection): =, +, -, @, tab, carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Write-only sheets want their column widths before any row: they are measured on the header
# and on the first rows, kept in memory that long.
WIDTH_SAMPLE_ROWS = 100
MAX_COLUMN_WIDTH = 60
# The workbook stays in memory up to this size, then goes to a temporary file.
SPOOL_BYTES = 10 * 1024 * 1024


# The cell functions below run once per cell (65,000 times for 5,000 dossiers): text, the common
# case, is tested first, and the time zone is read once per export, not once per date.


def _datetime_text(value: datetime, tz: tzinfo) -> str:
    """As timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M") (the database's datetimes
    are aware), in a third of the time: one date a row."""
    local = value.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _text(value: Cell | Promise, tz: tzinfo) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _datetime_text(value, tz)
    if isinstance(value, date):
        return value.isoformat()
    # Numbers, and translated labels (gettext_lazy) as the text they stand for.
    return str(value)


def _csv_text(value: Cell | Promise, tz: tzinfo) -> str:
    """In a CSV every cell is text: text a spreadsheet would run as a formula gets a leading
    apostrophe, which spreadsheets read as "this is text" (numbers and dates stay as they are)."""
    text = _text(value, tz)
    if isinstance(value, str | Promise) and text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Line:
    """What csv.writer writes to: hands each formatted line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


NUMBERS = frozenset({int, float, Decimal})
# Lines sent together: one chunk per line made the response's machinery cost as much as the
# lines themselves (5,000 rows: 5,000 encodings and writes); 200 lines stay a few tens of KB.
LINES_PER_CHUNK = 200


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The CSV for a spreadsheet, a few hundred lines at a time: a BOM so Excel reads UTF-8,
    `;` between fields as French Excel expects, quotes where a field needs them."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    writerow = writer.writerow
    tz = timezone.get_current_timezone()
    yield "\ufeff" + writerow([str(title) for title in header])
    lines: list[str] = []
    for row in rows:
        # The common cells without a call: text that is no formula as it is, nothing as an
        # empty field, a number as its digits (as _csv_text would write them).
        lines.append(
            writerow(
                [
                    cell
                    if type(cell) is str and not cell.startswith(FORMULA_START)
                    else ""
                    if cell is None
                    else str(cell)
                    if type(cell) in NUMBERS
                    else _csv_text(cell, tz)
                    for cell in row
                ]
            )
        )
        if len(lines) == LINES_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _xlsx_cell(sheet: "WriteOnlyWorksheet", value: Cell | Promise, tz: tzinfo) -> object:
    """The value as openpyxl should write it: dates as dates, numbers as numbers, and text that
    looks like a formula as text marked "quote prefix" (Excel's own leading apostrophe, which
    keeps it text even when someone edits the cell); openpyxl would write it as a formula."""
    if isinstance(value, Promise):
        value = str(value)
    elif isinstance(value, datetime):
        return timezone.localtime(value, tz).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_START):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Export"


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> IO[bytes]:
    """A one-sheet workbook, rewound, ready to send: bold header row frozen, dates as dates,
    numbers as numbers; written in openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    tz = timezone.get_current_timezone()
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [len(str(name)) for name in header]
    for row in sample:
        for position, value in enumerate(row[: len(widths)]):
            widths[position] = max(widths[position], len(_text(value, tz)))
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(
            width + 2, MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, str(name))
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in itertools.chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value, tz) for value in row])
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    workbook.save(out)
    out.seek(0)
    return out


def _as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str
) -> StreamingHttpResponse:
    """The table as a CSV download, sent row by row as the rows are read."""
    lines = (line.encode() for line in csv_lines(header, rows))
    return _as_download(StreamingHttpResponse(lines, content_type=CSV_TYPE), filename)


def xlsx_response(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str, *, title: str
) -> FileResponse:
    """The table as an XLSX download, sent from its temporary file in blocks."""
    response = FileResponse(xlsx_file(header, rows, title=title), content_type=XLSX_TYPE)
    return _as_download(response, filename)
