"""Business rules of accounts: signing up, confirming an address, memberships and their states.

Views and commands call these functions; models stay plain. Each function that changes state
lists its effects in its docstring.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from territories.models import Organisation

from . import confirmation, emails, rules, throttling
from .enums import MembershipRequestOutcome, MembershipRole, MembershipState
from .models import Membership, User, VerifiedDomain
from .validators import normalise_domain, validate_verifiable_domain

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


def sign_up(
    *,
    email: str,
    full_name: str,
    password_hash: str,
    base_url: str,
    next_url: str = "",
    send: bool = True,
) -> User | None:
    """Create an account and send its confirmation link, or warn the owner of the address.

    Run by the task queue (accounts.tasks.sign_up), with the password already hashed by the
    request, so that the page answers in the same time whether the address has an account.
    1. If the address already has an account: email that address a notice with a
       password-reset link, return None.
    2. Otherwise create the user with `email_confirmed_at=None` and email the confirmation link
       (carrying `next_url`, where the person was going).
    `send` False (the address's hourly limit, mail_limits) sends no email in either case.
    The caller must answer both cases identically: the page must not reveal who has an account.
    """
    email = throttling.normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, None, full_name=full_name)
                user.password = password_hash
                user.save(update_fields=["password"])
        except IntegrityError:
            # Someone signed up with the same address a moment ago.
            existing = User.objects.get(email__iexact=email)
        else:
            if send:
                emails.send_email_confirmation(user, base_url=base_url, next_url=next_url)
            activity.info("account created", extra={"user": user.pk})
            return user
    if send:
        emails.send_account_exists(existing, base_url=base_url)
    activity.info("sign-up attempted for an existing account", extra={"user": existing.pk})
    return None


def confirm_email(token: str) -> User:
    """Confirm the address a token was made for; raise confirmation.InvalidToken/ExpiredToken.

    A token for an address the account no longer has is invalid. Confirming twice is harmless.
    The user returned carries `newly_confirmed`: True only the first time (the view signs the
    person in then, and only then: a link used again is no key to the account).
    """
    user_id, email = confirmation.read_token(token)
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        raise confirmation.InvalidToken
    user.newly_confirmed = mark_email_confirmed(user)
    return user


def mark_email_confirmed(user: User) -> bool:
    """Record that the user controls their address; return False if it was already confirmed.

    Effects: set `email_confirmed_at`, save that field only, activity log; then confirm the
    user's pending requests to structures that have verified the address's domain (they were
    waiting for this proof, see request_membership).
    """
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    activity.info("email confirmed", extra={"user": user.pk})
    waiting = user.memberships.filter(
        state=MembershipState.PENDING,
        organisation__verified_domains__domain=email_domain(user.email),
    ).select_related("user", "organisation")
    for membership in waiting:
        activity.info(
            "membership confirmed by verified domain",
            extra={"user": user.pk, "membership": membership.pk},
        )
        set_membership_state(membership, MembershipState.CONFIRMED, by=user)
    rules.forget_memberships(user)
    return True


def email_domain(email: str) -> str:
    """The domain of an address, lower-case: "Agent@Ville-Epernay.FR" → "ville-epernay.fr"."""
    return email.rpartition("@")[2].strip().lower()


def request_membership(
    user: User, organisation: Organisation, *, role: MembershipRole = MembershipRole.AGENT
) -> Membership:
    """Ask to act for a structure; return the (new or existing) membership.

    The membership returned carries `outcome` (a MembershipRequestOutcome) and `email_domain`,
    so that the page can say what happened and why.
    1. Guard: a membership that was rejected raises MembershipRefused (asking again would
       pester whoever decides; an organiser can still reverse the refusal).
    2. An existing pending or confirmed membership is returned unchanged (asking twice is
       fine): outcome ALREADY_REQUESTED.
    3. Otherwise create it with the requested role: confirmed at once (`decided_at` set) when
       the user's address is confirmed and its domain is verified for the structure
       (CONFIRMED_BY_DOMAIN), else pending (PENDING, or PENDING_EMAIL_UNCONFIRMED when only
       the unconfirmed address stands in the way: a domain proves nothing about an address
       nobody has shown they read). Activity log.
    """
    address_domain = email_domain(user.email)
    domain_verified = VerifiedDomain.objects.filter(
        organisation=organisation, domain=address_domain
    ).exists()
    confirm_now = domain_verified and user.email_confirmed
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "role": MembershipRole(role),
            "state": MembershipState.CONFIRMED if confirm_now else MembershipState.PENDING,
            "decided_at": timezone.now() if confirm_now else None,
        },
    )
    membership.email_domain = address_domain
    if not created:
        if membership.state == MembershipState.REJECTED:
            raise MembershipRefused(f"membership {membership.pk} was rejected")
        membership.outcome = MembershipRequestOutcome.ALREADY_REQUESTED
        return membership
    if confirm_now:
        membership.outcome = MembershipRequestOutcome.CONFIRMED_BY_DOMAIN
        rules.forget_memberships(user)
    elif domain_verified:
        membership.outcome = MembershipRequestOutcome.PENDING_EMAIL_UNCONFIRMED
    else:
        membership.outcome = MembershipRequestOutcome.PENDING
    activity.info(
        "membership requested",
        extra={
            "user": user.pk,
            "organisation": organisation.pk,
            "role": membership.role,
            "outcome": membership.outcome.value,
        },
    )
    return membership


def set_membership_state(
    membership: Membership, new_state: MembershipState, *, by: User, reason: str = ""
) -> Membership:
    """Move a membership to a new state. The caller has checked `accounts.decide_membership`.

    1. Guard: the move must be in MEMBERSHIP_TRANSITIONS, else InvalidTransition.
    2. Set the state, `decided_at` and the reason of a refusal (none is kept on confirming);
       save those three fields only.
    3. Confirming lists a declared company not yet listed in the public referential
       (accounts.companies.declare_company).
    4. Forget the member's cached organisation list (rules.confirmed_organisation_ids).
    5. Activity log with who decided.
    6. Email the member the decision (with the reason of a refusal).
    """
    old_state = MembershipState(membership.state)
    new_state = MembershipState(new_state)
    if new_state not in MEMBERSHIP_TRANSITIONS[old_state]:
        raise InvalidTransition(f"membership {membership.pk}: {old_state} → {new_state}")
    membership.state = new_state
    membership.decided_at = timezone.now()
    membership.decision_reason = reason.strip() if new_state == MembershipState.REJECTED else ""
    membership.save(update_fields=["state", "decided_at", "decision_reason"])
    organisation = membership.organisation
    if new_state == MembershipState.CONFIRMED and not organisation.listed:
        organisation.listed = True
        organisation.save(update_fields=["listed", "updated_at"])
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
    emails.send_membership_decision(membership, previous_state=old_state)
    return membership


def memberships_to_decide(user: User) -> QuerySet[Membership]:
    """The memberships this person may decide: all for an organiser; for a manager, those of
    the structures they manage, except their own. Newest requests first."""
    memberships = Membership.objects.select_related("user", "organisation").order_by(
        "-created_at", "-pk"
    )
    if rules.is_organiser(user):
        return memberships
    return memberships.filter(organisation_id__in=rules.managed_organisation_ids(user)).exclude(
        user=user
    )


def add_verified_domain(organisation: Organisation, domain: str, *, by: User) -> VerifiedDomain:
    """Record that an email domain belongs to a structure (the caller checked the permission).

    1. Normalise ("@Ville-Epernay.FR" → "ville-epernay.fr") and validate it
       (validators.validate_verifiable_domain raises ValidationError).
    2. Create it, or return the one already recorded (verifying twice changes nothing).
    3. Activity log. Requests already pending are left to whoever decides: only requests made
       from now on are confirmed by the domain.
    """
    domain = normalise_domain(domain)
    validate_verifiable_domain(domain)
    verified, created = VerifiedDomain.objects.get_or_create(
        organisation=organisation, domain=domain, defaults={"verified_by": by}
    )
    if created:
        activity.info(
            "email domain verified",
            extra={"organisation": organisation.pk, "domain": domain, "by": by.pk},
        )
    return verified


def remove_verified_domain(verified: VerifiedDomain, *, by: User) -> None:
    """Stop trusting a domain for a structure. Memberships it confirmed stay confirmed (each
    can be revoked on its own). Effects: delete the row, activity log."""
    activity.info(
        "email domain removed",
        extra={"organisation": verified.organisation_id, "domain": verified.domain, "by": by.pk},
    )
    verified.delete()
