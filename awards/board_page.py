"""One page of the deliberation board: its rows filtered by theme or by state, PER_PAGE at a
time, regrouped by theme for the page.

The board (awards.deliberation_board) is computed whole: ranks, proposed levels and the what-if
depend on every dossier of a theme. Only what is shown is cut, so that a row keeps its rank on
any page, page 2 holds exactly the rows after page 1, and each theme's count is its whole count.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from palmares.paging import page_of

from .deliberation_board import Board, BoardRow, ThemeGroup

NO_THEME = "aucun"
STATES = {
    "desaccord": _("en désaccord"),
    "elimines": _("éliminés"),
    "sans-decision": _("sans décision"),
}


@dataclass
class PagePart:
    """A theme's rows on this page, with the theme's count over the whole board."""

    group: ThemeGroup
    rows: list[BoardRow]
    total: int
    continued: bool  # the theme's first rows are on an earlier page

    @property
    def key(self) -> str:
        return theme_key(self.group)


def theme_key(group: ThemeGroup) -> str:
    return str(group.theme.pk) if group.theme else NO_THEME


def _keeps(row: BoardRow, state: str) -> bool:
    if state == "desaccord":
        return row.flagged
    if state == "elimines":
        return row.eliminated
    if state == "sans-decision":
        return row.decision is None
    return True


@dataclass
class BoardPage:
    page: Page
    parts: list[PagePart]
    themes: list[tuple[str, ThemeGroup, int]]  # every theme: key, group, its rows
    theme: str  # the theme filter ("" for all)
    state: str  # the state filter ("" for all)
    count: int  # rows kept by the filters, over every page

    @property
    def filtered(self) -> bool:
        return bool(self.theme or self.state)


def board_page(request: HttpRequest, board: Board) -> BoardPage:
    themes = [(theme_key(group), group, len(group.rows)) for group in board.groups]
    theme = request.GET.get("theme", "")
    if theme not in {key for key, _group, _n in themes}:
        theme = ""
    state = request.GET.get("etat", "")
    if state not in STATES:
        state = ""
    kept = [
        (group, row)
        for key, group, _n in themes
        if not theme or key == theme
        for row in group.rows
        if _keeps(row, state)
    ]
    page = page_of(request, kept)
    parts: list[PagePart] = []
    first = page.start_index() - 1 if kept else 0
    for position, (group, row) in enumerate(page.object_list, start=first):
        if not parts or parts[-1].group is not group:
            earlier = position > 0 and kept[position - 1][0] is group
            total = sum(1 for g, r in kept if g is group)
            parts.append(PagePart(group, [], total, earlier))
        parts[-1].rows.append(row)
    if page.number == 1 and not state:
        # A veiled theme without any row to show still says why it has no ranks.
        for key, group, count in themes:
            if count == 0 and (not theme or key == theme):
                parts.append(PagePart(group, [], 0, False))
    return BoardPage(page, parts, themes, theme, state, len(kept))
