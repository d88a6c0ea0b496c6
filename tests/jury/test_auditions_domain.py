"""Auditions from the database: scheduling, re-running, jurors assigned, sessions done."""

import pytest
from django.utils import translation

from applications.enums import ApplicationState
from contests.models import ActivityEntry
from jury.domain import auditions as domain
from jury.enums import AssignmentSource, ConflictStatus, RoundKind
from jury.models import Assignment, Audition, SessionAvailability
from tests.jury.auditions_setup import PARIS, at, audition_setup
from tests.jury.factories import AssignmentFactory, ConflictFactory, EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return audition_setup()


@pytest.fixture
def jury(setup):
    return [setup.juror(name) for name in ("Anne Durand", "Bruno Petit", "Chloé Martin")]


def timetable(round_) -> list[tuple[str, str, str, int]]:
    return [
        (
            a.application.reference,
            a.session.name,
            a.starts_at.astimezone(PARIS).strftime("%d %H:%M"),
            a.sequence,
        )
        for a in Audition.objects.filter(round=round_)
        .select_related("application", "session")
        .order_by("starts_at")
    ]


def test_schedule_stores_slots_assigns_jurors_and_logs(setup, jury, organiser):
    morning = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    afternoon = setup.session("Séance 2", at(14, 14), at(14, 15), jurors=jury[:2])
    first, second = setup.dossier(1), setup.dossier(2)
    setup.available(first, morning, afternoon)
    setup.available(second, morning)
    setup.round.quorum = 2
    setup.round.save()

    outcome = domain.schedule_auditions(setup.round, by=organiser)

    # Both sessions have the quorum of 2 for 0001: one audition per session beats two in one.
    assert timetable(setup.round) == [
        ("LTI-2028-0002", "Séance 1", "14 09:00", 0),
        ("LTI-2028-0001", "Séance 2", "14 14:00", 0),
    ]
    assert outcome.created == ["LTI-2028-0001", "LTI-2028-0002"]
    assert (outcome.moved, outcome.kept, outcome.removed) == ([], [], [])
    assert sorted(
        Assignment.objects.values_list("application__reference", "juror__full_name", "source")
    ) == [
        ("LTI-2028-0001", "Anne Durand", AssignmentSource.SOLVER),
        ("LTI-2028-0001", "Bruno Petit", AssignmentSource.SOLVER),
        ("LTI-2028-0002", "Anne Durand", AssignmentSource.SOLVER),
        ("LTI-2028-0002", "Bruno Petit", AssignmentSource.SOLVER),
        ("LTI-2028-0002", "Chloé Martin", AssignmentSource.SOLVER),
    ]
    entry = ActivityEntry.objects.filter(action="jury.auditions_scheduled").get()
    assert (entry.subject, entry.by_email) == ("auditions", organiser.email)
    assert entry.details == {
        "created": ["LTI-2028-0001", "LTI-2028-0002"],
        "moved": [],
        "kept": 0,
        "removed": [],
        "assignments_created": 5,
        "assignments_removed": 0,
    }


def test_conflicted_juror_is_not_assigned_to_that_dossier_only(setup, jury, organiser):
    extra = setup.juror("Denis Roux")
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=[*jury, extra])
    first, second = setup.dossier(1), setup.dossier(2)
    setup.available(first, session)
    setup.available(second, session)
    ConflictFactory(juror=jury[0], application=first, status=ConflictStatus.CONFIRMED)
    ConflictFactory(
        juror=jury[1], application=first, status=ConflictStatus.DISMISSED, reason_code="lead"
    )

    domain.schedule_auditions(setup.round, by=organiser)

    assigned = sorted(Assignment.objects.values_list("application__reference", "juror__full_name"))
    assert assigned == [
        ("LTI-2028-0001", "Bruno Petit"),
        ("LTI-2028-0001", "Chloé Martin"),
        ("LTI-2028-0001", "Denis Roux"),
        ("LTI-2028-0002", "Anne Durand"),
        ("LTI-2028-0002", "Bruno Petit"),
        ("LTI-2028-0002", "Chloé Martin"),
        ("LTI-2028-0002", "Denis Roux"),
    ]


def test_rerun_keeps_slots_and_moves_only_what_it_must(setup, jury, organiser):
    morning = setup.session("Séance 1", at(14, 9), at(14, 9, 45), jurors=jury)  # 2 slots
    afternoon = setup.session("Séance 2", at(14, 14), at(14, 15), jurors=jury)
    first, second = setup.dossier(1), setup.dossier(2)
    setup.available(first, morning, afternoon)
    setup.available(second, morning, afternoon)
    domain.schedule_auditions(setup.round, by=organiser)
    assert timetable(setup.round) == [
        ("LTI-2028-0001", "Séance 1", "14 09:00", 0),
        ("LTI-2028-0002", "Séance 2", "14 14:00", 0),
    ]
    # A newcomer who can only attend the afternoon, and 0002 now only the morning.
    third = setup.dossier(3)
    setup.available(third, afternoon)
    SessionAvailability.objects.filter(application=second, session=afternoon).delete()

    outcome = domain.schedule_auditions(setup.round, by=organiser)

    assert timetable(setup.round) == [
        ("LTI-2028-0001", "Séance 1", "14 09:00", 0),
        ("LTI-2028-0002", "Séance 1", "14 09:25", 1),
        ("LTI-2028-0003", "Séance 2", "14 14:00", 0),
    ]
    assert (outcome.created, outcome.moved, outcome.kept) == (
        ["LTI-2028-0003"],
        ["LTI-2028-0002"],
        ["LTI-2028-0001"],
    )


def test_rerun_drops_withdrawn_dossiers_and_keeps_started_evaluations(setup, jury, organiser):
    setup.round.quorum = 2
    setup.round.save()
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    first, second = setup.dossier(1), setup.dossier(2)
    setup.available(first, session)
    setup.available(second, session)
    domain.schedule_auditions(setup.round, by=organiser)
    started = Assignment.objects.get(application=first, juror=jury[0])
    EvaluationFactory(assignment=started)
    first.state = ApplicationState.WITHDRAWN
    first.save(update_fields=["state"])
    # Anne leaves the session: her untouched assignment to 0002 goes, her draft on 0001 stays.
    session.attendances.filter(juror=jury[0]).delete()

    outcome = domain.schedule_auditions(setup.round, by=organiser)

    assert outcome.removed == ["LTI-2028-0001"]
    assert outcome.assignments_removed == 1
    # 0002 keeps its slot, although 09:00 is free now.
    assert timetable(setup.round) == [("LTI-2028-0002", "Séance 1", "14 09:25", 0)]
    assert Assignment.objects.filter(juror=jury[0]).get() == started


def test_national_round_gets_no_juror_assignment(setup, jury, organiser):
    setup.round.kind = RoundKind.NATIONAL
    setup.round.save()
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    setup.available(setup.dossier(1), session)

    domain.schedule_auditions(setup.round, by=organiser)

    assert Audition.objects.count() == 1
    assert Assignment.objects.count() == 0


def test_infeasible_schedule_stores_nothing(setup, jury, organiser):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:2])
    application = setup.dossier(12)
    setup.available(application, session)

    with translation.override("fr"), pytest.raises(domain.TimetableInfeasible) as failure:
        domain.schedule_auditions(setup.round, by=organiser)

    assert failure.value.causes == [
        "Dossier LTI-2028-0012 : aucune séance acceptée n'a 3 jurés sans conflit présents."
    ]
    assert Audition.objects.count() == 0
    assert not ActivityEntry.objects.filter(action="jury.auditions_scheduled").exists()


def test_mark_session_done_moves_its_dossiers_to_auditioned(setup, jury, organiser):
    session = setup.session("Séance 1", at(14, 9), at(14, 10, 15), jurors=jury)
    first = setup.dossier(1)
    second = setup.dossier(2, state=ApplicationState.SHORTLISTED)
    setup.available(first, session)
    setup.available(second, session)
    domain.schedule_auditions(setup.round, by=organiser)

    done = domain.mark_session_done(session, by=organiser, now=at(14, 10, 30))

    assert done == ["LTI-2028-0001", "LTI-2028-0002"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (ApplicationState.AUDITIONED,) * 2
    assert list(first.transitions.values_list("from_state", "to_state")) == [
        (ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED),
        (ApplicationState.SHORTLISTED, ApplicationState.AUDITIONED),
    ]
    assert domain.session_is_done(session.auditions.select_related("application"))
    entry = ActivityEntry.objects.filter(action="jury.auditions_done").get()
    assert entry.details == {"round": "auditions", "auditioned": done}
    # Auditioned dossiers keep their slot, out of the next runs.
    third = setup.dossier(3)
    setup.available(third, session)
    domain.schedule_auditions(setup.round, by=organiser)
    assert timetable(setup.round)[-1] == ("LTI-2028-0003", "Séance 1", "14 09:50", 0)


def test_mark_session_done_refused_before_it_starts(setup, jury, organiser):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)

    with translation.override("fr"), pytest.raises(domain.AuditionRefused) as refusal:
        domain.mark_session_done(session, by=organiser, now=at(14, 8, 59))

    assert refusal.value.message == "La séance « Séance 1 » n'a pas encore commencé."


def test_set_availability_replaces_the_choice_and_logs(setup, applicant):
    morning = setup.session("Séance 1", at(14, 9), at(14, 10))
    afternoon = setup.session("Séance 2", at(14, 14), at(14, 15))
    application = setup.dossier(1)
    setup.available(application, morning)

    domain.set_availability(application, setup.round, [afternoon], by=applicant)

    assert list(application.session_availabilities.values_list("session__name", "by")) == [
        ("Séance 2", applicant.pk)
    ]
    entry = ActivityEntry.objects.filter(action="jury.audition_availability").get()
    assert entry.subject == "LTI-2028-0001"
    assert entry.details == {"round": "auditions", "sessions": [str(afternoon.reference)]}


def test_set_attendance_replaces_the_jurors_present(setup, jury, organiser):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:1])

    domain.set_attendance(session, jury[1:], by=organiser)

    assert sorted(session.attendances.values_list("juror__full_name", flat=True)) == [
        "Bruno Petit",
        "Chloé Martin",
    ]
    entry = ActivityEntry.objects.filter(action="jury.audition_attendance").get()
    assert entry.details == {
        "added": sorted(str(j.reference) for j in jury[1:]),
        "removed": [str(jury[0].reference)],
    }


def test_manual_assignment_is_kept(setup, jury, organiser):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    application = setup.dossier(1)
    setup.available(application, session)
    outsider = setup.juror("Eva Blanc")
    AssignmentFactory(juror=outsider, application=application, source=AssignmentSource.MANUAL)

    domain.schedule_auditions(setup.round, by=organiser)

    assert Assignment.objects.filter(application=application).count() == 4
