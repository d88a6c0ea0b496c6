import pytest
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipState
from accounts.models import Membership, RecoveryCode, TotpDevice, User
from tests.accounts.two_factor_support import enrol_device
from tests.conftest import PASSWORD
from tests.factories import UserFactory


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    client.force_login(
        UserFactory(email="technique@interconnectes.fr", is_superuser=True, is_staff=True)
    )
    return client


def test_superuser_may_create_a_user_by_email(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouvelle@Exemple.fr",
            "full_name": "Nouvelle Personne",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.full_name == "Nouvelle Personne"
    assert user.check_password(PASSWORD)


def test_admin_refuses_a_duplicate_email(superuser_client, applicant):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "AGENT@rennes.fr",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Un compte existe déjà avec cette adresse électronique."
    ]


def test_superuser_may_open_user_and_membership_pages(superuser_client, applicant):
    membership = applicant.memberships.get()

    assert superuser_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert (
        superuser_client.get(reverse("admin:accounts_user_change", args=[applicant.pk])).status_code
        == 200
    )
    assert superuser_client.get(reverse("admin:accounts_membership_changelist")).status_code == 200
    assert (
        superuser_client.get(
            reverse("admin:accounts_membership_change", args=[membership.pk])
        ).status_code
        == 200
    )


def test_organiser_may_not_open_the_admin(organiser_client):
    response = organiser_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin-technique/login/")


def test_admin_action_confirms_through_the_domain(superuser_client, pending_applicant, applicant):
    pending = pending_applicant.memberships.get()
    confirmed = applicant.memberships.get()

    superuser_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "confirm", "_selected_action": [pending.pk, confirmed.pk]},
    )

    pending.refresh_from_db()
    assert pending.state == MembershipState.CONFIRMED
    assert pending.decided_at is not None
    assert Membership.objects.get(pk=confirmed.pk).decided_at is None


def test_admin_action_resets_a_lost_second_factor(superuser_client, organiser, applicant):
    enrol_device(organiser)
    enrol_device(applicant)

    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [organiser.pk]},
        follow=True,
    )

    assert "Double authentification réinitialisée pour 1 compte." in response.content.decode()
    assert (
        TotpDevice.objects.filter(user=organiser).count(),
        RecoveryCode.objects.filter(user=organiser).count(),
    ) == (0, 0)
    assert (
        TotpDevice.objects.filter(user=applicant).count(),
        RecoveryCode.objects.filter(user=applicant).count(),
    ) == (1, 10)
    # The organiser, signed in with the password only, is sent to a new enrolment.
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"email": organiser.email, "password": PASSWORD},
    )
    gated = client.get(reverse("contests:dashboard"))
    assert gated["Location"].split("?")[0] == reverse("accounts:two_factor_enrol")
