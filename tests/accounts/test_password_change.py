"""« Changer de mot de passe »: a signed-in person changes it with the current one, no email."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_change")
NEW = "un-nouveau-mot-de-passe-99"


def test_the_account_page_links_to_the_change_not_the_reset(applicant_client):
    page = applicant_client.get(reverse("accounts:account")).content.decode()

    assert '<a href="/compte/mot-de-passe/changer/">Changer de mot de passe</a>' in page


def test_a_signed_in_person_changes_the_password_and_stays_signed_in(applicant_client, applicant):
    response = applicant_client.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert (response.status_code, response["Location"]) == (302, "/compte/")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW)
    assert applicant_client.get(reverse("accounts:account")).status_code == 200
    assert mail.outbox == []


def test_a_wrong_current_password_changes_nothing(applicant_client, applicant):
    response = applicant_client.post(
        URL, {"old_password": "pas-le-bon", "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == [
        "Votre ancien mot de passe est incorrect. Veuillez le rectifier."
    ]
    assert "<title>Erreur – Changer de mot de passe" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(PASSWORD)


def test_a_visitor_is_sent_to_sign_in(visitor):
    response = visitor.get(URL)

    assert response["Location"] == "/compte/connexion/?next=/compte/mot-de-passe/changer/"
