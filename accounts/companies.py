"""Applicants declare their own company (a start-up): the structure and their membership.

Companies are not in the official referential (which lists public bodies only), so whoever
represents one creates it, with its SIREN; organisers check it when they decide the eligibility
of its dossiers. Views call `declare_company`; models stay plain.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from territories.domain import create_organisation
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.validators import normalise_siren

from . import rules
from .enums import MembershipRole, MembershipState
from .models import Membership, User

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
    3. Create the creator's membership, confirmed, as référent (manager). Why not pending like
       a request to join a known structure: nobody but its creator knows this company yet, so
       nobody could confirm it, and the creator would be stuck. The safeguard is downstream:
       organisers check the company (SIREN, activity) at the eligibility of its dossiers, and
       the référent then decides who else may act for it.
    4. Forget the user's cached memberships; activity log ("company declared"), next to the
       other membership entries.
    """
    if (existing := holder_of(siren)) is not None:
        raise CompanyExists(existing)
    try:
        with transaction.atomic():
            organisation = create_organisation(
                kind=OrganisationKind.STARTUP,
                name=name,
                siren=siren,
                commune=commune,
                website=website,
                by=user,
            )
            membership = Membership.objects.create(
                user=user,
                organisation=organisation,
                role=MembershipRole.MANAGER,
                state=MembershipState.CONFIRMED,
                decided_at=timezone.now(),
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
