"""One writer per spreadsheet format for any table given as a header and rows.

Every organisers' export (dossiers, results, and the jury's evaluations with each criterion's
raw score) builds its rows once and hands them to `csv_response` or `xlsx_response`, so the two
formats always hold the same cells. Cells are strings, numbers, dates or None (an empty cell).
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | date | datetime | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell a spreadsheet would run as a formula (CSV injection): =, +, -, @, tab, carriage return.
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
MAX_COLUMN_WIDTH = 60


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe(value: Cell) -> Cell:
    """In a CSV, text that a spreadsheet would run as a formula gets a leading apostrophe, so a
    title typed by an applicant can never execute in an organiser's spreadsheet."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], out) -> None:
    """CSV for a spreadsheet: a BOM so Excel reads UTF-8, `;` between fields as French Excel
    expects (the same dialect as applications.exports.write_csv)."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for title in header])
    for row in rows:
        writer.writerow([_text(_safe(cell)) for cell in row])


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """A one-sheet workbook: bold header row frozen, dates as dates, numbers as numbers."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Export"
    sheet.append([str(title) for title in header])
    widths = [len(str(title)) for title in header]
    for row in rows:
        cells = []
        for position, cell in enumerate(row):
            value = str(cell) if isinstance(cell, Promise) else cell
            if isinstance(value, datetime):
                value = timezone.localtime(value).replace(tzinfo=None)
            elif isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cells.append(value)
            if position < len(widths):
                widths[position] = max(widths[position], len(_text(cell)))
        sheet.append(cells)
        # openpyxl stores a string starting with "=" as a formula: keep it text instead.
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, str) and written.value.startswith("="):
                written.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(
            width + 2, MAX_COLUMN_WIDTH
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    write_csv(header, rows, response)
    return _attachment(response, filename)


def xlsx_response(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str, *, title: str
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX_TYPE)
    return _attachment(response, filename)
