from django.contrib.auth.models import AnonymousUser

from accounts import rules
from accounts.enums import MembershipRole, MembershipState
from tests.factories import MembershipFactory, UserFactory


def test_confirmed_member_is_member_of_the_organisation(applicant, rennes):
    assert rules.is_confirmed_member_of(applicant, rennes) is True
    assert rules.confirmed_organisation_ids(applicant) == frozenset({rennes.pk})


def test_pending_or_other_member_is_not_member_of_the_organisation(
    pending_applicant, other_applicant, rennes
):
    assert rules.is_confirmed_member_of(pending_applicant, rennes) is False
    assert rules.is_confirmed_member_of(other_applicant, rennes) is False
    assert rules.is_confirmed_member_of(AnonymousUser(), rennes) is False


def test_confirmed_organisation_ids_are_read_once_per_user_object(
    applicant, rennes, django_assert_num_queries
):
    with django_assert_num_queries(1):
        for _check in range(3):
            rules.is_confirmed_member_of(applicant, rennes)


def test_organiser_predicates(organiser, applicant):
    assert rules.is_organiser(organiser) is True
    assert rules.is_organiser(applicant) is False
    assert rules.is_organiser(AnonymousUser()) is False
    assert rules.is_superuser(organiser) is False
    assert rules.is_organiser(UserFactory(is_superuser=True)) is False


def test_member_may_view_own_membership_and_other_agent_may_not(applicant, other_applicant):
    membership = applicant.memberships.get()

    assert applicant.has_perm("accounts.read_membership", membership) is True
    assert other_applicant.has_perm("accounts.read_membership", membership) is False


def test_organiser_may_decide_a_membership_and_applicant_may_not(
    organiser, pending_applicant, applicant
):
    membership = pending_applicant.memberships.get()

    assert organiser.has_perm("accounts.decide_membership", membership) is True
    assert applicant.has_perm("accounts.decide_membership", membership) is False
    assert pending_applicant.has_perm("accounts.decide_membership", membership) is False


def test_manager_may_decide_for_their_structure_but_not_for_themselves_nor_others(
    pending_applicant, rennes, brest
):
    manager = MembershipFactory(
        organisation=rennes, role=MembershipRole.MANAGER, state=MembershipState.CONFIRMED
    ).user
    own = manager.memberships.get()
    elsewhere = MembershipFactory(organisation=brest, state=MembershipState.PENDING)

    assert manager.has_perm("accounts.decide_membership", pending_applicant.memberships.get())
    assert manager.has_perm("accounts.read_membership", pending_applicant.memberships.get())
    assert not manager.has_perm("accounts.decide_membership", own)
    assert not manager.has_perm("accounts.decide_membership", elsewhere)
    assert not manager.has_perm("accounts.read_membership", elsewhere)
