"""Memberships in the domain layer: verified email domains, requests, decisions and their emails."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts import domain, rules
from accounts.enums import MembershipRequestOutcome, MembershipRole, MembershipState
from accounts.models import Membership, VerifiedDomain
from territories.models import Organisation
from tests.factories import MembershipFactory, UserFactory, VerifiedDomainFactory


@pytest.fixture
def epernay(db) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code="51230")


@pytest.fixture
def agglo(db) -> Organisation:
    """« Épernay Agglo Champagne »."""
    return Organisation.objects.get(siren="200067684")


@pytest.fixture
def epernay_domain(epernay, organiser) -> VerifiedDomain:
    return VerifiedDomainFactory(
        organisation=epernay, domain="ville-epernay.fr", verified_by=organiser
    )


def _activity(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "activity"]


def test_request_is_confirmed_at_once_from_a_verified_domain(epernay, epernay_domain, caplog):
    user = UserFactory(email="agent@ville-epernay.fr")

    with caplog.at_level(logging.INFO, logger="activity"):
        membership = domain.request_membership(user, epernay)

    assert (membership.state, membership.outcome, membership.email_domain) == (
        MembershipState.CONFIRMED,
        MembershipRequestOutcome.CONFIRMED_BY_DOMAIN,
        "ville-epernay.fr",
    )
    assert membership.decided_at is not None
    assert rules.is_confirmed_member_of(user, epernay) is True
    assert _activity(caplog) == ["membership requested"]
    assert caplog.records[-1].outcome == "confirmed_by_domain"
    # The page says it at once: no email for a decision nobody took.
    assert mail.outbox == []


def test_request_stays_pending_without_a_verified_domain(epernay, epernay_domain):
    user = UserFactory(email="agent@mairie-epernay.fr")

    membership = domain.request_membership(user, epernay)

    assert (membership.state, membership.outcome, membership.decided_at) == (
        MembershipState.PENDING,
        MembershipRequestOutcome.PENDING,
        None,
    )
    assert rules.is_confirmed_member_of(user, epernay) is False


@pytest.mark.parametrize(
    "email", ["agent@services.ville-epernay.fr", "agent@ville-epernay.fr.example.org"]
)
def test_domain_must_match_exactly(epernay, epernay_domain, email):
    membership = domain.request_membership(UserFactory(email=email), epernay)

    assert membership.state == MembershipState.PENDING


def test_domain_verified_for_another_structure_does_not_confirm(agglo, epernay_domain):
    user = UserFactory(email="agent@ville-epernay.fr")

    membership = domain.request_membership(user, agglo)

    assert (membership.state, membership.outcome) == (
        MembershipState.PENDING,
        MembershipRequestOutcome.PENDING,
    )


def test_request_stays_pending_while_the_address_is_unconfirmed(epernay, epernay_domain):
    user = UserFactory(email="agent@ville-epernay.fr", email_confirmed_at=None)

    membership = domain.request_membership(user, epernay)

    assert (membership.state, membership.outcome) == (
        MembershipState.PENDING,
        MembershipRequestOutcome.PENDING_EMAIL_UNCONFIRMED,
    )


def test_confirming_the_address_confirms_requests_waiting_for_it(
    epernay, agglo, epernay_domain, caplog, django_capture_on_commit_callbacks
):
    user = UserFactory(email="agent@ville-epernay.fr", email_confirmed_at=None)
    waiting = domain.request_membership(user, epernay)
    other = domain.request_membership(user, agglo)
    assert rules.confirmed_organisation_ids(user) == frozenset()
    caplog.clear()

    with (
        caplog.at_level(logging.INFO, logger="activity"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert domain.mark_email_confirmed(user) is True

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert (waiting.state, other.state) == (MembershipState.CONFIRMED, MembershipState.PENDING)
    assert rules.confirmed_organisation_ids(user) == frozenset({epernay.pk})
    assert _activity(caplog) == [
        "email confirmed",
        "membership confirmed by verified domain",
        "membership state changed",
    ]
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Votre rattachement à Épernay est confirmé", ["agent@ville-epernay.fr"])
    ]


def test_asking_again_returns_the_existing_membership(pending_applicant, rennes):
    membership = domain.request_membership(pending_applicant, rennes)

    assert (membership.state, membership.outcome) == (
        MembershipState.PENDING,
        MembershipRequestOutcome.ALREADY_REQUESTED,
    )
    assert Membership.objects.filter(user=pending_applicant).count() == 1


def test_refusal_keeps_its_reason_and_tells_the_member(
    organiser, pending_applicant, django_capture_on_commit_callbacks
):
    membership = pending_applicant.memberships.select_related("user", "organisation").get()

    with django_capture_on_commit_callbacks(execute=True):
        domain.set_membership_state(
            membership, MembershipState.REJECTED, by=organiser, reason="  Adresse personnelle.  "
        )

    membership.refresh_from_db()
    assert (membership.state, membership.decision_reason) == (
        MembershipState.REJECTED,
        "Adresse personnelle.",
    )
    (message,) = mail.outbox
    assert (message.subject, message.to) == (
        "Votre demande de rattachement à Rennes est refusée",
        ["candidat@exemple.fr"],
    )
    assert "Votre demande de rattachement à Rennes n'a pas été acceptée." in message.body
    assert "Motif : Adresse personnelle." in message.body
    assert "http://127.0.0.1:8000/compte/" in message.body


def test_refusal_without_reason_says_so(
    organiser, pending_applicant, django_capture_on_commit_callbacks
):
    membership = pending_applicant.memberships.get()

    with django_capture_on_commit_callbacks(execute=True):
        domain.set_membership_state(membership, MembershipState.REJECTED, by=organiser)

    assert "Aucun motif n'a été précisé." in mail.outbox[0].body


def test_confirmation_forgets_an_earlier_reason(
    organiser, rennes, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(
        organisation=rennes, state=MembershipState.REJECTED, decision_reason="Erreur."
    )

    with django_capture_on_commit_callbacks(execute=True):
        domain.set_membership_state(membership, MembershipState.CONFIRMED, by=organiser)

    membership.refresh_from_db()
    assert (membership.state, membership.decision_reason) == (MembershipState.CONFIRMED, "")
    assert [m.subject for m in mail.outbox] == ["Votre rattachement à Rennes est confirmé"]
    assert "Motif" not in mail.outbox[0].body


def test_withdrawing_a_confirmed_membership_says_so(
    organiser, applicant, django_capture_on_commit_callbacks
):
    membership = applicant.memberships.get()

    with django_capture_on_commit_callbacks(execute=True):
        domain.set_membership_state(
            membership, MembershipState.REJECTED, by=organiser, reason="Départ"
        )

    assert [m.subject for m in mail.outbox] == ["Votre rattachement à Rennes a été retiré"]
    assert "Motif : Départ" in mail.outbox[0].body


def test_add_verified_domain_normalises_and_logs_once(epernay, organiser, caplog):
    with caplog.at_level(logging.INFO, logger="activity"):
        first = domain.add_verified_domain(epernay, " @Ville-Epernay.FR. ", by=organiser)
        second = domain.add_verified_domain(epernay, "ville-epernay.fr", by=organiser)

    assert first == second
    assert (first.domain, first.verified_by, first.organisation) == (
        "ville-epernay.fr",
        organiser,
        epernay,
    )
    assert _activity(caplog) == ["email domain verified"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("gmail.com", "public_mail_domain"), ("Orange.fr", "public_mail_domain"), ("epernay", None)],
)
def test_add_verified_domain_refuses_webmail_and_non_domains(epernay, organiser, typed, code):
    with pytest.raises(ValidationError) as error:
        domain.add_verified_domain(epernay, typed, by=organiser)

    if code:
        assert error.value.code == code
    assert VerifiedDomain.objects.filter(organisation=epernay).exists() is False


def test_verified_domain_is_stored_lower_case_only(epernay):
    with pytest.raises(IntegrityError):
        VerifiedDomainFactory(organisation=epernay, domain="Ville-Epernay.fr")


def test_removing_a_domain_keeps_the_memberships_it_confirmed(epernay, epernay_domain, organiser):
    membership = domain.request_membership(UserFactory(email="a@ville-epernay.fr"), epernay)

    domain.remove_verified_domain(epernay_domain, by=organiser)

    membership.refresh_from_db()
    assert membership.state == MembershipState.CONFIRMED
    assert VerifiedDomain.objects.filter(organisation=epernay).exists() is False


def test_organiser_may_decide_every_membership(organiser, pending_applicant, other_applicant):
    assert set(domain.memberships_to_decide(organiser)) == set(
        Membership.objects.filter(user__in=[pending_applicant, other_applicant])
    )


def test_manager_decides_own_structures_requests_but_not_own_nor_others(
    rennes, brest, pending_applicant, other_applicant
):
    manager = MembershipFactory(
        organisation=rennes, role=MembershipRole.MANAGER, state=MembershipState.CONFIRMED
    ).user
    MembershipFactory(user=manager, organisation=brest, state=MembershipState.PENDING)

    assert list(domain.memberships_to_decide(manager)) == [pending_applicant.memberships.get()]
    assert list(domain.memberships_to_decide(other_applicant)) == []
