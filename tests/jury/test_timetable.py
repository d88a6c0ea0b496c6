"""The audition timetable solver on hand-made instances with known optimal placements."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jury.timetable import (
    DossierRequest,
    SessionSlots,
    TimetableInfeasible,
    TimetableProblem,
    count_slots,
    solve_timetable,
)

PARIS = ZoneInfo("Europe/Paris")
ALL = frozenset({1, 2, 3})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2028, 11, day, hour, minute, tzinfo=PARIS)


MORNING = SessionSlots("Séance 1", at(14, 9), at(14, 10, 15), ALL)  # 3 slots of 25 min
AFTERNOON = SessionSlots("Séance 2", at(14, 14), at(14, 15, 15), frozenset({1, 2}))


def problem(dossiers, sessions=(MORNING, AFTERNOON), quorum=2, blocked=()) -> TimetableProblem:
    return TimetableProblem(
        sessions=list(sessions),
        dossiers=list(dossiers),
        length_minutes=20,
        buffer_minutes=5,
        quorum=quorum,
        blocked=tuple(blocked),
    )


def dossier(number: int, *sessions: int, conflicted=(), kept=None) -> DossierRequest:
    return DossierRequest(
        reference=f"LTI-2028-{number:04d}",
        sessions=frozenset(sessions),
        conflicted=frozenset(conflicted),
        kept_session=kept[0] if kept else None,
        kept_start=kept[1] if kept else None,
    )


def table(result, request: TimetableProblem) -> list[tuple[str, str, str]]:
    return [
        (
            request.dossiers[p.dossier].reference,
            request.sessions[p.session].label,
            p.starts_at.astimezone(PARIS).strftime("%d %H:%M"),
        )
        for p in result.placements
    ]


def test_count_slots_lets_the_last_buffer_run_past_the_end():
    assert count_slots(at(14, 9), at(14, 10, 15), 20, 5) == 3
    assert count_slots(at(14, 9), at(14, 10, 9), 20, 5) == 2
    assert count_slots(at(14, 9), at(14, 9, 19), 20, 5) == 0
    assert count_slots(at(14, 14), at(14, 16, 30), 20, 5) == 6


def test_known_optimum_packs_early_balances_and_orders_by_reference():
    # 0001 is in conflict with juror 1: the afternoon (jurors 1, 2) lacks the quorum of 2 for it.
    request = problem(
        [
            dossier(5, 0, 1),
            dossier(1, 0, 1, conflicted={1}),
            dossier(2, 1),
            dossier(3, 0, 1),
            dossier(4, 1),
        ]
    )

    result = solve_timetable(request)

    # Loads 3 + 2 (Σ slot indexes 3 + 1) beat 2 + 3 only by the earlier session.
    assert table(result, request) == [
        ("LTI-2028-0001", "Séance 1", "14 09:00"),
        ("LTI-2028-0003", "Séance 1", "14 09:25"),
        ("LTI-2028-0005", "Séance 1", "14 09:50"),
        ("LTI-2028-0002", "Séance 2", "14 14:00"),
        ("LTI-2028-0004", "Séance 2", "14 14:25"),
    ]
    assert [p.ends_at.astimezone(PARIS).strftime("%H:%M") for p in result.placements] == [
        "09:20",
        "09:45",
        "10:10",
        "14:20",
        "14:45",
    ]
    assert result.moved == []


def test_rerun_keeps_a_valid_slot_even_when_an_earlier_one_is_free():
    request = problem([dossier(1, 0, 1, kept=(0, at(14, 9, 50))), dossier(2, 0, 1)])

    result = solve_timetable(request)

    assert table(result, request) == [
        ("LTI-2028-0002", "Séance 1", "14 09:00"),
        ("LTI-2028-0001", "Séance 1", "14 09:50"),
    ]
    assert result.moved == []


def test_rerun_moves_a_kept_slot_only_when_needed():
    # Three newcomers can only attend the morning, which has three slots: 0001 must move.
    request = problem(
        [
            dossier(1, 0, 1, kept=(0, at(14, 9))),
            dossier(2, 0),
            dossier(3, 0),
            dossier(4, 0),
            dossier(5, 1, kept=(1, at(14, 14))),
        ]
    )

    result = solve_timetable(request)

    assert table(result, request) == [
        ("LTI-2028-0002", "Séance 1", "14 09:00"),
        ("LTI-2028-0003", "Séance 1", "14 09:25"),
        ("LTI-2028-0004", "Séance 1", "14 09:50"),
        ("LTI-2028-0005", "Séance 2", "14 14:00"),
        ("LTI-2028-0001", "Séance 2", "14 14:25"),
    ]
    assert result.moved == [0]  # LTI-2028-0001, first in the problem


def test_a_kept_slot_off_the_grid_is_moved():
    # The round's durations changed: 09:10 is no longer a slot start.
    request = problem([dossier(1, 0, kept=(0, at(14, 9, 10)))])

    result = solve_timetable(request)

    assert table(result, request) == [("LTI-2028-0001", "Séance 1", "14 09:00")]
    assert result.moved == [0]


def test_a_conflicted_juror_leaves_for_that_dossier_only():
    # Quorum 3, three jurors in the morning: 0001 (conflict with juror 2) cannot be heard there,
    # 0002 can. The afternoon has four jurors, so 0001 goes there.
    afternoon = SessionSlots("Séance 2", at(14, 14), at(14, 15), frozenset({1, 2, 3, 4}))
    request = problem(
        [dossier(1, 0, 1, conflicted={2}), dossier(2, 0, 1)],
        sessions=(MORNING, afternoon),
        quorum=3,
    )

    result = solve_timetable(request)

    assert table(result, request) == [
        ("LTI-2028-0002", "Séance 1", "14 09:00"),
        ("LTI-2028-0001", "Séance 2", "14 14:00"),
    ]


def test_blocked_auditions_take_their_slots():
    request = problem([dossier(1, 0)], blocked=[(0, at(14, 9), at(14, 9, 20))])

    result = solve_timetable(request)

    assert table(result, request) == [("LTI-2028-0001", "Séance 1", "14 09:25")]


def causes(request: TimetableProblem) -> list[str]:
    with translation.override("fr"), pytest.raises(TimetableInfeasible) as failure:
        solve_timetable(request)
    return failure.value.causes


def test_infeasible_quorum_is_explained():
    request = problem(
        [DossierRequest("LTI-2028-0012", frozenset({0, 1}), frozenset({1}))], quorum=3
    )

    assert causes(request) == [
        "Dossier LTI-2028-0012 : aucune séance acceptée n'a 3 jurés sans conflit présents."
    ]


def test_infeasible_without_any_accepted_session():
    assert causes(problem([dossier(7)])) == ["Dossier LTI-2028-0007 : aucune séance acceptée."]


def test_infeasible_when_accepted_sessions_are_too_short():
    short = SessionSlots("Séance courte", at(15, 9), at(15, 9, 15), ALL)

    assert causes(problem([dossier(8, 0)], sessions=(short,))) == [
        "Dossier LTI-2028-0008 : aucune séance acceptée n'a de créneau libre pour une "
        "audition de 20 minutes."
    ]


def test_infeasible_session_capacity_is_explained():
    first = SessionSlots("Séance 1", at(14, 9), at(14, 10), ALL)
    second = SessionSlots("Séance 2", at(14, 14), at(14, 16, 30), ALL)
    dossiers = [dossier(1, 0)] + [dossier(n, 1) for n in range(2, 11)]

    assert causes(problem(dossiers, sessions=(first, second))) == [
        "Séance 2 : 9 auditions demandées, 6 créneaux de 25 minutes."
    ]


def test_infeasible_set_of_sessions_is_explained():
    # Each session alone has room for its own dossiers; both together lack one slot.
    first = SessionSlots("Séance 1", at(14, 9), at(14, 9, 45), ALL)  # 2 slots
    second = SessionSlots("Séance 2", at(14, 14), at(14, 14, 45), ALL)  # 2 slots
    dossiers = [dossier(1, 0), dossier(2, 1), dossier(3, 0, 1), dossier(4, 0, 1), dossier(5, 0, 1)]

    assert causes(problem(dossiers, sessions=(first, second))) == [
        "Séance 1, Séance 2 : 5 auditions demandées, 4 créneaux de 25 minutes."
    ]


def test_every_cause_is_reported_at_once():
    first = SessionSlots("Séance 1", at(14, 9), at(14, 9, 20), ALL)  # 1 slot
    dossiers = [dossier(1), dossier(2, 0), dossier(3, 0)]

    assert causes(problem(dossiers, sessions=(first,))) == [
        "Dossier LTI-2028-0001 : aucune séance acceptée.",
        "Séance 1 : 2 auditions demandées, 1 créneau de 25 minutes.",
    ]


def test_an_empty_round_has_an_empty_timetable():
    assert solve_timetable(problem([])).placements == []


def test_thirty_dossiers_in_four_sessions_are_balanced():
    sessions = [
        SessionSlots(f"Séance {i + 1}", at(14 + i, 9), at(14 + i, 12, 30), ALL) for i in range(4)
    ]
    request = problem([dossier(n, 0, 1, 2, 3) for n in range(1, 29)], sessions=sessions)

    result = solve_timetable(request)

    loads = [sum(1 for p in result.placements if p.session == s) for s in range(4)]
    assert loads == [7, 7, 7, 7]
    assert max(p.slot for p in result.placements) == 6
    assert result.placements[0].starts_at == at(14, 9) and result.placements[0].slot == 0
    assert timedelta(0) < result.placements[1].starts_at - result.placements[0].starts_at
