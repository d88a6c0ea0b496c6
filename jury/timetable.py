"""The audition timetable: every dossier of a round in one slot of a session it accepted.

A pure function on dataclasses (no database): `jury.domain.auditions` builds the problem from a
round and stores the answer.

Slots. Each session is cut into slots from its start: an audition lasts `length` minutes (pitch +
questions) and is followed by `buffer` minutes, so slot k starts at start + k × (length + buffer)
and ends `length` minutes later; a slot is usable when the audition ends by the session's end
(the buffer after the last one may run past it). Slots of a grid never overlap, so "no two
auditions overlap in a session" is "at most one dossier per slot".

Quorum. A dossier may go to a session only when at least `quorum` jurors present at that session
are not in conflict with it (a juror in conflict leaves for that slot only and stays for the
others). That is a property of the (dossier, session) pair, so it removes variables rather than
adding constraints.

The integer programme (SciPy's HiGHS, `scipy.optimize.milp`): x[d, s, k] = 1 when dossier d is
in slot k of session s, over the allowed (d, s, k) only; each dossier exactly one slot, each slot
at most one dossier. The constraint matrix is that of a bipartite assignment (totally unimodular),
so HiGHS solves it at the root; the costs are integers and the gap tolerance is zero.

Objective, lexicographic by weights (each weight exceeds the largest possible total of the terms
below it):
1. moves: a dossier that already has a slot still valid (same session, still accepted, quorum
   still met, on the grid) keeps it unless moving it is the only way to place everyone. We chose
   a penalty over fixing the slot: fixing would declare the timetable infeasible when a newcomer
   can only attend a session already full of dossiers that could go elsewhere;
2. Σ k, the slot indexes: auditions are packed at the start of their session, and since a
   session holding n auditions costs 0 + 1 + … + (n − 1), which grows faster than n, the same
   term spreads the auditions evenly over the sessions;
3. Σ session index: on a tie, earlier sessions first.
Within a session, the dossiers that do not keep a slot then take its chosen slots in reference
order (any order there has the same cost), so the answer does not depend on the solver's ties.

Infeasibility is explained before solving, in French: a dossier without any accepted session,
or whose accepted sessions all lack the quorum; or a set of sessions asked for more auditions
than they have slots (Hall's condition, found from a maximum matching).
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.utils.translation import gettext, ngettext
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array


@dataclass(frozen=True)
class SessionSlots:
    """A session as the solver sees it: when, and which jurors (any hashable key) are present."""

    label: str
    starts_at: datetime
    ends_at: datetime
    jurors: frozenset = frozenset()


@dataclass(frozen=True)
class DossierRequest:
    """A dossier to place: the sessions (indexes) it accepted, its jurors in conflict, and its
    current slot if it has one (session index and start)."""

    reference: str
    sessions: frozenset[int]
    conflicted: frozenset = frozenset()
    kept_session: int | None = None
    kept_start: datetime | None = None


@dataclass(frozen=True)
class TimetableProblem:
    sessions: list[SessionSlots]
    dossiers: list[DossierRequest]
    length_minutes: int  # pitch + questions
    buffer_minutes: int
    quorum: int
    # Time taken in a session by auditions left out of the problem (already held): (session
    # index, start, end). Slots overlapping them are not used.
    blocked: tuple[tuple[int, datetime, datetime], ...] = ()


@dataclass(frozen=True)
class Placement:
    dossier: int
    session: int
    slot: int
    starts_at: datetime
    ends_at: datetime
    # True when the dossier had a slot and now has another one (or its old one became invalid).
    moved: bool


@dataclass
class Timetable:
    placements: list[Placement] = field(default_factory=list)

    @property
    def moved(self) -> list[int]:
        return [p.dossier for p in self.placements if p.moved]


class TimetableInfeasible(Exception):
    """No timetable places every dossier; `causes` are French sentences, one per cause."""

    def __init__(self, causes: list[str]) -> None:
        super().__init__(" ".join(causes))
        self.causes = causes


def step_minutes(problem: TimetableProblem) -> int:
    return problem.length_minutes + problem.buffer_minutes


def count_slots(starts_at: datetime, ends_at: datetime, length: int, buffer: int) -> int:
    """How many auditions of `length` minutes, `buffer` apart, fit between the two times (the
    last one's buffer may run past the end)."""
    duration = (ends_at - starts_at) / timedelta(minutes=1)
    if duration < length:
        return 0
    return int((duration - length) // (length + buffer)) + 1


def slot_count(problem: TimetableProblem, session: SessionSlots) -> int:
    return count_slots(
        session.starts_at, session.ends_at, problem.length_minutes, problem.buffer_minutes
    )


def slot_start(problem: TimetableProblem, session: SessionSlots, slot: int) -> datetime:
    return session.starts_at + timedelta(minutes=slot * step_minutes(problem))


def usable_slots(problem: TimetableProblem, index: int) -> list[int]:
    """Slot indexes of a session that no blocked audition overlaps."""
    session = problem.sessions[index]
    length = timedelta(minutes=problem.length_minutes)
    taken = [(start, end) for s, start, end in problem.blocked if s == index]
    usable = []
    for k in range(slot_count(problem, session)):
        start = slot_start(problem, session, k)
        if all(start + length <= begin or end <= start for begin, end in taken):
            usable.append(k)
    return usable


def allowed_sessions(problem: TimetableProblem) -> list[list[int]]:
    """For each dossier, the sessions it accepted where the quorum without conflict is met and
    at least one audition fits."""
    allowed = []
    for dossier in problem.dossiers:
        allowed.append(
            [
                s
                for s in sorted(dossier.sessions)
                if len(problem.sessions[s].jurors - dossier.conflicted) >= problem.quorum
                and usable_slots(problem, s)
            ]
        )
    return allowed


def _kept_slot(problem: TimetableProblem, dossier: DossierRequest, allowed: list[int]):
    """(session, slot) of the dossier's current audition if still valid, else None."""
    if dossier.kept_session is None or dossier.kept_start is None:
        return None
    if dossier.kept_session not in allowed:
        return None
    session = problem.sessions[dossier.kept_session]
    offset = (dossier.kept_start - session.starts_at) / timedelta(minutes=1)
    step = step_minutes(problem)
    if offset < 0 or offset % step:
        return None
    slot = int(offset // step)
    return (
        (dossier.kept_session, slot)
        if slot in usable_slots(problem, dossier.kept_session)
        else None
    )


# ------------------------------------------------------------------------------ diagnosis


def _dossier_causes(problem: TimetableProblem, allowed: list[list[int]]) -> list[str]:
    causes = []
    for dossier, sessions in zip(problem.dossiers, allowed, strict=True):
        if sessions:
            continue
        if not dossier.sessions:
            causes.append(
                gettext("Dossier %(reference)s : aucune séance acceptée.")
                % {"reference": dossier.reference}
            )
        elif all(not usable_slots(problem, s) for s in dossier.sessions):
            causes.append(
                gettext(
                    "Dossier %(reference)s : aucune séance acceptée n'a de créneau libre pour "
                    "une audition de %(minutes)s minutes."
                )
                % {"reference": dossier.reference, "minutes": problem.length_minutes}
            )
        else:
            causes.append(
                ngettext(
                    "Dossier %(reference)s : aucune séance acceptée n'a %(quorum)s juré sans "
                    "conflit présent.",
                    "Dossier %(reference)s : aucune séance acceptée n'a %(quorum)s jurés sans "
                    "conflit présents.",
                    problem.quorum,
                )
                % {"reference": dossier.reference, "quorum": problem.quorum}
            )
    return causes


def _maximum_matching(allowed: list[list[int]], capacity: list[int]) -> list[int | None]:
    """Session of each dossier in a maximum matching (augmenting paths; a few hundred dossiers
    at most, so the simple algorithm is plenty)."""
    match: list[int | None] = [None] * len(allowed)
    holders: list[list[int]] = [[] for _ in capacity]

    def augment(d: int, seen: set[int]) -> bool:
        for s in allowed[d]:
            if s in seen:
                continue
            seen.add(s)
            if len(holders[s]) < capacity[s]:
                holders[s].append(d)
                match[d] = s
                return True
            for other in holders[s]:
                if augment(other, seen):
                    holders[s].remove(other)
                    holders[s].append(d)
                    match[d] = s
                    return True
        return False

    for d in range(len(allowed)):
        if allowed[d]:
            augment(d, set())
    return match


def _capacity_causes(
    problem: TimetableProblem, allowed: list[list[int]], capacity: list[int]
) -> list[str]:
    """Sets of sessions asked for more auditions than they hold (Hall's condition).

    From each dossier a maximum matching leaves out, the sessions reachable by alternating paths
    (its sessions, then the sessions of the dossiers holding their slots, …) are all full, and
    every dossier reached can only go there: that set of sessions is the bottleneck.
    """
    match = _maximum_matching(allowed, capacity)
    holders: dict[int, list[int]] = {}
    for d, s in enumerate(match):
        if s is not None:
            holders.setdefault(s, []).append(d)
    bottlenecks: list[frozenset[int]] = []
    for start, s in enumerate(match):
        if s is not None or not allowed[start]:
            continue
        reached: set[int] = set()
        queue = deque([start])
        while queue:
            d = queue.popleft()
            for session in allowed[d]:
                if session not in reached:
                    reached.add(session)
                    queue.extend(holders.get(session, []))
        if frozenset(reached) not in bottlenecks:
            bottlenecks.append(frozenset(reached))
    causes = []
    for sessions in bottlenecks:
        demanded = sum(1 for a in allowed if a and set(a) <= sessions)
        slots = sum(capacity[s] for s in sessions)
        causes.append(
            gettext("%(sessions)s : %(demanded)s, %(slots)s.")
            % {
                "sessions": ", ".join(problem.sessions[s].label for s in sorted(sessions)),
                "demanded": ngettext(
                    "%(count)s audition demandée", "%(count)s auditions demandées", demanded
                )
                % {"count": demanded},
                "slots": ngettext(
                    "%(count)s créneau de %(minutes)s minutes",
                    "%(count)s créneaux de %(minutes)s minutes",
                    slots,
                )
                % {"count": slots, "minutes": step_minutes(problem)},
            }
        )
    return causes


# ---------------------------------------------------------------------------------- solve


def solve_timetable(problem: TimetableProblem) -> Timetable:
    """Place every dossier (see the module docstring); raises TimetableInfeasible with causes."""
    allowed = allowed_sessions(problem)
    slots = [usable_slots(problem, s) for s in range(len(problem.sessions))]
    capacity = [len(usable) for usable in slots]
    causes = _dossier_causes(problem, allowed)
    causes += _capacity_causes(problem, allowed, capacity)
    if causes:
        raise TimetableInfeasible(causes)
    if not problem.dossiers:
        return Timetable()

    kept = [
        _kept_slot(problem, dossier, sessions)
        for dossier, sessions in zip(problem.dossiers, allowed, strict=True)
    ]
    # Variables: every allowed (dossier, session, slot).
    variables = [
        (d, s, k) for d, sessions in enumerate(allowed) for s in sessions for k in slots[s]
    ]
    count_d, count_s = len(problem.dossiers), len(problem.sessions)
    max_slot = max(k for usable in slots for k in usable) + 1
    w_session = 1
    w_slot = count_d * count_s + 1  # above Σ session index ≤ D × (S − 1)
    w_move = w_slot * count_d * max_slot + w_session * count_d * count_s + 1
    had_slot = [d.kept_session is not None for d in problem.dossiers]
    cost = np.array(
        [
            w_slot * k + w_session * s + (w_move if had_slot[d] and kept[d] != (s, k) else 0)
            for d, s, k in variables
        ],
        dtype=float,
    )
    slot_row: dict[tuple[int, int], int] = {}
    rows, cols = [], []
    for i, (d, s, k) in enumerate(variables):
        rows += [d, count_d + slot_row.setdefault((s, k), len(slot_row))]
        cols += [i, i]
    matrix = coo_array(
        (np.ones(len(rows)), (rows, cols)), shape=(count_d + len(slot_row), len(variables))
    ).tocsr()
    lower = np.concatenate([np.ones(count_d), np.zeros(len(slot_row))])
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, np.ones(count_d + len(slot_row))),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    if result.x is None:  # pragma: no cover - excluded by the diagnosis above
        raise TimetableInfeasible([gettext("Aucun planning ne place tous les dossiers.")])
    chosen = {variables[i][0]: variables[i][1:] for i in np.flatnonzero(result.x > 0.5)}
    return Timetable(_placements(problem, chosen, kept, had_slot))


def _placements(problem, chosen, kept, had_slot) -> list[Placement]:
    """Stored placements; within a session, dossiers that do not keep their slot take the
    session's remaining chosen slots in reference order (same cost, stable answer)."""
    staying = {d for d, place in chosen.items() if kept[d] == place}
    by_session: dict[int, list[int]] = {}
    for d, (s, _k) in chosen.items():
        if d not in staying:
            by_session.setdefault(s, []).append(d)
    final = {d: chosen[d] for d in staying}
    for s, dossiers in by_session.items():
        slots = sorted(chosen[d][1] for d in dossiers)
        dossiers.sort(key=lambda d: problem.dossiers[d].reference)
        for d, k in zip(dossiers, slots, strict=True):
            final[d] = (s, k)
    placements = []
    for d in sorted(final, key=lambda d: (final[d], problem.dossiers[d].reference)):
        s, k = final[d]
        session = problem.sessions[s]
        starts_at = slot_start(problem, session, k)
        placements.append(
            Placement(
                dossier=d,
                session=s,
                slot=k,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=problem.length_minutes),
                moved=had_slot[d] and kept[d] != (s, k),
            )
        )
    return placements
