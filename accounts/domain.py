"""Business rules of accounts: signing up, confirming an address, memberships and their states.

Views and commands call these functions; models stay plain. Each function that changes state
lists its effects in its docstring.
"""

import logging

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from territories.models import Organisation

from . import confirmation, emails, rules, throttling
from .enums import MembershipRole, MembershipState
from .models import Membership, User

activity = logging.getLogger("activity")

# The membership lifecycle. A request starts pending; whoever decides (an organiser, or later a
# manager of the structure) confirms or rejects it. A confirmed membership may be revoked
# (rejected) when the agent leaves the structure, and a rejection may be reversed by confirming
# it (a decision taken by mistake). Nothing goes back to pending: a pending request is a
# question asked once, and re-asking after a refusal is not allowed (see request_membership).
MEMBERSHIP_TRANSITIONS: dict[MembershipState, frozenset[MembershipState]] = {
    MembershipState.PENDING: frozenset({MembershipState.CONFIRMED, MembershipState.REJECTED}),
    MembershipState.CONFIRMED: frozenset({MembershipState.REJECTED}),
    MembershipState.REJECTED: frozenset({MembershipState.CONFIRMED}),
}


class MembershipError(Exception):
    """A membership change that the rules do not allow."""


class MembershipRefused(MembershipError):
    """The user asked to join a structure that already refused them."""


class InvalidTransition(MembershipError):
    """The membership cannot go from its current state to the requested one."""


def sign_up(*, email: str, full_name: str, password: str, base_url: str) -> User | None:
    """Create an account and send its confirmation link, or warn the owner of the address.

    1. If the address already has an account: hash the password anyway (so the response takes
       as long either way), email that address a notice with a password-reset link, return None.
    2. Otherwise create the user with `email_confirmed_at=None` and email the confirmation link.
    The caller must answer both cases identically: the page must not reveal who has an account.
    """
    email = throttling.normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, password, full_name=full_name)
        except IntegrityError:
            # Someone signed up with the same address a moment ago.
            existing = User.objects.get(email__iexact=email)
        else:
            emails.send_email_confirmation(user, base_url=base_url)
            activity.info("account created", extra={"user": user.pk})
            return user
    make_password(password)
    emails.send_account_exists(existing, base_url=base_url)
    activity.info("sign-up attempted for an existing account", extra={"user": existing.pk})
    return None


def confirm_email(token: str) -> User:
    """Confirm the address a token was made for; raise confirmation.InvalidToken/ExpiredToken.

    A token for an address the account no longer has is invalid. Confirming twice is harmless.
    """
    user_id, email = confirmation.read_token(token)
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        raise confirmation.InvalidToken
    mark_email_confirmed(user)
    return user


def mark_email_confirmed(user: User) -> bool:
    """Record that the user controls their address; return False if it was already confirmed.

    Effects: set `email_confirmed_at`, save that field only, activity log.
    """
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    activity.info("email confirmed", extra={"user": user.pk})
    return True


def request_membership(
    user: User, organisation: Organisation, *, role: MembershipRole = MembershipRole.AGENT
) -> Membership:
    """Ask to act for a structure; return the (new or existing) membership.

    1. Guard: a membership that was rejected raises MembershipRefused (asking again would
       pester whoever decides; an organiser can still reverse the refusal).
    2. An existing pending or confirmed membership is returned unchanged (asking twice is fine).
    3. Otherwise create it, pending, with the requested role; activity log.
    """
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": MembershipRole(role), "state": MembershipState.PENDING},
    )
    if not created:
        if membership.state == MembershipState.REJECTED:
            raise MembershipRefused(f"membership {membership.pk} was rejected")
        return membership
    activity.info(
        "membership requested",
        extra={"user": user.pk, "organisation": organisation.pk, "role": membership.role},
    )
    return membership


def set_membership_state(
    membership: Membership, new_state: MembershipState, *, by: User
) -> Membership:
    """Move a membership to a new state. The caller has checked `accounts.decide_membership`.

    1. Guard: the move must be in MEMBERSHIP_TRANSITIONS, else InvalidTransition.
    2. Set the state and `decided_at`; save those two fields only.
    3. Forget the member's cached organisation list (rules.confirmed_organisation_ids).
    4. Activity log with who decided. (Notifying the member comes with the membership UI.)
    """
    old_state = MembershipState(membership.state)
    new_state = MembershipState(new_state)
    if new_state not in MEMBERSHIP_TRANSITIONS[old_state]:
        raise InvalidTransition(f"membership {membership.pk}: {old_state} → {new_state}")
    membership.state = new_state
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "decided_at"])
    if Membership.user.is_cached(membership):
        rules.forget_memberships(membership.user)
    activity.info(
        "membership state changed",
        extra={
            "membership": membership.pk,
            "from": old_state.value,
            "to": new_state.value,
            "by": by.pk,
        },
    )
    return membership
