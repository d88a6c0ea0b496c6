"""Moving or re-timing an audition session (issue 15, item 4): its auditions move with it,
availabilities are kept and asked again, and updated invitations (same UID, SEQUENCE + 1) go to
the applicants and jurors concerned through the outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from contests.models import ActivityEntry
from jury.domain import audition_invitations as invitations
from jury.domain import auditions as domain
from jury.enums import ConflictStatus
from jury.models import Audition, AuditionSession, SessionAvailability
from notifications.models import OutgoingEmail
from tests.jury.auditions_setup import PARIS, at, audition_setup
from tests.jury.factories import ConflictFactory
from tests.jury.test_calendar import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(applicant, organiser):
    """Two dossiers in « Séance 1 » (Anne, Bruno present; Anne in conflict with 0002); 0003
    marked « Séance 1 » but is heard in « Séance 2 »."""
    setup = audition_setup()
    jury = [setup.juror(name) for name in ("Anne Durand", "Bruno Petit")]
    setup.round.quorum = 1
    setup.round.save()
    first_session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    second_session = setup.session("Séance 2", at(15, 9), at(15, 9, 30), jurors=jury)
    first, second = setup.dossier(1), setup.dossier(2)
    third = setup.dossier(3)
    setup.available(first, first_session)
    setup.available(second, first_session)
    setup.available(third, first_session, second_session)
    ConflictFactory(juror=jury[0], application=second, status=ConflictStatus.IN_FORCE)
    domain.schedule_auditions(setup.round, by=organiser)
    return setup, first_session


def slots(session) -> list[tuple[str, str, int]]:
    return [
        (a.application.reference, a.starts_at.astimezone(PARIS).strftime("%d %H:%M"), a.sequence)
        for a in Audition.objects.filter(session=session)
        .select_related("application")
        .order_by("starts_at")
    ]


def move(session, starts_at, ends_at, organiser):
    session = AuditionSession.objects.get(pk=session.pk)
    session.starts_at, session.ends_at = starts_at, ends_at
    return domain.update_session(session, by=organiser)


def test_the_timetable_before_the_move(scheduled):
    _setup, session = scheduled
    # Fixture check: the third dossier is heard in the second session, not in this one.
    assert slots(session) == [("LTI-2028-0001", "14 09:00", 0), ("LTI-2028-0002", "14 09:25", 0)]


def test_moving_a_session_moves_its_auditions_and_sends_updates(
    scheduled, organiser, django_capture_on_commit_callbacks
):
    setup, session = scheduled
    with translation.override("fr"):
        invitations.send_invitations(setup.round, by=organiser)
    first = Audition.objects.get(application__reference="LTI-2028-0001")
    uid_before = events(invitations.applicant_calendar(invitations.auditions().get(pk=first.pk)))[
        0
    ]["UID"]
    mail.outbox.clear()
    OutgoingEmail.objects.all().delete()

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        outcome = move(session, at(21, 14), at(21, 15), organiser)

    assert slots(session) == [("LTI-2028-0001", "21 14:00", 1), ("LTI-2028-0002", "21 14:25", 1)]
    assert outcome.moved == ["LTI-2028-0001", "LTI-2028-0002"]
    assert (outcome.applicant_messages, outcome.juror_messages) == (2, 2)
    # Availabilities kept; the third dossier (marked it, heard elsewhere) is asked again.
    assert SessionAvailability.objects.filter(session=session).count() == 3
    assert outcome.asked == ["LTI-2028-0003"]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("agent@rennes.fr", "Audition déplacée pour le dossier LTI-2028-0001"),
        ("agent@rennes.fr", "Audition déplacée pour le dossier LTI-2028-0002"),
        ("agent@rennes.fr", "Séance d'audition déplacée – dossier LTI-2028-0003"),
        ("anne.durand@jury.example.org", "Auditions modifiées – Auditions"),
        ("bruno.petit@jury.example.org", "Auditions modifiées – Auditions"),
    ]
    update = next(m for m in mail.outbox if "0001" in m.subject)
    assert "le 21/11/2028 à 14:00" in update.body
    assert "Label Territoire Innovant 2028" in update.body
    [vevent] = events(update.attachments[0].get_payload(decode=True).decode())
    assert (vevent["UID"], vevent["SEQUENCE"]) == (uid_before, "1")
    assert vevent["DTSTART"] == "20281121T130000Z"
    asked = next(m for m in mail.outbox if "0003" in m.subject)
    assert "désormais le mardi 21 novembre 2028 de 14:00 à 15:00" in asked.body
    assert reverse("jury:availability", kwargs={"reference": "LTI-2028-0003"}) in asked.body
    # A juror's update is their whole calendar, in order; Anne is in conflict with 0002.
    anne = next(m for m in mail.outbox if m.to == ["anne.durand@jury.example.org"])
    anne_events = events(anne.attachments[0].get_payload(decode=True).decode())
    assert [e["SUMMARY"] for e in anne_events] == [
        "Audition LTI-2028-0003 : Projet 3",
        "Audition LTI-2028-0001 : Projet 1",
    ]
    entry = ActivityEntry.objects.get(action="jury.audition_session_updated")
    assert entry.details["auditions_moved"] == ["LTI-2028-0001", "LTI-2028-0002"]
    assert entry.details["availability_asked"] == ["LTI-2028-0003"]


def test_before_any_invitation_no_update_is_sent(
    scheduled, organiser, django_capture_on_commit_callbacks
):
    _setup, session = scheduled
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        outcome = move(session, at(14, 10), at(14, 11), organiser)

    assert slots(session) == [("LTI-2028-0001", "14 10:00", 1), ("LTI-2028-0002", "14 10:25", 1)]
    assert (outcome.applicant_messages, outcome.juror_messages) == (0, 0)
    assert [m.subject for m in mail.outbox] == [
        "Séance d'audition déplacée – dossier LTI-2028-0003"
    ]


def test_a_longer_session_keeps_its_slots_untouched(scheduled, organiser):
    _setup, session = scheduled
    outcome = move(session, at(14, 9), at(14, 12), organiser)
    assert slots(session) == [("LTI-2028-0001", "14 09:00", 0), ("LTI-2028-0002", "14 09:25", 0)]
    assert outcome.moved == []


def test_a_session_shortened_under_its_slots_is_refused_and_nothing_changes(scheduled, organiser):
    _setup, session = scheduled
    with pytest.raises(domain.SessionMoveRefused) as refused:
        move(session, at(14, 9), at(14, 9, 30), organiser)
    assert refused.value.message == (
        "Avec ces horaires, les auditions de LTI-2028-0002 ne tiennent plus dans la séance : "
        "allongez-la, ou supprimez ces créneaux en relançant le planning après avoir changé les "
        "disponibilités."
    )
    session.refresh_from_db()
    assert session.ends_at == at(14, 10)
    assert slots(session) == [("LTI-2028-0001", "14 09:00", 0), ("LTI-2028-0002", "14 09:25", 0)]
    assert not ActivityEntry.objects.filter(action="jury.audition_session_updated").exists()


def test_the_page_says_the_refusal_and_keeps_the_typed_times(scheduled, organiser_client):
    setup, session = scheduled
    url = reverse("jury:audition_session", kwargs={**setup.kwargs, "session": session.reference})
    response = organiser_client.post(
        url,
        {
            "name": "Séance 1",
            "starts_at": "2028-11-14T09:00",
            "ends_at": "2028-11-14T09:30",
            "video_link": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()[0].startswith("Avec ces horaires, les auditions de LTI-2028")
    assert form["ends_at"].value() == "2028-11-14T09:30"
    session.refresh_from_db()
    assert session.ends_at == at(14, 10)


def test_the_applicant_page_shows_the_new_date(scheduled, organiser, applicant_client):
    _setup, session = scheduled
    move(
        session,
        session.starts_at + timedelta(days=7),
        session.ends_at + timedelta(days=7),
        organiser,
    )
    page = applicant_client.get(reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"}))
    content = page.content.decode()
    assert "21 novembre 2028" in content
    assert "14 novembre 2028" not in content
