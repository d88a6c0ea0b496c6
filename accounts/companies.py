"""Applicants declare their own company (a start-up): the structure and their membership.

Companies are not in the official referential (which lists public bodies only), so whoever
represents one creates it, with its SIREN; organisers check it when they decide the eligibility
of its dossiers. Views call `declare_company`; models stay plain.
"""

import logging
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from territories.domain import create_organisation
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.validators import normalise_siren

from . import rules
from .domain import email_domain
from .enums import MembershipRole, MembershipState
from .models import Membership, User
from .validators import validate_verifiable_domain

activity = logging.getLogger("activity")


class CompanyExists(Exception):
    """A structure with this SIREN is already known (referential or declared): nothing created.
    The page offers to ask to join it instead (domain.request_membership)."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(f"SIREN {organisation.siren} is {organisation.slug}")
        self.organisation = organisation


def holder_of(siren: str) -> Organisation | None:
    """The structure that already has this SIREN (spaces ignored), if any."""
    return Organisation.objects.filter(siren=normalise_siren(siren)).first()


def website_matches_email(user: User, website: str) -> bool:
    """Whether the user's confirmed address is at the company's own domain: the website's host
    is the address's domain or one of its sub-domains (www.cartodonnees.fr for
    @cartodonnees.fr), and that domain is no public mail service (anyone has an address there).
    """
    if not (website and user.email_confirmed):
        return False
    domain = email_domain(user.email)
    try:
        validate_verifiable_domain(domain)
    except ValidationError:
        return False
    host = (urlsplit(website).hostname or "").lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


def declare_company(
    user: User,
    *,
    name: str,
    siren: str,
    commune: Organisation | None = None,
    website: str = "",
) -> Membership:
    """Create the user's company and make them its first member; return the membership.

    1. Guard: a structure with the same SIREN exists → CompanyExists (nothing created). A
       declaration racing another one with the same SIREN ends the same way (unique SIREN).
    2. Create the organisation through territories.domain.create_organisation: kind « start-up
       ou entreprise », `from_referential=False`, a free slug, département and région derived
       from the commune if one was given (logged there).
    3. Create the creator's membership as référent (manager): confirmed at once only when the
       creator's confirmed address is at the company's website domain (website_matches_email);
       otherwise pending, for an organiser to confirm on the memberships page. Anyone could
       type an unclaimed SIREN: a declaration alone must not make its author the company's
       manager. Until a membership of it is confirmed the company is not `listed`: the public
       referential does not show it (accounts.domain.set_membership_state lists it).
    4. Forget the user's cached memberships; activity log ("company declared"), next to the
       other membership entries.
    """
    if (existing := holder_of(siren)) is not None:
        raise CompanyExists(existing)
    confirm_now = website_matches_email(user, website)
    try:
        with transaction.atomic():
            organisation = create_organisation(
                kind=OrganisationKind.STARTUP,
                name=name,
                siren=siren,
                commune=commune,
                website=website,
                by=user,
                listed=confirm_now,
            )
            membership = Membership.objects.create(
                user=user,
                organisation=organisation,
                role=MembershipRole.MANAGER,
                state=MembershipState.CONFIRMED if confirm_now else MembershipState.PENDING,
                decided_at=timezone.now() if confirm_now else None,
            )
    except IntegrityError:
        existing = holder_of(siren)
        if existing is None:
            raise
        raise CompanyExists(existing) from None
    rules.forget_memberships(user)
    activity.info(
        "company declared",
        extra={
            "user": user.pk,
            "organisation": organisation.pk,
            "membership": membership.pk,
            "role": membership.role,
            "state": membership.state,
        },
    )
    return membership
