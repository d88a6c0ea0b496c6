"""Badges: an SVG a laureate embeds on its site, and what it says, verifiable on the platform.

The SVG is drawn by a template (catalogue/projects/badge.svg) from a `Badge`. The server has no
font metrics, so the text's width is set from its length (SVG textLength): whatever font the
reader's system substitutes, the text fills its frame exactly, never overflows it. Under it, a
small line names the organisation that awards the contest (issue 16: every contest speaks for
itself); the badge is taller then, and as wide as its longer line.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext

from awards.distinctions import award_distinctions
from awards.models import Award
from contests.presentation import awarded_by

# Width of an average glyph of the badge font (Verdana-like, 12 px), padding on each side,
# and the space the medal takes on the left.
GLYPH_WIDTH = 6.8
PADDING = 10
MEDAL_WIDTH = 28
HEIGHT = 28
# The awarder's line: a smaller font (9 px), so a narrower glyph, and the height it adds.
SMALL_GLYPH_WIDTH = 5.1
AWARDER_LINE_HEIGHT = 12
# Medal colours per level code; anything else (unknown level) is the neutral one.
MEDAL_COLOURS = {"or": "#d4a017", "argent": "#b8b8c2", "bronze": "#b0683a"}
NEUTRAL_COLOUR = "#8a8a96"


@dataclass(frozen=True)
class Badge:
    """What a badge shows. `award` is None for an unknown or unpublished award."""

    text: str
    award: Award | None = None
    verification_url: str = ""
    awarded_by: str = ""

    @property
    def awarder_line(self) -> str:
        """« Décerné par Les Interconnectés », or nothing when no awarder is known."""
        if not self.awarded_by:
            return ""
        return gettext("Décerné par %(awarder)s") % {"awarder": self.awarded_by}

    @property
    def awarder_width(self) -> int:
        return round(len(self.awarder_line) * SMALL_GLYPH_WIDTH)

    @property
    def medal_colour(self) -> str:
        level = self.award.level if self.award else None
        return MEDAL_COLOURS.get(level.code, NEUTRAL_COLOUR) if level else NEUTRAL_COLOUR

    @property
    def text_width(self) -> int:
        return round(len(self.text) * GLYPH_WIDTH)

    @property
    def width(self) -> int:
        return MEDAL_WIDTH + PADDING * 2 + max(self.text_width, self.awarder_width)

    @property
    def height(self) -> int:
        return HEIGHT + (AWARDER_LINE_HEIGHT if self.awarder_line else 0)

    @property
    def medal_y(self) -> int:
        return self.height // 2

    @property
    def text_x(self) -> int:
        return MEDAL_WIDTH + PADDING


def badge_text(award: Award) -> str:
    """« Label Territoire Innovant 2024 — Or », then its distinctions (« — Or · Coup de cœur »,
    or the distinctions alone); just the edition when no level was published. The award's
    `distinctions` should be prefetched."""
    contest, year = award.edition.contest.name, award.edition.year
    parts = [capfirst(award.level.label)] if award.level else []
    parts += [capfirst(distinction.name) for distinction in award_distinctions(award)]
    if not parts:
        return gettext("%(contest)s %(year)s") % {"contest": contest, "year": year}
    return gettext("%(contest)s %(year)s — %(level)s") % {
        "contest": contest,
        "year": year,
        "level": " · ".join(parts),
    }


def award_badge(award: Award, *, verification_url: str) -> Badge:
    return Badge(
        text=badge_text(award),
        award=award,
        verification_url=verification_url,
        awarded_by=awarded_by(award.edition.contest),
    )


def unknown_badge() -> Badge:
    return Badge(text=gettext("Label inconnu ou non publié"))


def holders(award: Award) -> str:
    """The organisations holding the award, as one line (for alternative texts)."""
    return ", ".join(link.organisation.name for link in award.award_organisations.all())


def embed_alt(award: Award) -> str:
    """Alternative text of the embedded badge: the label and who holds it."""
    return gettext("%(badge)s, décerné à %(holders)s") % {
        "badge": badge_text(award),
        "holders": holders(award),
    }
