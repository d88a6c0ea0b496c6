"""Reset and sign-up emails are limited per address and per client, and both pages do the same
work whatever the address: the task queue looks the account up and sends (issue 17, #8)."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD

RESET = reverse("accounts:password_reset")
SIGNUP = reverse("accounts:signup")
NEW_PASSWORD = "un-secret-assez-long-2026"
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _reset(client: Client, email: str, address: str = "192.0.2.20"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def _signup(client: Client, email: str, address: str = "192.0.2.20"):
    data = {
        "email": email,
        "full_name": "Camille Martin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post(SIGNUP, data, REMOTE_ADDR=address)


def _reset_mails(email: str) -> int:
    return sum(1 for message in mail.outbox if message.to == [email])


def test_six_reset_requests_for_one_address_send_three_mails(
    applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _reset(Client(), "agent@rennes.fr", address=f"192.0.2.{n}").status_code
            for n in range(6)
        ]

    assert answers == [302] * 6  # the same answer each time: the limit tells nothing
    assert _reset_mails("agent@rennes.fr") == 3


def test_another_address_still_gets_its_mail(
    applicant, other_applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            _reset(Client(), "agent@rennes.fr", address=f"192.0.2.{n}")
        _reset(Client(), "agent@brest.fr")

    assert _reset_mails("agent@brest.fr") == 1


def test_one_client_is_refused_past_ten_requests_an_hour(db):
    client = Client()
    answers = [_reset(client, f"personne{n}@exemple.fr").status_code for n in range(11)]
    other = _reset(Client(), "personne@exemple.fr", address="198.51.100.9")

    assert answers == [302] * 10 + [429]
    assert other.status_code == 302


def test_sign_up_mails_are_limited_per_address_and_the_page_is_the_same(
    applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _signup(Client(), "agent@rennes.fr", address=f"192.0.2.{n}").status_code
            for n in range(5)
        ]

    assert answers == [302] * 5
    assert _reset_mails("agent@rennes.fr") == 3


def test_sign_up_still_creates_the_account_with_its_password(db):
    _signup(Client(), "nouvelle@exemple.fr")

    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("post", "known"), [(_reset, "agent@rennes.fr"), (_signup, "agent@rennes.fr")]
)
def test_the_request_does_the_same_work_for_a_known_and_an_unknown_address(
    applicant, settings, post, known
):
    settings.TASKS = DUMMY_TASKS  # enqueued, not run: what the request itself does
    answers = {}
    for email in (known, "personne@exemple.fr"):
        with CaptureQueriesContext(connection) as queries:
            response = post(Client(), email)
        tables = [query["sql"].split(" FROM ")[-1].split(" ")[0] for query in queries]
        answers[email] = (response.status_code, response["Location"], tables)

    assert answers[known] == answers["personne@exemple.fr"]
    assert not any("accounts_user" in table for table in answers[known][2])


def test_a_refused_queue_does_not_lose_the_reset_mail(
    applicant, monkeypatch, django_capture_on_commit_callbacks
):
    from django.tasks import Task

    original = Task.enqueue

    def refuse(self, *args, **kwargs):
        if self.name == "send_password_reset":
            raise ConnectionError("queue down")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Task, "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _reset(Client(), "agent@rennes.fr")

    assert response.status_code == 302
    assert _reset_mails("agent@rennes.fr") == 1
