"""The auditions pages: who may see and do what, forms that keep what was typed, query counts."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jury.domain import auditions as domain
from jury.models import Audition, AuditionSession, JurorAttendance, SessionAvailability
from tests.jury.auditions_setup import at, audition_setup
from tests.jury.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return audition_setup()


@pytest.fixture
def jury(setup):
    return [setup.juror(name) for name in ("Anne Durand", "Bruno Petit", "Chloé Martin")]


def url(name: str, setup, **extra) -> str:
    return reverse(f"jury:{name}", kwargs={**setup.kwargs, **extra})


# ------------------------------------------------------------------------- organisers


def test_organiser_sees_sessions_page(organiser_client, setup, jury):
    setup.session("Séance 1", at(14, 9), at(14, 10, 15), jurors=jury[:2])

    response = organiser_client.get(url("auditions", setup))

    assert response.status_code == 200
    rows = [(r["session"].name, r["slots"], len(r["present"])) for r in response.context["rows"]]
    assert rows == [("Séance 1", 3, 2)]
    assert "Calculer le planning" in response.text


@pytest.mark.parametrize("persona", ["applicant_client", "other_applicant_client"])
def test_non_organisers_may_not_see_sessions_page(request, persona, setup):
    response = request.getfixturevalue(persona).get(url("auditions", setup))

    assert response.status_code == 403


def test_visitor_is_sent_to_login(setup):
    response = Client().get(url("auditions", setup))

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/")


def test_create_session_and_bad_input_keeps_what_was_typed(organiser_client, setup):
    data = {
        "name": "Séance du mardi",
        "starts_at": "2028-11-14T14:00",
        "ends_at": "2028-11-14T13:00",
        "video_link": "https://visio.example/mardi",
    }

    with translation.override("fr"):
        refused = organiser_client.post(url("audition_session_create", setup), data)

    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "ends_at": ["La fin de la séance doit suivre son début."]
    }
    assert 'value="Séance du mardi"' in refused.text
    assert AuditionSession.objects.count() == 0

    data["ends_at"] = "2028-11-14T16:30"
    created = organiser_client.post(url("audition_session_create", setup), data)

    assert (created.status_code, created["Location"]) == (302, url("auditions", setup))
    session = AuditionSession.objects.get()
    assert (session.name, session.starts_at, session.ends_at) == (
        "Séance du mardi",
        at(14, 14),
        at(14, 16, 30),
    )


def test_attendance_checkboxes_are_saved(organiser_client, setup, jury):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:1])
    prefix = str(session.reference)

    response = organiser_client.post(
        url("audition_attendance", setup, session=session.reference),
        {f"{prefix}-jurors": [str(jury[1].reference), str(jury[2].reference)]},
    )

    assert response.status_code == 302
    assert sorted(
        JurorAttendance.objects.filter(session=session).values_list("juror__full_name", flat=True)
    ) == ["Bruno Petit", "Chloé Martin"]


def test_schedule_failure_shows_its_causes(organiser_client, setup, jury):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:2])
    setup.available(setup.dossier(12), session)

    with translation.override("fr"):
        response = organiser_client.post(url("audition_schedule", setup))

    assert response.status_code == 200
    assert response.context["causes"] == [
        "Dossier LTI-2028-0012 : aucune séance acceptée n'a 3 jurés sans conflit présents."
    ]
    assert "aucune séance acceptée n&#x27;a 3 jurés sans conflit présents." in response.text


def test_schedule_then_planning(organiser_client, setup, jury):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    setup.available(setup.dossier(1, title="Tiers-lieu"), session)

    response = organiser_client.post(url("audition_schedule", setup))
    planning = organiser_client.get(url("audition_planning", setup))

    assert response.status_code == 302
    assert Audition.objects.get().starts_at == at(14, 9)
    assert planning.status_code == 200
    assert "09:00 – 09:20" in planning.text and "Tiers-lieu" in planning.text


def test_session_edit_may_and_may_not(organiser_client, applicant_client, setup):
    session = setup.session("Séance 1", at(14, 9), at(14, 10))
    target = url("audition_session", setup, session=session.reference)

    assert applicant_client.get(target).status_code == 403
    response = organiser_client.post(
        target,
        {
            "name": "Séance 1 bis",
            "starts_at": "2028-11-14T09:00",
            "ends_at": "2028-11-14T11:00",
            "video_link": "",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.name, session.ends_at) == ("Séance 1 bis", at(14, 11))


def test_session_delete(organiser_client, setup):
    session = setup.session("Séance 1", at(14, 9), at(14, 10))

    response = organiser_client.post(
        url("audition_session_delete", setup, session=session.reference)
    )

    assert (response.status_code, response["Location"]) == (302, url("auditions", setup))
    assert AuditionSession.objects.count() == 0


def test_mark_done_action(organiser_client, setup, jury, organiser):
    # A session in the past: it has started, so it may be marked done.
    session = setup.session(
        "Séance 1", at(1, 9).replace(year=2020), at(1, 10).replace(year=2020), jurors=jury
    )
    application = setup.dossier(1)
    setup.available(application, session)
    domain.schedule_auditions(setup.round, by=organiser)

    response = organiser_client.post(url("audition_session_done", setup, session=session.reference))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "auditioned"


SESSION_ACTIONS = [
    "audition_attendance",
    "audition_session_done",
    "audition_session_delete",
]
ROUND_ACTIONS = ["audition_session_create", "audition_schedule", "audition_invite"]


@pytest.mark.parametrize("name", ROUND_ACTIONS + SESSION_ACTIONS)
def test_applicant_may_not_act_on_sessions(applicant_client, setup, jury, name):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:1])
    setup.available(setup.dossier(1), session)
    extra = {"session": session.reference} if name in SESSION_ACTIONS else {}

    response = applicant_client.post(
        url(name, setup, **extra),
        {
            "name": "Séance pirate",
            "starts_at": "2028-11-15T09:00",
            "ends_at": "2028-11-15T10:00",
            f"{session.reference}-jurors": [str(jury[1].reference)],
        },
    )

    assert response.status_code == 403
    assert list(AuditionSession.objects.values_list("name", flat=True)) == ["Séance 1"]
    assert list(JurorAttendance.objects.values_list("juror__full_name", flat=True)) == [
        "Anne Durand"
    ]
    assert not Audition.objects.exists()


@pytest.mark.parametrize("name", ROUND_ACTIONS + SESSION_ACTIONS)
def test_session_actions_are_post_only(organiser_client, setup, name):
    session = setup.session("Séance 1", at(14, 9), at(14, 10))
    extra = {"session": session.reference} if name in SESSION_ACTIONS else {}

    assert organiser_client.get(url(name, setup, **extra)).status_code == 405


def test_a_session_of_another_round_is_404(organiser_client, setup, jury):
    other = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury[:1])
    AuditionSession.objects.filter(pk=other.pk).update(round=RoundFactory())

    response = organiser_client.post(
        url("audition_attendance", setup, session=other.reference),
        {f"{other.reference}-jurors": [str(jury[1].reference)]},
    )

    assert response.status_code == 404
    assert list(JurorAttendance.objects.values_list("juror__full_name", flat=True)) == [
        "Anne Durand"
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_sessions_page_query_count(organiser_client, setup, jury, count, django_assert_num_queries):
    for n in range(count):
        session = setup.session(f"Séance {n}", at(14 + n, 9), at(14 + n, 10), jurors=jury)
        setup.available(setup.dossier(n + 1), session)
    domain.schedule_auditions(setup.round, by=None)

    # session, user, round, jurors, sessions + 2 prefetches, dossiers to schedule: the same
    # whatever the number of sessions.
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(9):
        response = organiser_client.get(url("auditions", setup))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_planning_query_count(organiser_client, setup, jury, count, django_assert_num_queries):
    session = setup.session("Séance 1", at(14, 9), at(14, 11), jurors=jury)
    for n in range(count):
        setup.available(setup.dossier(n + 1), session)
    domain.schedule_auditions(setup.round, by=None)

    # +1: the contests the organiser is kept to (contests.rules, once a request).

    with django_assert_num_queries(8):
        response = organiser_client.get(url("audition_planning", setup))

    assert response.text.count("LTI-2028-") == count


# ------------------------------------------------------------------------- applicants


def test_applicant_marks_availabilities(applicant_client, setup):
    morning = setup.session("Séance 1", at(14, 9), at(14, 10))
    afternoon = setup.session("Séance 2", at(14, 14), at(14, 15))
    setup.dossier(1)
    target = reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"})

    page = applicant_client.get(target)
    response = applicant_client.post(target, {"sessions": [str(afternoon.reference)]})

    assert page.status_code == 200
    assert "Séance 1 – le 14/11/2028 de 09:00 à 10:00" in page.text
    assert response.status_code == 302
    assert list(SessionAvailability.objects.values_list("session__name", flat=True)) == ["Séance 2"]
    assert morning.availabilities.count() == 0


def test_other_applicant_gets_404(other_applicant_client, setup):
    setup.session("Séance 1", at(14, 9), at(14, 10))
    setup.dossier(1)
    target = reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"})

    assert other_applicant_client.get(target).status_code == 404
    assert other_applicant_client.post(target, {}).status_code == 404


def test_dossier_outside_an_audition_round_gets_404(applicant_client, setup):
    setup.round.kind = "national"
    setup.round.save()
    setup.dossier(1)

    response = applicant_client.get(
        reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"})
    )

    assert response.status_code == 404


def test_auditioned_dossier_may_not_change_availabilities(applicant_client, setup):
    session = setup.session("Séance 1", at(14, 9), at(14, 10))
    application = setup.dossier(1, state="auditioned")
    setup.available(application, session)
    target = reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"})

    page = applicant_client.get(target)
    refused = applicant_client.post(target, {"sessions": []})

    assert page.status_code == 200
    assert page.context["may_change"] is False
    assert refused.status_code == 403
    assert application.session_availabilities.count() == 1


def test_applicant_sees_slot_and_downloads_invitation(
    applicant_client, other_applicant_client, setup, jury
):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    setup.available(setup.dossier(1), session)
    domain.schedule_auditions(setup.round, by=None)
    target = reverse("jury:audition_invitation", kwargs={"reference": "LTI-2028-0001"})

    page = applicant_client.get(reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"}))
    response = applicant_client.get(target)

    assert "09:00 – 09:20" in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert "SUMMARY:Audition du dossier LTI-2028-0001" in response.text
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:agent@rennes.fr" in response.text
    assert other_applicant_client.get(target).status_code == 404


# ----------------------------------------------------------------------------- jurors


def test_juror_downloads_calendar_and_applicant_may_not(setup, jury, applicant_client):
    session = setup.session("Séance 1", at(14, 9), at(14, 10), jurors=jury)
    setup.available(setup.dossier(1), session)
    domain.schedule_auditions(setup.round, by=None)
    client = Client()
    client.force_login(jury[1].user)
    target = url("juror_calendar", setup)

    response = client.get(target)

    assert response.status_code == 200
    assert "SUMMARY:Audition LTI-2028-0001 : Projet 1" in response.text
    assert applicant_client.get(target).status_code == 403
