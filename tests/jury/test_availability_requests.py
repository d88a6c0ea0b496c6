"""Shortlisted applicants asked for their availabilities by email with a deadline, then reminded
once by the daily run (issue 15, item 4)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from applications.enums import ApplicationState
from contests.models import ActivityEntry
from jury.domain import availability_requests as domain
from jury.models import AvailabilityRequest
from tests.jury.auditions_setup import at, audition_setup

pytestmark = pytest.mark.django_db

TODAY = date(2028, 11, 1)


@pytest.fixture
def setup(applicant):
    setup = audition_setup()
    setup.session("Séance 1", at(14, 9), at(14, 12))
    setup.dossier(1, state=ApplicationState.SHORTLISTED)
    setup.dossier(2, state=ApplicationState.SHORTLISTED)
    setup.dossier(3, state=ApplicationState.WITHDRAWN)
    return setup


def ask(setup, organiser, deadline=date(2028, 11, 8), capture=None):
    with translation.override("fr"), capture(execute=True):
        return domain.request_availability(setup.round, deadline, by=organiser, today=TODAY)


def test_asking_emails_each_dossier_to_audition_with_the_deadline(
    setup, organiser, django_capture_on_commit_callbacks
):
    asked = ask(setup, organiser, capture=django_capture_on_commit_callbacks)

    assert asked == ["LTI-2028-0001", "LTI-2028-0002"]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("agent@rennes.fr", "Audition du dossier LTI-2028-0001 : vos disponibilités"),
        ("agent@rennes.fr", "Audition du dossier LTI-2028-0002 : vos disponibilités"),
    ]
    body = mail.outbox[0].body
    assert "avant le mercredi 8 novembre 2028" in body
    assert "Label Territoire Innovant 2028" in body
    assert "- Séance 1 : le mardi 14 novembre 2028 de 09:00 à 12:00" in body
    assert reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"}) in body
    setup.round.refresh_from_db()
    assert setup.round.availability_deadline == date(2028, 11, 8)
    entry = ActivityEntry.objects.get(action="jury.availability_requested")
    assert entry.details == {"deadline": "2028-11-08", "asked": asked}


def test_asking_again_asks_only_the_new_dossiers(
    setup, organiser, django_capture_on_commit_callbacks
):
    ask(setup, organiser, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    setup.dossier(4, state=ApplicationState.SHORTLISTED)

    asked = ask(setup, organiser, date(2028, 11, 9), capture=django_capture_on_commit_callbacks)

    assert asked == ["LTI-2028-0004"]
    assert [m.subject for m in mail.outbox] == [
        "Audition du dossier LTI-2028-0004 : vos disponibilités"
    ]
    assert AvailabilityRequest.objects.count() == 3


@pytest.mark.parametrize(
    ("deadline", "sessions", "message"),
    [
        (
            date(2028, 10, 31),
            True,
            "Choisissez une date limite à partir d'aujourd'hui (1er novembre 2028).",
        ),
        (
            date(2028, 11, 8),
            False,
            "Créez d'abord les séances : les candidats choisissent parmi elles.",
        ),
    ],
)
def test_a_bad_request_is_refused_and_sends_nothing(setup, organiser, deadline, sessions, message):
    if not sessions:
        setup.round.sessions.all().delete()
    with pytest.raises(domain.RequestRefused) as refused:
        domain.request_availability(setup.round, deadline, by=organiser, today=TODAY)
    assert refused.value.message == message
    assert not AvailabilityRequest.objects.exists()
    setup.round.refresh_from_db()
    assert setup.round.availability_deadline is None


def test_the_reminder_goes_once_to_those_who_did_not_answer(
    setup, organiser, django_capture_on_commit_callbacks
):
    ask(setup, organiser, capture=django_capture_on_commit_callbacks)
    setup.available(
        setup.round.entries.get(application__reference="LTI-2028-0002").application,
        setup.round.sessions.get(),
    )
    mail.outbox.clear()

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        too_early = domain.send_availability_reminders(today=date(2028, 11, 5))
        due = domain.send_availability_reminders(today=date(2028, 11, 6))
        again = domain.send_availability_reminders(today=date(2028, 11, 7))
        after = domain.send_availability_reminders(today=date(2028, 11, 9))

    assert too_early == {"rounds": 0, "dossiers": 0, "emails": 0}
    assert due == {"rounds": 1, "dossiers": 1, "emails": 1}
    assert again == {"rounds": 1, "dossiers": 0, "emails": 0}
    assert after == {"rounds": 0, "dossiers": 0, "emails": 0}
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        (
            "agent@rennes.fr",
            "Rappel : vos disponibilités pour l'audition du dossier LTI-2028-0001",
        )
    ]
    assert "avant le mercredi 8 novembre 2028" in mail.outbox[0].body
    entry = ActivityEntry.objects.get(action="jury.availability_reminded")
    assert entry.details == {"deadline": "2028-11-08", "reminded": ["LTI-2028-0001"]}


def test_the_daily_command_sends_the_reminders(
    setup, organiser, django_capture_on_commit_callbacks, capsys
):
    today = timezone.localdate()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        domain.request_availability(setup.round, today + timedelta(days=1), by=organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_jury_reminders", "--days", "3")
    assert '"availability": {"rounds": 1, "dossiers": 2, "emails": 2}' in capsys.readouterr().out
    assert len(mail.outbox) == 2


def test_the_organiser_asks_from_the_auditions_page_and_the_applicant_sees_the_deadline(
    setup, organiser_client, applicant_client
):
    url = reverse("jury:audition_availability_request", kwargs=setup.kwargs)
    page = organiser_client.get(reverse("jury:auditions", kwargs=setup.kwargs))
    assert f'action="{url}"' in page.content.decode()
    deadline = timezone.localdate() + timedelta(days=5)

    response = organiser_client.post(url, {"deadline": deadline.isoformat()}, follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        "Disponibilités demandées pour 2 dossier(s), réponse attendue avant le "
    )
    assert "2 sans réponse" in response.content.decode()
    applicant_page = applicant_client.get(
        reverse("jury:availability", kwargs={"reference": "LTI-2028-0001"})
    )
    assert "Merci de répondre avant le " in applicant_page.content.decode()


def test_a_missing_deadline_is_refused_clearly(setup, organiser_client):
    url = reverse("jury:audition_availability_request", kwargs=setup.kwargs)
    response = organiser_client.post(url, {"deadline": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Indiquez la date limite de réponse des candidats."
    ]
    assert not AvailabilityRequest.objects.exists()
