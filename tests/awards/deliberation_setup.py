"""A hand-made deliberated round (tests/awards/test_deliberation*.py).

Edition « Label Territoire Innovant » with three criteria weighted 2, 1, 1 (all eliminatory,
rule: any), three levels — or (at least 3.5, at most 1 per theme), argent (at least 3.2),
bronze (at least 2.5) — two themes, three jurors (Alice presides), and four dossiers. Each
juror's total is (2·c1 + c2 + c3) / 4:

    theme « Services »   Alice  Bruno  Chloé   mean   median
      LTI-2028-0001 (A)  4      4      3       3.667  4
      LTI-2028-0002 (B)  2      5      3       3.333  3
      LTI-2028-0004 (D)  4      4      4       4      4
    theme « Mobilités »
      LTI-2028-0003 (C)  3 (« insuffisant » on c3)  4  —   eliminated

With the mean: D or, A argent (or already taken in its theme), B argent, C none. With the
median: A and D tie at 4 for the one or, so both go down to argent; B (3) gets bronze. Without
Bruno: B = 2.5, bronze.
"""

from dataclasses import dataclass
from decimal import Decimal

from contests.models import Level, Theme
from jury.models import Juror, RoundEntry
from jury.scoring import recompute_round
from tests.factories import LevelFactory, ThemeFactory
from tests.jury.scoring_setup import INSUFFICIENT, Setup, make_setup

REFERENCES = {
    "A": "LTI-2028-0001",
    "B": "LTI-2028-0002",
    "C": "LTI-2028-0003",
    "D": "LTI-2028-0004",
}


@dataclass
class Deliberated:
    setup: Setup
    alice: Juror  # the president
    bruno: Juror
    chloe: Juror
    entries: dict[str, RoundEntry]
    levels: dict[str, Level]
    themes: dict[str, Theme]

    @property
    def edition(self):
        return self.setup.edition

    @property
    def round(self):
        return self.setup.round

    def application(self, key: str):
        return self.entries[key].application


def make_levels(edition) -> dict[str, Level]:
    return {
        "or": LevelFactory(
            edition=edition, code="or", name="Or", rank=1, min_score=Decimal("3.5"), max_per_theme=1
        ),
        "argent": LevelFactory(
            edition=edition, code="argent", name="Argent", rank=2, min_score=Decimal("3.2")
        ),
        "bronze": LevelFactory(
            edition=edition, code="bronze", name="Bronze", rank=3, min_score=Decimal("2.5")
        ),
    }


def make_deliberated(dossiers: str = "ABCD") -> Deliberated:
    setup = make_setup(weights=("2", "1", "1"), year=2028)
    edition = setup.edition
    themes = {
        "services": ThemeFactory(edition=edition, name="Services", position=0),
        "mobilites": ThemeFactory(edition=edition, name="Mobilités", position=1),
    }
    alice = setup.juror("Alice", is_president=True)
    bruno = setup.juror("Bruno")
    chloe = setup.juror("Chloé")
    c1, c2, c3 = setup.criteria
    marks = {
        "A": {alice: (5, 3, 3), bruno: (4, 4, 4), chloe: (3, 3, 3)},
        "B": {alice: (2, 2, 2), bruno: (5, 5, 5), chloe: (3, 3, 3)},
        "C": {alice: (4, 4, (INSUFFICIENT, "Trop énergivore")), bruno: (4, 4, 4)},
        "D": {alice: (4, 4, 4), bruno: (4, 4, 4), chloe: (4, 4, 4)},
    }
    entries = {}
    for key in dossiers:
        theme = themes["mobilites" if key == "C" else "services"]
        entries[key] = setup.dossier(REFERENCES[key], theme=theme, title=f"Projet {key}")
        for juror, values in marks[key].items():
            setup.evaluate(juror, entries[key], dict(zip((c1, c2, c3), values, strict=True)))
    recompute_round(setup.round)
    for entry in entries.values():
        entry.refresh_from_db()
    return Deliberated(setup, alice, bruno, chloe, entries, make_levels(edition), themes)
