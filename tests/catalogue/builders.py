"""Builders for palmarès tests, and an outline of the rendered palmarès to assert on."""

from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from contests.models import Contest, Edition, Level
from tests.factories import (
    AwardFactory,
    AwardOrganisationFactory,
    EditionFactory,
    LevelFactory,
    PhaseFactory,
)


def make_edition(contest: Contest, year: int, **fields) -> tuple[Edition, dict[str, Level]]:
    """An edition with the levels or, argent and bronze."""
    edition = EditionFactory(contest=contest, year=year, **fields)
    levels = {
        code: LevelFactory(edition=edition, code=code, name=name, rank=rank)
        for rank, (code, name) in enumerate(
            [("or", "Or"), ("argent", "Argent"), ("bronze", "Bronze")], start=1
        )
    }
    return edition, levels


def make_award(edition, title, *names, level=None, theme=None):
    """An award of `edition` to organisations published under `names`."""
    award = AwardFactory(edition=edition, title=title, level=level, theme=theme)
    for position, name in enumerate(names):
        AwardOrganisationFactory(award=award, position=position, published_name=name)
    return award


def set_current_phase(edition, kind: str, *, results_public: bool) -> None:
    """Give a non-historical edition a past phase and a current one."""
    now = timezone.now()
    PhaseFactory(edition=edition, kind="deliberation", starts_at=now - timedelta(days=10))
    PhaseFactory(
        edition=edition,
        kind=kind,
        starts_at=now - timedelta(days=1),
        results_public=results_public,
    )


class _Outline(HTMLParser):
    """Collects the palmarès as lines: headings and « organisations — title » per award."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self._tag: str | None = None
        self._text: list[str] = []
        self._organisations = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        kind = next((c for c in ("award-organisations", "award-title") if c in classes), None)
        if kind or tag in {"h2", "h3", "h4"}:
            self._tag = kind or tag
            self._text = []

    def handle_endtag(self, tag):
        if self._tag is None or tag not in {"h2", "h3", "h4", "p"}:
            return
        text = " ".join("".join(self._text).split())
        if self._tag == "award-organisations":
            self._organisations = text
        elif self._tag == "award-title":
            self.lines.append(f"{self._organisations} — {text}")
        else:
            self.lines.append(f"{self._tag}: {text}")
        self._tag = None

    def handle_data(self, data):
        if self._tag is not None:
            self._text.append(data)


def outline(html: str) -> list[str]:
    """The page's h2-h4 headings and awards, in document order."""
    parser = _Outline()
    parser.feed(html)
    return parser.lines
