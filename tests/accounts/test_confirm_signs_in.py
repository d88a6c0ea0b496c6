"""The confirmation link signs the person in and continues where they were going (issue 14)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

from .test_signup import SIGNUP

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_the_link_carries_next_and_signs_in_there(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, {**SIGNUP, "next": "/candidatures/"})
    link = confirmation_link(mail.outbox[0])
    assert link.endswith("/?next=%2Fcandidatures%2F")

    # Another browser than the one that signed up: the link alone carries where to go.
    other_browser = client.__class__()
    response = other_browser.get(link)

    assert response.status_code == 302
    assert response["Location"] == "/candidatures/"
    user = User.objects.get(email__iexact=SIGNUP["email"])
    assert other_browser.session["_auth_user_id"] == str(user.pk)
    assert user.email_confirmed_at is not None


def test_without_next_the_link_lands_on_my_dossiers(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, SIGNUP)
    link = confirmation_link(mail.outbox[0])
    assert "?next=" not in link

    response = client.get(link)

    assert (response.status_code, response["Location"]) == (302, "/candidatures/")


def test_a_next_to_another_host_is_ignored(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, SIGNUP)
    link = confirmation_link(mail.outbox[0]) + "?next=https://ailleurs.example/"

    response = client.get(link)

    assert (response.status_code, response["Location"]) == (302, "/candidatures/")


def test_a_link_used_again_signs_nobody_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, SIGNUP)
    link = confirmation_link(mail.outbox[0])
    client.__class__().get(link)  # first use, elsewhere

    stranger = client.__class__()
    response = stranger.get(link)

    assert response.status_code == 200
    assert "_auth_user_id" not in stranger.session
    assert "Merci : l'adresse" in response.content.decode()


def test_the_email_names_the_contest_not_the_platform(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, SIGNUP)

    [message] = mail.outbox
    assert message.subject == "Label Territoire Innovant : confirmez votre adresse électronique"
    assert "Palmarès" not in message.body
    assert message.body.rstrip().endswith(
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )
