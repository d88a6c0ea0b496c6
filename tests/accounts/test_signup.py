import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.confirmation import make_token
from accounts.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

from .pages import page_text

SIGNUP = {
    "email": "Nouvelle.Agente@Quimper.fr",
    "full_name": "Nouvelle Agente",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_signup_creates_unconfirmed_account_and_sends_confirmation(
    visitor, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    user = User.objects.get()
    assert (user.email, user.full_name, user.email_confirmed_at) == (
        "nouvelle.agente@quimper.fr",
        "Nouvelle Agente",
        None,
    )
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Label Territoire Innovant : confirmez votre adresse électronique"
    assert message.to == ["nouvelle.agente@quimper.fr"]
    assert "Ce lien est valable 3 jours." in message.body
    assert _link(message).startswith("/compte/confirmation/")


def test_signup_done_page_says_check_inbox(visitor, db):
    response = visitor.get(reverse("accounts:signup_done"))

    assert response.status_code == 200
    assert "<h1>Vérifiez votre boîte de réception</h1>" in response.content.decode()


def test_confirmation_link_confirms_the_address(visitor, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(reverse("accounts:signup"), SIGNUP)

    response = visitor.get(_link(mail.outbox[0]), follow=True)

    # The first use of the link signs the person in, on to « Mes dossiers » (issue 14).
    assert response.redirect_chain == [("/candidatures/", 302)]
    assert "Merci : l'adresse nouvelle.agente@quimper.fr est confirmée." in page_text(response)
    assert User.objects.get().email_confirmed_at is not None


def test_tampered_confirmation_link_is_refused(visitor, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(reverse("accounts:signup"), SIGNUP)
    link = _link(mail.outbox[0])

    response = visitor.get(link[:-3] + "abc/")

    assert response.status_code == 400
    assert (
        "Ce lien de confirmation n'est pas valide. Vérifiez qu'il a été copié en entier, "
        "ou demandez un nouveau lien depuis la page de votre compte."
    ) in page_text(response)
    assert User.objects.get().email_confirmed_at is None


def test_expired_confirmation_link_is_refused(visitor, db, monkeypatch):
    user = UserFactory(email_confirmed_at=None)

    class FourDaysAgo:
        @staticmethod
        def time() -> float:
            import time

            return time.time() - 4 * 24 * 3600

    with monkeypatch.context() as clock:
        clock.setattr(signing, "time", FourDaysAgo)
        token = make_token(user.pk, user.email)

    response = visitor.get(reverse("accounts:confirm_email", kwargs={"token": token}))

    assert response.status_code == 400
    assert (
        "Ce lien de confirmation a expiré. Connectez-vous et demandez un nouveau lien "
        "depuis la page de votre compte."
    ) in page_text(response)
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_confirmation_link_for_a_previous_address_is_refused(visitor, db):
    user = UserFactory(email="ancienne@exemple.fr", email_confirmed_at=None)
    token = make_token(user.pk, "ancienne@exemple.fr")
    user.email = "nouvelle@exemple.fr"
    user.save()

    response = visitor.get(reverse("accounts:confirm_email", kwargs={"token": token}))

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_signup_with_existing_email_shows_same_page_and_warns_owner(
    visitor, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(reverse("accounts:signup"), {**SIGNUP, "email": "AGENT@rennes.fr"})

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    assert User.objects.filter(email__iexact="agent@rennes.fr").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Label Territoire Innovant : vous avez déjà un compte"
    assert message.to == ["agent@rennes.fr"]
    assert "http://testserver/compte/connexion/" in message.body
    reset_path = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", message.body)
    assert visitor.get(reset_path.group(1), follow=True).context["validlink"] is True


def test_signup_form_keeps_typed_values_on_error(visitor, db):
    response = visitor.post(
        reverse("accounts:signup"), {**SIGNUP, "password2": "autre-mot-de-passe-99"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"password2": ["Les deux mots de passe ne correspondent pas."]}
    page = response.content.decode()
    assert 'value="Nouvelle.Agente@Quimper.fr"' in page
    assert 'value="Nouvelle Agente"' in page
    # Passwords are never sent back to the browser.
    assert PASSWORD not in page
    assert User.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            "court-42",
            "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères.",
        ),
        ("123456789012345", "Ce mot de passe est entièrement numérique."),
    ],
)
def test_signup_applies_password_validators(visitor, db, password, message):
    response = visitor.post(
        reverse("accounts:signup"), {**SIGNUP, "password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert User.objects.count() == 0


def test_signup_page_redirects_a_signed_in_user_to_account(applicant_client):
    response = applicant_client.get(reverse("accounts:signup"))

    assert response.status_code == 302
    assert response["Location"] == "/compte/"


def test_signup_page_shows_the_form_to_visitors(visitor, db):
    response = visitor.get(reverse("accounts:signup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Créer un compte</h1>" in page
    assert 'autocomplete="new-password"' in page
