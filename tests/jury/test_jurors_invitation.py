"""The invitation page: accept (new account, signed-in account), refuse a wrong account, decline;
a used or expired link gets a clear French page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import enrolment_proof
from accounts.models import User
from contests.models import ActivityEntry
from jury.enums import JurorState
from jury.models import Juror, JuryMember
from notifications.models import OutgoingEmail

from ..conftest import PASSWORD
from ..factories import UserFactory
from .factories import JurorFactory, RoundFactory


@pytest.fixture
def invited(db) -> Juror:
    round_ = RoundFactory(name="Sélection Bretagne", slug="bretagne")
    return JurorFactory(
        round=round_,
        user=None,
        email="claire.dubois@exemple.fr",
        full_name="Claire Dubois",
        state=JurorState.INVITED,
    )


def invitation_url(juror: Juror) -> str:
    return reverse("jury:invitation", args=[juror.member.token])


def accept_url(juror: Juror) -> str:
    return reverse("jury:invitation_accept", args=[juror.member.token])


def decline_url(juror: Juror) -> str:
    return reverse("jury:invitation_decline", args=[juror.member.token])


def declare_url(juror: Juror) -> str:
    edition = juror.round.edition
    return reverse(
        "jury:declare_conflicts", args=[edition.contest.slug, edition.year, juror.round.slug]
    )


def test_the_page_shows_the_round_and_the_edition(invited, client):
    response = client.get(invitation_url(invited))

    edition = invited.round.edition
    page = response.content.decode()
    assert response.status_code == 200
    assert "<dd>Sélection Bretagne</dd>" in page
    assert f"<dd>{edition.contest.name} {edition.year}</dd>" in page
    assert "Créer mon compte et accepter" in page


def test_a_newcomer_accepts_by_creating_the_account(invited, client):
    url = invitation_url(invited)

    response = client.post(
        accept_url(invited),
        {
            "full_name": "Claire Dubois",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == declare_url(invited)
    user = User.objects.get(email="claire.dubois@exemple.fr")
    assert user.email_confirmed
    assert user.check_password(PASSWORD)
    invited.refresh_from_db()
    assert (invited.state, invited.user) == (JurorState.ACCEPTED, user)
    # Signed in, and as a juror sent to set up the second factor before anything else.
    assert client.session["_auth_user_id"] == str(user.pk)
    gated = client.get(declare_url(invited))
    assert (gated.status_code, gated["Location"].split("?")[0]) == (
        302,
        reverse("accounts:two_factor_enrol"),
    )
    assert set(ActivityEntry.objects.values_list("action", flat=True)) == {
        "juror_account_created",
        "juror_accepted",
    }
    # The invitation's link proved the mailbox: the enrolment shows the key, no other link sent.
    enrolment = client.get(reverse("accounts:two_factor_enrol"))
    assert "otpauth://totp/" in enrolment.content.decode()
    assert not OutgoingEmail.objects.filter(kind="accounts.second_factor_enrolment").exists()
    # The link was single-use.
    assert client.get(url).status_code == 404


def test_a_weak_password_is_refused_and_the_name_kept(invited, client):
    response = client.post(
        accept_url(invited),
        {"full_name": "Claire D.", "password1": "123", "password2": "123"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert 'value="Claire D."' in response.content.decode()
    assert User.objects.filter(email="claire.dubois@exemple.fr").count() == 0


def test_someone_with_an_account_is_asked_to_sign_in(invited, client):
    UserFactory(email="claire.dubois@exemple.fr")

    response = client.get(invitation_url(invited))

    page = response.content.decode()
    assert "Un compte existe déjà pour claire.dubois@exemple.fr" in page
    assert (
        f'href="/compte/connexion/?next=%2Fjury%2Finvitation%2F{invited.member.token}%2F"' in page
    )
    assert "Créer mon compte" not in page


def test_someone_with_an_account_may_not_accept_without_signing_in(invited, client):
    UserFactory(email="claire.dubois@exemple.fr")

    response = client.post(
        accept_url(invited),
        {"full_name": "Claire Dubois", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Un compte existe déjà pour claire.dubois@exemple.fr" in page
    # Back to the invitation page after signing in, not to the POST-only action.
    assert (
        f'href="/compte/connexion/?next=%2Fjury%2Finvitation%2F{invited.member.token}%2F"' in page
    )
    invited.refresh_from_db()
    assert (invited.state, invited.user) == (JurorState.INVITED, None)


def test_the_invitation_actions_are_post_only_and_the_page_get_only(invited, client):
    assert client.get(accept_url(invited)).status_code == 405
    assert client.get(decline_url(invited)).status_code == 405
    assert client.post(invitation_url(invited)).status_code == 405
    invited.refresh_from_db()
    assert invited.state == JurorState.INVITED


def test_the_invited_person_accepts_when_signed_in(invited, client):
    user = UserFactory(email="claire.dubois@exemple.fr", email_confirmed_at=None)
    client.force_login(user)

    response = client.post(accept_url(invited))

    assert response["Location"] == declare_url(invited)
    invited.refresh_from_db()
    user.refresh_from_db()
    assert (invited.state, invited.user) == (JurorState.ACCEPTED, user)
    assert user.email_confirmed
    assert enrolment_proof.holds(client.session, user)  # the invitation proved the mailbox


def test_another_account_may_not_accept(invited, applicant_client, applicant):
    response = applicant_client.post(accept_url(invited))

    assert response.status_code == 200
    assert (
        "Cette invitation a été envoyée à claire.dubois@exemple.fr, mais vous êtes connecté avec "
        "agent@rennes.fr : vous ne pouvez pas l'accepter avec ce compte."
    ) in response.content.decode()
    invited.refresh_from_db()
    assert (invited.state, invited.user) == (JurorState.INVITED, None)
    assert enrolment_proof.PROOF_SESSION_KEY not in applicant_client.session


def test_the_invited_person_declines(invited, client):
    url, accept = decline_url(invited), accept_url(invited)

    response = client.post(url)

    assert response.status_code == 200
    edition = invited.round.edition
    assert (
        f"Vous avez décliné l'invitation au jury de l'édition {edition.year} du "
        f"{edition.contest.name}."
    ) in response.content.decode()
    invited.refresh_from_db()
    assert invited.state == invited.member.state == JurorState.DECLINED
    assert ActivityEntry.objects.get().action == "juror_declined"
    assert client.post(url).status_code == 404
    assert client.post(accept).status_code == 404


def test_a_used_or_unknown_link_gets_a_french_page(client, db):
    response = client.get(reverse("jury:invitation", args=["inconnu"]))

    assert response.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in response.content.decode()


def test_an_expired_link_gets_a_french_page(invited, client):
    JuryMember.objects.filter(pk=invited.member_id).update(
        invited_at=timezone.now() - timedelta(days=31)
    )

    response = client.post(decline_url(invited))

    assert response.status_code == 410
    assert client.post(accept_url(invited)).status_code == 410
    assert "Ce lien d'invitation a expiré." in response.content.decode()
    invited.refresh_from_db()
    assert invited.state == JurorState.INVITED
