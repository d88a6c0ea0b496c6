"""Who confirms a membership request, and the daily digest that tells them what waits.

A structure with confirmed managers (« référents ») decides its own requests; any other
structure's requests are decided by the organisers (accounts.domain.memberships_to_decide says
the same from the decider's side). The digest (command `send_membership_digest`, daily) sends
each decider one email listing the requests still pending, through the outbox.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notifications.outbox import queue_email
from territories.models import Organisation

from .emails import MEMBERSHIP_DIGEST, sender_for
from .enums import MembershipRole, MembershipState
from .models import Membership, User


def managers_of(organisation: Organisation) -> QuerySet[User]:
    """The active, confirmed managers of a structure."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=MembershipRole.MANAGER,
        memberships__state=MembershipState.CONFIRMED,
    ).order_by("full_name", "email")


def deciders_of(membership: Membership) -> list[User]:
    """Who decides a request: the structure's managers when it has some, else the organisers
    (the requester never decides their own request)."""
    managers = list(managers_of(membership.organisation).exclude(pk=membership.user_id))
    if managers:
        return managers
    return list(User.objects.filter(is_active=True, is_organiser=True).order_by("email"))


def decided_by_managers(membership: Membership) -> bool:
    return managers_of(membership.organisation).exclude(pk=membership.user_id).exists()


def pending_by_decider() -> dict[User, list[Membership]]:
    """Every pending request, under each person who may decide it."""
    pending = Membership.objects.filter(state=MembershipState.PENDING).select_related(
        "user", "organisation"
    )
    waiting: dict[User, list[Membership]] = defaultdict(list)
    for membership in pending.order_by("created_at", "pk"):
        for decider in deciders_of(membership):
            waiting[decider].append(membership)
    return dict(waiting)


def digest_message(decider: User, memberships: list[Membership]) -> EmailMessage:
    sender = sender_for(decider)
    subject = gettext("%(contest)s : %(count)s demande(s) de rattachement à confirmer") % {
        "contest": sender.name,
        "count": len(memberships),
    }
    body = render_to_string(
        "accounts/emails/membership_digest.txt",
        {
            "user": decider,
            "sender": sender,
            "memberships": memberships,
            # Emails leave the request cycle: links use the site's public address.
            "list_url": settings.SITE_URL + reverse("accounts:memberships"),
        },
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [decider.email])


def send_membership_digest() -> dict[str, int]:
    """Email each decider the requests waiting for them; nothing to those with none.

    Effects: one email per decider through the outbox, all queued in one transaction.
    Returns {"deciders", "requests"} (the requests counted once each).
    """
    waiting = pending_by_decider()
    requests = {membership.pk for memberships in waiting.values() for membership in memberships}
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for decider, memberships in waiting.items():
            queue_email(
                digest_message(decider, memberships),
                kind=MEMBERSHIP_DIGEST,
                context=sender_for(decider).name,
            )
    return {"deciders": len(waiting), "requests": len(requests)}


def confirmer_label(membership: Membership) -> str:
    """Who will confirm a pending request, as the requester reads it."""
    managers = list(managers_of(membership.organisation).exclude(pk=membership.user_id))
    if managers:
        names = ", ".join(manager.full_name or manager.email for manager in managers)
        return gettext("le ou les référents de la structure (%(names)s)") % {"names": names}
    sender = sender_for(membership.user)
    return gettext("l'équipe organisatrice %(contest)s") % {"contest": sender.of_name}
