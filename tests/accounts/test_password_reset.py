import re

from django.core import mail
from django.urls import reverse

from accounts import throttling
from tests.factories import UserFactory

from .pages import page_text

NEW_PASSWORD = "un-tout-nouveau-secret-2025"


def test_password_reset_full_flow(visitor, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(reverse("accounts:password_reset"), {"email": "Agent@Rennes.fr"})
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Label Territoire Innovant : choisissez un nouveau mot de passe"
    assert message.to == ["agent@rennes.fr"]
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", message.body).group(1)

    form_page = visitor.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")

    response = visitor.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/modifie/"
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)

    complete = visitor.get(response["Location"])
    assert "Votre nouveau mot de passe est enregistré." in complete.content.decode()
    login = visitor.post(
        reverse("accounts:login"), {"email": "agent@rennes.fr", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_password_reset_link_works_only_once(
    visitor, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(reverse("accounts:password_reset"), {"email": "agent@rennes.fr"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_url = visitor.get(link, follow=True).redirect_chain[-1][0]
    visitor.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = visitor.get(link, follow=True)

    assert response.context["validlink"] is False
    assert (
        "Ce lien de réinitialisation n'est pas valide : il a peut-être déjà servi ou expiré."
        in page_text(response)
    )


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(visitor, db):
    response = visitor.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})

    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


def test_password_reset_confirms_email_and_lifts_the_email_throttle(
    visitor, db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="oublieuse@exemple.fr", email_confirmed_at=None)
    for _attempt in range(5):
        throttling.record_failure("oublieuse@exemple.fr", "192.0.2.1")
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(reverse("accounts:password_reset"), {"email": "oublieuse@exemple.fr"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_url = visitor.get(link, follow=True).redirect_chain[-1][0]

    visitor.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert throttling.check("oublieuse@exemple.fr", "198.51.100.7") is None


def test_password_reset_refuses_a_weak_new_password(
    visitor, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(reverse("accounts:password_reset"), {"email": "agent@rennes.fr"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_url = visitor.get(link, follow=True).redirect_chain[-1][0]

    response = visitor.post(set_password_url, {"new_password1": "court", "new_password2": "court"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères.",
    ]


def test_password_reset_page_shows_the_form(visitor, db):
    response = visitor.get(reverse("accounts:password_reset"))

    assert response.status_code == 200
    assert "<h1>Mot de passe oublié</h1>" in response.content.decode()
