"""What an import did: its report, and the writer that counts what it creates and changes."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from territories.matching import Match, Outcome


@dataclass
class ImportReport:
    rows: int
    awards: int
    editions: int
    matches: list[Match]  # one per distinct published name, in order of first appearance
    created: int
    updated: int
    # The awards of the file: "created", "updated" (it or its organisations) or "unchanged".
    award_outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def organisations_matched(self) -> int:
        """Names matched to a body of the referential: by name, alias or successor."""
        return sum(match.matched for match in self.matches)

    @property
    def matched_as_successor(self) -> list[str]:
        return [
            match.published_name for match in self.matches if match.outcome == Outcome.SUCCESSOR
        ]

    @property
    def unmatched(self) -> list[str]:
        return [match.published_name for match in self.matches if not match.matched]

    @property
    def match_rate(self) -> float:
        return self.organisations_matched / len(self.matches) if self.matches else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "awards": self.awards,
            "editions": self.editions,
            "organisations_matched": self.organisations_matched,
            "matched_as_successor": self.matched_as_successor,
            "unmatched": self.unmatched,
            "match_rate": round(self.match_rate, 3),
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class Writer:
    """Creates or updates rows, counting what it does."""

    created: int = 0
    updated: int = 0
    taken_award_slugs: set[str] | None = None
    award_outcomes: Counter[str] = field(default_factory=Counter)

    def counts(self) -> tuple[int, int]:
        return self.created, self.updated

    def count_award(self, before: tuple[int, int], *, new: bool) -> None:
        """Record what became of one award, from the counts `before` it was written."""
        if new:
            self.award_outcomes["created"] += 1
        elif self.counts() != before:
            self.award_outcomes["updated"] += 1
        else:
            self.award_outcomes["unchanged"] += 1

    def upsert[M: models.Model](
        self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
    ) -> M:
        """The row matching `lookup`, created with `values` or updated to them if they differ."""
        instance = model._default_manager.filter(**lookup).order_by("pk").first()
        if instance is None:
            self.created += 1
            return model._default_manager.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=changed)
            self.updated += 1
        return instance
