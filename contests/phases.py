"""Changing an edition's phases: the one way their dates and capability flags change, logged.

`set_phases` brings an edition's phases to a list of rows (the organisers' phases page);
`open_results` is what publication needs (awards.publication). Both leave one activity entry per
phase added, changed or removed, with its values before and after, so that who moved a date or
lifted an embargo (results_public turning on) stays on record. Creating or copying an edition
gives it its first phases (contests.domain); the technical admin only shows them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import activity
from .enums import CAPABILITY_FLAGS, PHASE_DEFAULT_CAPABILITIES, PhaseKind
from .models import ActivityEntry, Edition, Phase

LIFECYCLE = list(PhaseKind)


@dataclass(frozen=True)
class PhaseRow:
    """One phase as it should be: its kind (one per edition), its start, its capability flags."""

    kind: PhaseKind
    starts_at: datetime
    may_apply: bool = False
    may_score: bool = False
    may_see_other_scores: bool = False
    may_publish: bool = False
    results_public: bool = False

    @classmethod
    def of(cls, phase: Phase) -> "PhaseRow":
        return cls(PhaseKind(phase.kind), phase.starts_at, **_flags(phase))


# What a row sets on its phase: the start, then the capability flags.
VALUES = tuple(field.name for field in fields(PhaseRow) if field.name != "kind")


def _flags(phase: Phase) -> dict[str, bool]:
    return {flag: getattr(phase, flag) for flag in CAPABILITY_FLAGS}


def _logged(values: dict[str, object]) -> dict[str, object]:
    """Values as the log keeps them: JSON, starts in Paris time (the organisers')."""
    zone = timezone.get_default_timezone()
    return {
        name: value.astimezone(zone).isoformat() if isinstance(value, datetime) else value
        for name, value in values.items()
    }


def _locked_phases(edition: Edition) -> dict[PhaseKind, Phase]:
    phases = Phase.objects.select_for_update().filter(edition=edition).order_by("starts_at")
    return {PhaseKind(phase.kind): phase for phase in phases}


@transaction.atomic
def set_phases(edition: Edition, rows: Iterable[PhaseRow], *, by) -> list[ActivityEntry]:
    """Make the edition's phases exactly `rows`; returns the activity entries written.

    Effects, in one transaction:
    1. guard: one row per kind (ValueError otherwise; the phases form says it in French);
    2. the edition's phases locked, then, keyed by kind: a stored phase absent from `rows`
       deleted, a changed one saved (its changed fields only), a new one created. Each save
       goes through the model, so the public pages' cache follows (palmares.page_cache);
    3. one activity entry for each: `contests.phase_removed`, `contests.phase_changed`,
       `contests.phase_added`, subject the phase's kind, details `before` and `after` (the
       values that changed; all of them for a phase added or removed). A phase left as it was
       logs nothing.
    """
    wanted: dict[PhaseKind, PhaseRow] = {}
    for row in rows:
        if row.kind in wanted:
            raise ValueError(f"Phase {row.kind!r} given twice.")
        wanted[PhaseKind(row.kind)] = row
    stored = _locked_phases(edition)
    entries = []
    for kind, phase in stored.items():
        if kind not in wanted:
            before = {name: getattr(phase, name) for name in VALUES}
            phase.delete()
            entries.append(_record(edition, "contests.phase_removed", kind, before, {}, by))
    for kind, row in sorted(wanted.items(), key=lambda item: LIFECYCLE.index(item[0])):
        values = {name: getattr(row, name) for name in VALUES}
        phase = stored.get(kind)
        if phase is None:
            Phase.objects.create(edition=edition, kind=kind, **values)
            entries.append(_record(edition, "contests.phase_added", kind, {}, values, by))
            continue
        changed = [name for name in VALUES if getattr(phase, name) != values[name]]
        if not changed:
            continue
        before = {name: getattr(phase, name) for name in changed}
        for name in changed:
            setattr(phase, name, values[name])
        phase.save(update_fields=changed)
        after = {name: values[name] for name in changed}
        entries.append(_record(edition, "contests.phase_changed", kind, before, after, by))
    return entries


def _record(
    edition: Edition, action: str, kind: PhaseKind, before: dict, after: dict, by
) -> ActivityEntry:
    return activity.record(
        edition,
        action,
        by=by,
        subject=kind.value,
        before=_logged(before),
        after=_logged(after),
    )


@transaction.atomic
def open_results(edition: Edition, at: datetime, *, by) -> list[ActivityEntry]:
    """Make the edition's results public from `at` on, through `set_phases` (so, logged).

    The PUBLISHED phase starts at `at` if it was to start later (created if missing, with its
    default flags), with results_public in any case. A phase of an earlier kind still to come
    (the embargo, say) would become current after `at` and hide the results again: publication
    ends it, so it is moved just before `at`, in lifecycle order.
    """
    rows = {kind: PhaseRow.of(phase) for kind, phase in _locked_phases(edition).items()}
    published = rows.get(PhaseKind.PUBLISHED)
    if published is None:
        flags = PHASE_DEFAULT_CAPABILITIES[PhaseKind.PUBLISHED] | {"results_public": True}
        rows[PhaseKind.PUBLISHED] = PhaseRow(PhaseKind.PUBLISHED, at, **flags)
    else:
        rows[PhaseKind.PUBLISHED] = replace(
            published, starts_at=min(published.starts_at, at), results_public=True
        )
    earlier = LIFECYCLE[: LIFECYCLE.index(PhaseKind.PUBLISHED)]
    pending = [rows[kind] for kind in earlier if kind in rows and rows[kind].starts_at > at]
    for distance, row in enumerate(reversed(pending), start=1):
        rows[row.kind] = replace(row, starts_at=at - timedelta(seconds=distance))
    return set_phases(edition, rows.values(), by=by)
