"""Who a user is, as predicates every app's rules.py combines, and the accounts access policy.

Membership look-ups are cached on the user object, which lives for one request: a page that
checks a permission for each of 50 rows asks the database once. domain.set_membership_state
drops the cache when it changes a membership of that same user object.
"""

import rules

from .enums import MembershipRole, MembershipState

_CACHE_ATTRIBUTE = "_confirmed_roles_by_organisation"


def _confirmed_roles(user) -> dict[int, str]:
    """Map organisation id → role, for the user's confirmed memberships."""
    if not (user and user.is_authenticated):
        return {}
    roles = getattr(user, _CACHE_ATTRIBUTE, None)
    if roles is None:
        roles = dict(
            user.memberships.filter(state=MembershipState.CONFIRMED).values_list(
                "organisation_id", "role"
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def remember_memberships(user, memberships) -> None:
    """Fill the cache from all the user's memberships, loaded anyway by the page (the account
    page lists them), so that checking a permission there costs no further query."""
    setattr(
        user,
        _CACHE_ATTRIBUTE,
        {m.organisation_id: m.role for m in memberships if m.state == MembershipState.CONFIRMED},
    )


def forget_memberships(user) -> None:
    """Drop the cached memberships of this user object (after one of them changed)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def confirmed_organisation_ids(user) -> frozenset[int]:
    """Ids of the structures the user may act for (confirmed memberships only)."""
    return frozenset(_confirmed_roles(user))


def managed_organisation_ids(user) -> frozenset[int]:
    """Ids of the structures where the user is a confirmed manager (référent)."""
    return frozenset(
        organisation_id
        for organisation_id, role in _confirmed_roles(user).items()
        if role == MembershipRole.MANAGER
    )


@rules.predicate
def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_organiser)


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_confirmed_member_of(user, organisation) -> bool:
    """The user acts for this organisation (a confirmed membership, any role)."""
    return organisation is not None and organisation.pk in confirmed_organisation_ids(user)


@rules.predicate
def is_structure_manager(user) -> bool:
    """The user is a confirmed manager of at least one structure."""
    return bool(managed_organisation_ids(user))


@rules.predicate
def is_membership_owner(user, membership) -> bool:
    return bool(user and user.is_authenticated and membership.user_id == user.pk)


@rules.predicate
def manages_membership_organisation(user, membership) -> bool:
    """The user is a confirmed manager of the structure the membership is for."""
    return membership.organisation_id in managed_organisation_ids(user)


# The accounts policy. Memberships are decided by organisers, or by a manager of the structure
# for someone else's request (never their own).
rules.add_perm(
    "accounts.read_membership",
    is_membership_owner | is_organiser | manages_membership_organisation,
)
rules.add_perm(
    "accounts.decide_membership",
    is_organiser | (manages_membership_organisation & ~is_membership_owner),
)
# Anyone signed in may ask to join a structure; whoever decides sees the requests they may
# decide (domain.memberships_to_decide). Email domains trusted for a structure are set by
# organisers only: one wrong domain would let strangers act for it.
rules.add_perm("accounts.request_membership", rules.is_authenticated)
rules.add_perm("accounts.list_memberships", is_organiser | is_structure_manager)
rules.add_perm("accounts.manage_verified_domains", is_organiser)

# The referential's one guarded action, registered here because territories, below accounts,
# does not know who organisers are: they add the public bodies the referential lacks.
rules.add_perm("territories.create_organisation", is_organiser)
