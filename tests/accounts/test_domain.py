import logging

import pytest

from accounts import domain, rules
from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership
from tests.factories import MembershipFactory, UserFactory


def test_request_membership_creates_a_pending_membership(pending_applicant, brest, caplog):
    with caplog.at_level(logging.INFO, logger="activity"):
        membership = domain.request_membership(
            pending_applicant, brest, role=MembershipRole.MANAGER
        )

    assert (membership.organisation, membership.role, membership.state) == (
        brest,
        MembershipRole.MANAGER,
        MembershipState.PENDING,
    )
    assert membership.decided_at is None
    assert [r.getMessage() for r in caplog.records if r.name == "activity"] == [
        "membership requested"
    ]


def test_request_membership_twice_returns_the_same_membership(applicant, rennes):
    existing = applicant.memberships.get()

    membership = domain.request_membership(applicant, rennes)

    assert membership == existing
    assert membership.state == MembershipState.CONFIRMED
    assert Membership.objects.filter(user=applicant).count() == 1


def test_request_membership_after_a_refusal_is_refused(db, rennes):
    membership = MembershipFactory(organisation=rennes, state=MembershipState.REJECTED)

    with pytest.raises(domain.MembershipRefused):
        domain.request_membership(membership.user, rennes)

    membership.refresh_from_db()
    assert membership.state == MembershipState.REJECTED


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (MembershipState.PENDING, MembershipState.CONFIRMED),
        (MembershipState.PENDING, MembershipState.REJECTED),
        (MembershipState.CONFIRMED, MembershipState.REJECTED),
        (MembershipState.REJECTED, MembershipState.CONFIRMED),
    ],
)
def test_set_membership_state_allowed_transitions(organiser, rennes, old, new, caplog):
    membership = MembershipFactory(organisation=rennes, state=old)

    with caplog.at_level(logging.INFO, logger="activity"):
        result = domain.set_membership_state(membership, new, by=organiser)

    assert result is membership
    membership.refresh_from_db()
    assert membership.state == new
    assert membership.decided_at is not None
    record = next(r for r in caplog.records if r.name == "activity")
    assert (record.getMessage(), record.membership, record.by) == (
        "membership state changed",
        membership.pk,
        organiser.pk,
    )
    assert (getattr(record, "from"), record.to) == (old.value, new.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (MembershipState.PENDING, MembershipState.PENDING),
        (MembershipState.CONFIRMED, MembershipState.PENDING),
        (MembershipState.CONFIRMED, MembershipState.CONFIRMED),
        (MembershipState.REJECTED, MembershipState.PENDING),
        (MembershipState.REJECTED, MembershipState.REJECTED),
    ],
)
def test_set_membership_state_refuses_other_transitions(organiser, rennes, old, new):
    membership = MembershipFactory(organisation=rennes, state=old)

    with pytest.raises(domain.InvalidTransition):
        domain.set_membership_state(membership, new, by=organiser)

    membership.refresh_from_db()
    assert (membership.state, membership.decided_at) == (old, None)


def test_set_membership_state_refreshes_the_members_permissions(organiser, pending_applicant):
    membership = pending_applicant.memberships.select_related("user").get()
    member = membership.user
    assert rules.confirmed_organisation_ids(member) == frozenset()

    domain.set_membership_state(membership, MembershipState.CONFIRMED, by=organiser)

    assert rules.confirmed_organisation_ids(member) == frozenset({membership.organisation_id})


def test_mark_email_confirmed_only_once(db):
    user = UserFactory(email_confirmed_at=None)

    assert domain.mark_email_confirmed(user) is True
    first = user.email_confirmed_at
    assert domain.mark_email_confirmed(user) is False
    user.refresh_from_db()
    assert user.email_confirmed_at == first
