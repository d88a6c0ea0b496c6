"""Where sign-in goes next (issue 21): the login form keeps `next`, the sign-up link and the
confirmation page carry it, another host's address is never kept."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

from .test_signup import SIGNUP

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SIGNUP_URL = reverse("accounts:signup")


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_login_form_keeps_next_in_the_field_login_reads(visitor):
    response = visitor.get(LOGIN + "?next=/candidatures/LTI-2026-0001/modifier/%3Frestore%3Dx")

    page = response.content.decode()
    assert (
        '<input type="hidden" name="next" value="/candidatures/LTI-2026-0001/modifier/?restore=x">'
        in page
    )
    assert (
        '<a href="/compte/inscription/?next=/candidatures/LTI-2026-0001/modifier/%3Frestore%3Dx">'
        "Créer un compte</a>"
    ) in page


def test_login_form_keeps_no_next_to_another_host(visitor):
    response = visitor.get(LOGIN + "?next=https://ailleurs.example/piege/")

    page = response.content.decode()
    assert 'name="next" value="https://ailleurs.example' not in page
    assert '<a href="/compte/inscription/">Créer un compte</a>' in page


def test_the_posted_form_returns_to_next(visitor, applicant):
    response = visitor.post(
        LOGIN, {"email": "agent@rennes.fr", "password": PASSWORD, "next": "/candidatures/"}
    )

    assert response["Location"] == "/candidatures/"


def test_signup_carries_next_to_the_confirmed_sign_in(visitor, django_capture_on_commit_callbacks):
    page = visitor.get(SIGNUP_URL + "?next=/candidatures/").content.decode()
    assert '<input type="hidden" name="next" value="/candidatures/">' in page
    assert '<a href="/compte/connexion/?next=%2Fcandidatures%2F">Connectez-vous</a>' in page

    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(SIGNUP_URL, {**SIGNUP, "next": "/candidatures/"})
    done = visitor.get(reverse("accounts:signup_done")).content.decode()
    confirmed = visitor.get(confirmation_link(mail.outbox[0]))

    assert '<a href="/compte/connexion/?next=/candidatures/">Se connecter</a>' in done
    # The link signs the person in and continues there (tests/accounts/test_confirm_signs_in.py).
    assert (confirmed.status_code, confirmed["Location"]) == (302, "/candidatures/")


def test_signup_keeps_no_next_to_another_host(visitor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(SIGNUP_URL, {**SIGNUP, "next": "https://ailleurs.example/"})
    link = confirmation_link(mail.outbox[0])

    confirmed = visitor.get(link)

    assert "ailleurs.example" not in link
    assert (confirmed.status_code, confirmed["Location"]) == (302, "/candidatures/")


def test_a_refused_sign_in_summary_links_each_field(visitor):
    page = visitor.post(LOGIN, {"email": "", "password": ""}).content.decode()

    assert "<title>Erreur – Se connecter · Palmarès</title>" in page
    assert (
        '<div class="message message-error error-summary" role="alert" tabindex="-1" autofocus>'
        in page
    )
    assert '<a href="#id_email">Adresse électronique : Ce champ est obligatoire.</a>' in page
    assert '<a href="#id_password">Mot de passe : Ce champ est obligatoire.</a>' in page
