"""The RGAA 4.1 grid of the site, and what the accessibility statement says from it.

`rgaa.csv` (next to this file, shipped with the code) holds the 106 criteria of RGAA 4.1, each
with its status and its evidence: the tests that check it (path::test, verified by
tests/catalogue/test_accessibility_grid.py) or the manual check made and its date. The
statement page and the footer compute the conformity from it, never from a declared figure.
`derogations.csv` lists the contents exempted for disproportionate burden, with the reason.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

HERE = Path(__file__).resolve().parent
GRID = HERE / "rgaa.csv"
DEROGATIONS = HERE / "derogations.csv"

PASSES = "passes"
FAILS = "fails"
NOT_APPLICABLE = "not_applicable"
NOT_TESTED = "not_tested"
STATUSES = (PASSES, FAILS, NOT_APPLICABLE, NOT_TESTED)
MANUAL = "manuel :"  # evidence of a manual check starts so; a test's evidence is path::name

# The RGAA's thresholds: every applicable criterion met, or at least half of them.
FULLY = _("totalement conforme")
PARTIALLY = _("partiellement conforme")
NOT_CONFORMING = _("non conforme")


@dataclass(frozen=True)
class Criterion:
    number: str  # "10.11"
    topic: str  # "Présentation de l'information"
    level: str  # "A" or "AA"
    title: str  # the RGAA's question
    status: str  # one of STATUSES
    evidence: str  # "tests/…::test_… ; …" or "manuel : …"; why not applicable
    checked_on: date | None
    workaround: str  # for a failing criterion: how to reach the content anyway
    checks: str  # what the evidence's tests must still do ("reflow_problem", "axe:image-alt")

    @property
    def tests(self) -> list[str]:
        """The test node ids of the evidence (none for a manual check)."""
        if self.evidence.startswith(MANUAL):
            return []
        return [item.strip() for item in self.evidence.split(";") if "::" in item]

    @property
    def notes(self) -> str:
        """The evidence in words: a manual check, or why the criterion does not apply."""
        if self.evidence.startswith(MANUAL):
            return self.evidence.removeprefix(MANUAL).strip()
        return " ; ".join(item.strip() for item in self.evidence.split(";") if "::" not in item)

    @property
    def sort_key(self) -> tuple[int, int]:
        topic, number = self.number.split(".")
        return int(topic), int(number)


@dataclass(frozen=True)
class Topic:
    """One of the RGAA's 13 topics ("1", "Images") and its criteria, in the grid's order."""

    number: str
    name: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Derogation:
    content: str
    reason: str


@dataclass(frozen=True)
class Conformity:
    """What the statement publishes: the rate is conforming / applicable criteria, where a
    criterion not tested yet counts as not conforming (nothing is declared without proof)."""

    criteria: tuple[Criterion, ...]

    def with_status(self, status: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.status == status]

    @property
    def applicable(self) -> int:
        return len(self.criteria) - len(self.with_status(NOT_APPLICABLE))

    @property
    def rate(self) -> Decimal:
        """Percentage of applicable criteria met, rounded down to one decimal."""
        if not self.applicable:
            return Decimal(100)
        rate = Decimal(100 * len(self.with_status(PASSES))) / self.applicable
        return rate.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def level(self) -> str:
        if self.rate == 100:
            return FULLY
        return PARTIALLY if self.rate >= 50 else NOT_CONFORMING

    @property
    def topics(self) -> list[Topic]:
        """The criteria grouped by topic, in the RGAA's order: each topic has a page of its
        own, the 106 criteria on one page weighing ~900 elements (EcoIndex C)."""
        grouped: dict[str, list[Criterion]] = {}
        for criterion in self.criteria:
            grouped.setdefault(criterion.number.split(".")[0], []).append(criterion)
        return [
            Topic(number, criteria[0].topic, tuple(criteria))
            for number, criteria in grouped.items()
        ]

    def topic(self, number: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.number == number), None)

    @property
    def last_checked(self) -> date | None:
        dates = [criterion.checked_on for criterion in self.criteria if criterion.checked_on]
        return max(dates, default=None)


def read_grid(path: Path = GRID) -> tuple[Criterion, ...]:
    with path.open(encoding="utf-8", newline="") as grid:
        rows = list(csv.DictReader(grid))
    criteria = (
        Criterion(
            number=row["criterion"],
            topic=row["topic"],
            level=row["level"],
            title=row["title"],
            status=row["status"],
            evidence=row["evidence"],
            checked_on=date.fromisoformat(row["checked_on"]) if row["checked_on"] else None,
            workaround=row["workaround"],
            checks=row["checks"],
        )
        for row in rows
    )
    return tuple(sorted(criteria, key=lambda criterion: criterion.sort_key))


def read_derogations(path: Path = DEROGATIONS) -> tuple[Derogation, ...]:
    with path.open(encoding="utf-8", newline="") as derogations:
        rows = list(csv.DictReader(derogations))
    return tuple(Derogation(row["content"], row["reason"]) for row in rows)


@cache
def conformity() -> Conformity:
    """The grid shipped with the code, read once per process (it changes with a release)."""
    return Conformity(read_grid())


@cache
def derogations() -> tuple[Derogation, ...]:
    return read_derogations()
