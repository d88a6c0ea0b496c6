"""Organisers (and managers of a structure) confirm or refuse membership requests."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipRole, MembershipState
from tests.factories import MembershipFactory, UserFactory

from .pages import page_text

MEMBERSHIPS = reverse("accounts:memberships")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


def _decide_url(membership) -> str:
    return reverse("accounts:membership_decide", kwargs={"reference": membership.reference})


@pytest.fixture
def request_to_rennes(pending_applicant):
    return pending_applicant.memberships.get()


@pytest.fixture
def rennes_manager(rennes):
    return MembershipFactory(
        user__email="referente@rennes.fr", organisation=rennes, role=MembershipRole.MANAGER
    ).user


def test_visitor_may_not_see_the_requests(visitor, db):
    response = visitor.get(MEMBERSHIPS)

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/rattachements/"


def test_applicant_may_not_see_the_requests(applicant_client):
    assert applicant_client.get(MEMBERSHIPS).status_code == 403


def test_organiser_sees_pending_requests_by_default(organiser_client, request_to_rennes, applicant):
    response = organiser_client.get(MEMBERSHIPS)

    assert response.status_code == 200
    assert [membership for membership, _may in response.context["rows"]] == [request_to_rennes]
    assert [may for _membership, may in response.context["rows"]] == [True]
    text = page_text(response)
    assert "1 rattachement" in text
    assert "candidat@exemple.fr" in text
    assert "agent@rennes.fr" not in text
    page = response.content.decode()
    assert f'action="{_decide_url(request_to_rennes)}"' in page
    assert '<input type="hidden" name="decision" value="confirmed">' in page
    assert '<a href="/compte/structures/rennes-35238/domaines/">Domaines vérifiés' in page


@pytest.mark.parametrize(
    ("state", "emails"),
    [
        ("confirmed", ["agent@rennes.fr"]),
        ("rejected", []),
        ("", ["agent@rennes.fr", "candidat@exemple.fr"]),
    ],
)
def test_organiser_filters_by_state(organiser_client, request_to_rennes, applicant, state, emails):
    response = organiser_client.get(MEMBERSHIPS, {"state": state})

    assert [m.user.email for m, _may in response.context["rows"]] == emails


def test_nothing_pending_says_so(organiser_client, applicant):
    response = organiser_client.get(MEMBERSHIPS)

    assert "Aucune demande de rattachement n'attend de décision." in page_text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_requests_query_count(organiser_client, rennes, django_assert_num_queries, count):
    MembershipFactory.create_batch(count, organisation=rennes, state=MembershipState.PENDING)

    # session, user, count, the page of requests with their people and structures.
    with django_assert_num_queries(4):
        response = organiser_client.get(MEMBERSHIPS)

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_manager_requests_query_count(rennes_manager, rennes, django_assert_num_queries, count):
    MembershipFactory.create_batch(count, organisation=rennes, state=MembershipState.PENDING)
    client = _client_for(rennes_manager)

    # session, user, the manager's memberships (permission), count, the page of requests.
    with django_assert_num_queries(5):
        response = client.get(MEMBERSHIPS)

    assert len(response.context["rows"]) == count


def test_manager_sees_only_own_structures_requests(rennes_manager, request_to_rennes, brest):
    MembershipFactory(organisation=brest, state=MembershipState.PENDING)

    response = _client_for(rennes_manager).get(MEMBERSHIPS)

    assert [m for m, _may in response.context["rows"]] == [request_to_rennes]
    # Domains stay the organisers' business.
    assert "/domaines/" not in response.content.decode()


def test_organiser_confirms_a_request(
    organiser_client, organiser, request_to_rennes, caplog, django_capture_on_commit_callbacks
):
    back = f"{MEMBERSHIPS}?state=pending&page=1"

    with (
        caplog.at_level(logging.INFO, logger="activity"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = organiser_client.post(
            _decide_url(request_to_rennes), {"decision": "confirmed", "next": back}
        )

    assert response.status_code == 302
    assert response["Location"] == back
    request_to_rennes.refresh_from_db()
    assert request_to_rennes.state == MembershipState.CONFIRMED
    assert _messages(response) == [
        "Le rattachement de candidat@exemple.fr à « Commune de Rennes » est confirmé. "
        "Un courriel l'en informe."
    ]
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Votre rattachement à Rennes est confirmé", ["candidat@exemple.fr"])
    ]
    # The agent was blocked on a new dossier: the email says where to create it now.
    assert (
        "\n\nCréer un dossier ou suivre les vôtres :\nhttp://127.0.0.1:8000/candidatures/\n\n"
        in mail.outbox[0].body
    )
    record = next(r for r in caplog.records if r.getMessage() == "membership state changed")
    assert (record.membership, record.by, record.to) == (
        request_to_rennes.pk,
        organiser.pk,
        "confirmed",
    )


def test_organiser_refuses_a_request_with_a_reason(
    organiser_client, request_to_rennes, django_capture_on_commit_callbacks
):
    page = organiser_client.get(_decide_url(request_to_rennes), {"next": MEMBERSHIPS})

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            _decide_url(request_to_rennes),
            {"decision": "rejected", "reason": "Adresse sans lien avec la ville.", "next": "/"},
        )

    assert "Refuser la demande" in page_text(page)
    assert "@exemple.fr – non vérifié pour cette structure" in page_text(page)
    request_to_rennes.refresh_from_db()
    assert (request_to_rennes.state, request_to_rennes.decision_reason) == (
        MembershipState.REJECTED,
        "Adresse sans lien avec la ville.",
    )
    assert response["Location"] == "/"
    assert _messages(response) == [
        "Le rattachement de candidat@exemple.fr à « Commune de Rennes » est refusé. "
        "Un courriel l'en informe."
    ]
    (message,) = mail.outbox
    assert message.subject == "Votre demande de rattachement à Rennes est refusée"
    assert "Motif : Adresse sans lien avec la ville." in message.body
    assert "/candidatures/" not in message.body


def test_too_long_reason_is_refused_and_kept(organiser_client, request_to_rennes):
    reason = "Trop long. " * 100

    response = organiser_client.post(
        _decide_url(request_to_rennes), {"decision": "rejected", "reason": reason}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Assurez-vous que cette valeur comporte au plus 1000 caractères (actuellement 1099)."
    ]
    assert reason.strip() in response.content.decode()
    assert page_text(response).startswith("<!doctype html>")
    request_to_rennes.refresh_from_db()
    assert request_to_rennes.state == MembershipState.PENDING
    assert mail.outbox == []


def test_deciding_twice_changes_nothing_more(
    organiser_client, request_to_rennes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(_decide_url(request_to_rennes), {"decision": "confirmed"})

        response = organiser_client.post(_decide_url(request_to_rennes), {"decision": "confirmed"})

    assert response["Location"] == MEMBERSHIPS
    assert _messages(response)[-1] == (
        "Rien n'a été modifié : ce rattachement est déjà à l'état « Confirmée »."
    )
    assert len(mail.outbox) == 1


def test_unsafe_return_address_is_ignored(organiser_client, request_to_rennes):
    response = organiser_client.post(
        _decide_url(request_to_rennes),
        {"decision": "confirmed", "next": "https://ailleurs.example/"},
    )

    assert response["Location"] == MEMBERSHIPS


def test_applicant_may_not_confirm(applicant_client, request_to_rennes):
    response = applicant_client.post(_decide_url(request_to_rennes), {"decision": "confirmed"})

    assert response.status_code == 403
    request_to_rennes.refresh_from_db()
    assert request_to_rennes.state == MembershipState.PENDING
    assert mail.outbox == []


def test_applicant_may_not_open_a_decision_page(applicant_client, request_to_rennes):
    assert applicant_client.get(_decide_url(request_to_rennes)).status_code == 403


def test_unknown_reference_is_not_found(organiser_client, db):
    url = reverse(
        "accounts:membership_decide", kwargs={"reference": "6f1c1d1e-0000-4000-8000-000000000000"}
    )

    assert organiser_client.get(url).status_code == 404


def test_manager_may_confirm_for_own_structure(rennes_manager, request_to_rennes):
    response = _client_for(rennes_manager).post(
        _decide_url(request_to_rennes), {"decision": "confirmed"}
    )

    assert response.status_code == 302
    request_to_rennes.refresh_from_db()
    assert request_to_rennes.state == MembershipState.CONFIRMED


def test_manager_may_not_confirm_for_another_structure(rennes_manager, brest):
    request_to_brest = MembershipFactory(organisation=brest, state=MembershipState.PENDING)

    response = _client_for(rennes_manager).post(
        _decide_url(request_to_brest), {"decision": "confirmed"}
    )

    assert response.status_code == 403
    request_to_brest.refresh_from_db()
    assert request_to_brest.state == MembershipState.PENDING


def test_manager_may_not_decide_own_membership(rennes_manager):
    own = rennes_manager.memberships.get()

    response = _client_for(rennes_manager).post(_decide_url(own), {"decision": "rejected"})

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.state == MembershipState.CONFIRMED


def test_unconfirmed_address_is_flagged_to_whoever_decides(organiser_client, rennes):
    MembershipFactory(
        user=UserFactory(email_confirmed_at=None), organisation=rennes, state="pending"
    )

    assert "Adresse non confirmée" in page_text(organiser_client.get(MEMBERSHIPS))
