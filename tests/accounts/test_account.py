import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipRole, MembershipState
from territories.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .pages import page_text

ACCOUNT = reverse("accounts:account")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitor_may_not_see_account_page_and_is_sent_to_login(visitor, db):
    response = visitor.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/"


def test_applicant_may_see_own_account_page(applicant_client, applicant):
    response = applicant_client.get(ACCOUNT)

    assert response.status_code == 200
    assert response.context["account_user"] == applicant
    page = response.content.decode()
    assert "<dd>agent@rennes.fr</dd>" in page
    assert f"<dd>{applicant.full_name}</dd>" in page
    assert '<th scope="row">Commune de Rennes</th>' in page
    assert "<td>Agent</td>" in page
    assert 'membership-confirmed">Confirmée</td>' in page
    assert "pas encore confirmée" not in page_text(response)
    assert response.context["roles"] == []


def test_pending_applicant_sees_pending_state(pending_applicant):
    response = _client_for(pending_applicant).get(ACCOUNT)

    memberships = list(response.context["memberships"])
    assert [(m.organisation.name, m.get_state_display()) for m in memberships] == [
        ("Rennes", "En attente de confirmation")
    ]
    assert (
        'membership-pending">En attente de confirmation<br><span class="muted">Confirmation '
        "attendue de l&#x27;équipe organisatrice du Label Territoire Innovant ; vous recevrez un "
        "courriel.</span></td>"
    ) in response.content.decode()


def test_rejected_membership_shows_refused_and_manager_role(db, brest):
    user = UserFactory()
    MembershipFactory(
        user=user, organisation=brest, role=MembershipRole.MANAGER, state=MembershipState.REJECTED
    )

    page = _client_for(user).get(ACCOUNT).content.decode()

    assert "<td>Référent de la structure</td>" in page
    assert 'membership-rejected">Refusée</td>' in page


def test_account_page_never_shows_other_users_memberships(applicant_client, other_applicant):
    page = applicant_client.get(ACCOUNT).content.decode()

    assert "Brest" not in page


def test_organiser_sees_organiser_role(organiser_client):
    response = organiser_client.get(ACCOUNT)

    assert response.context["roles"] == ["Organisateur ou organisatrice des concours"]
    assert "Vous n'êtes rattaché à aucune structure pour l'instant." in page_text(response)


def test_superuser_sees_both_roles(db):
    user = UserFactory(is_organiser=True, is_superuser=True)

    response = _client_for(user).get(ACCOUNT)

    assert response.context["roles"] == [
        "Organisateur ou organisatrice des concours",
        "Administration technique du site",
    ]


def test_unconfirmed_user_sees_notice_and_resend_button(db):
    user = UserFactory(email="pas-confirme@exemple.fr", email_confirmed_at=None)

    response = _client_for(user).get(ACCOUNT)

    page = response.content.decode()
    assert (
        "Votre adresse électronique pas-confirme@exemple.fr n'est pas encore confirmée. Suivez "
        "le lien que nous vous avons envoyé ; il est valable trois jours."
    ) in page_text(response)
    assert 'action="/compte/confirmation/renvoyer/"' in page
    assert "<dd>Pas encore confirmée</dd>" in page


def test_confirmed_user_sees_no_resend_button(applicant_client):
    page = applicant_client.get(ACCOUNT).content.decode()

    assert 'action="/compte/confirmation/renvoyer/"' not in page


def _membership_rows(count: int) -> Client:
    user = UserFactory()
    for organisation in Organisation.objects.filter(kind="commune", departement__insee_code="35")[
        :count
    ]:
        MembershipFactory(user=user, organisation=organisation)
    return _client_for(user)


@pytest.mark.parametrize("count", [1, 3])
def test_account_page_query_count(db, django_assert_num_queries, count):
    client = _membership_rows(count)

    # session, user, memberships with their organisations.
    with django_assert_num_queries(3):
        response = client.get(ACCOUNT)

    assert len(response.context["memberships"]) == count


def test_unconfirmed_user_may_ask_for_a_new_link(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="pas-confirme@exemple.fr", email_confirmed_at=None)
    client = _client_for(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_confirmation"))

    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Un nouveau lien de confirmation a été envoyé à pas-confirme@exemple.fr."
    ]
    assert [m.subject for m in mail.outbox] == [
        "Label Territoire Innovant : confirmez votre adresse électronique"
    ]
    assert mail.outbox[0].to == ["pas-confirme@exemple.fr"]


def test_new_link_may_not_be_asked_twice_within_a_minute(db, django_capture_on_commit_callbacks):
    client = _client_for(UserFactory(email_confirmed_at=None))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:resend_confirmation"))

        response = client.post(reverse("accounts:resend_confirmation"))

    # The first message was never displayed (no redirect followed), so both are queued.
    assert [m.message for m in get_messages(response.wsgi_request)][-1:] == [
        "Un lien vient de vous être envoyé. Patientez une minute avant d'en demander un autre."
    ]
    assert len(mail.outbox) == 1


def test_confirmed_user_gets_no_new_link(applicant_client):
    response = applicant_client.post(reverse("accounts:resend_confirmation"))

    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Votre adresse électronique est déjà confirmée."
    ]
    assert mail.outbox == []


def test_visitor_may_not_ask_for_a_new_link(visitor, db):
    response = visitor.post(reverse("accounts:resend_confirmation"))

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert mail.outbox == []


def test_new_link_is_post_only(applicant_client):
    assert applicant_client.get(reverse("accounts:resend_confirmation")).status_code == 405


def test_account_page_lists_organisations_by_name(db):
    user = UserFactory()
    for name in ["Zeta numérique", "Alpha numérique"]:
        MembershipFactory(user=user, organisation=OrganisationFactory(name=name))

    response = _client_for(user).get(ACCOUNT)

    assert [m.organisation.name for m in response.context["memberships"]] == [
        "Alpha numérique",
        "Zeta numérique",
    ]
