"""Bar charts drawn server-side as small accessible SVG, no library and no JavaScript.

Each chart is an image (role="img") named by its <title> and described by its <desc>; its
numbers are also written on the bars, and the page puts the same figures in a table right after
it, so nothing is conveyed by the drawing alone. Sizes are in the viewBox's units, which are CSS
pixels when the chart is shown at its natural width; colours come from the stylesheet.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

NOT_PUBLISHED = _("non publié")

WIDTH = 640
ROW = 26  # height of a bar's row
BAR = 18  # thickness of a bar
FONT = 14
CHAR = 7.2  # average advance of a character at FONT, to size the label column
MAX_LABEL = 300  # longer labels are shortened in the chart (the table has them in full)
VALUE_ROOM = 90  # room after the longest bar for its number (or « non publié »)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: the figure was never published; no bar, « non publié » instead
    group: str = ""  # a bar whose group differs from the previous one's starts a heading row


def _num(value: float) -> str:
    """A coordinate with at most one decimal and no useless ".0" (the page stays light)."""
    return f"{round(value, 1):g}"


def _shorten(label: str, room: float) -> str:
    fits = int(room / CHAR + 0.01)  # + 0.01: 4 × 7.2 / 7.2 must give 4, not 3.99
    return label if len(label) <= fits else label[: fits - 1].rstrip() + "…"


def _frame(
    kind: str, ident: str, title: str, description: str, width: int, height: int, body
) -> SafeString:
    return format_html(
        '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-titre {}-desc">'
        '<title id="{}-titre">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        kind,
        width,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        description,
        body,
    )


def bar_chart(*, ident: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one row each, labels on the left and values at the end of the bars.

    `ident` must be unique on the page (it prefixes the ids of the title and description).
    """
    label_room = min(MAX_LABEL, max((len(b.label) for b in bars), default=0) * CHAR + 12)
    scale_room = WIDTH - label_room - VALUE_ROOM
    largest = max((b.value or 0 for b in bars), default=0) or 1
    parts, y, group = [], 0, None
    for bar in bars:
        if bar.group and bar.group != group:
            group = bar.group
            parts.append(
                format_html('<text class="group" x="0" y="{}">{}</text>', y + FONT + 4, group)
            )
            y += ROW
        middle = _num(y + ROW / 2 + FONT / 3)  # the text's baseline, centred on the bar
        parts.append(
            format_html(
                '<text x="0" y="{}">{}</text>', middle, _shorten(bar.label, label_room - 12)
            )
        )
        if bar.value is None:
            parts.append(
                format_html(
                    '<text class="missing" x="{}" y="{}">{}</text>',
                    _num(label_room),
                    middle,
                    NOT_PUBLISHED,
                )
            )
        else:
            length = scale_room * bar.value / largest
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}"/><text x="{}" y="{}">{}</text>',
                    _num(label_room),
                    _num(y + (ROW - BAR) / 2),
                    _num(length),
                    BAR,
                    _num(label_room + length + 6),
                    middle,
                    bar.value,
                )
            )
        y += ROW
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _frame("bars", ident, title, description, WIDTH, max(y, ROW), body)


COLUMN = 44  # width of a column's slot
COLUMN_HEIGHT = 110  # height of the tallest column


def column_chart(*, ident: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """Vertical columns (a histogram): labels below, values above each column."""
    largest = max((b.value or 0 for b in bars), default=0) or 1
    top, parts = FONT + 8, []
    for index, bar in enumerate(bars):
        x = index * COLUMN
        height = COLUMN_HEIGHT * (bar.value or 0) / largest
        base = top + COLUMN_HEIGHT
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                x + 6,
                _num(base - height),
                COLUMN - 12,
                _num(height),
                _num(x + COLUMN / 2),
                _num(base - height - 6),
                "–" if bar.value is None else bar.value,
                _num(x + COLUMN / 2),
                base + FONT + 6,
                bar.label,
            )
        )
    body = format_html_join("", "{}", ((part,) for part in parts))
    height = top + COLUMN_HEIGHT + FONT + 12
    return _frame("columns", ident, title, description, max(len(bars), 1) * COLUMN, height, body)
