"""Who signs the emails the accounts app sends a person (accounts.emails.register_sender).

The contest the person deals with: that of their structures' latest dossier; otherwise the
site's default contest (settings.PUBLIC_PALMARES_CONTEST), whose call they most likely answer.
"""

from django.conf import settings
from django.db.models import Q

from accounts.emails import Sender
from accounts.enums import MembershipState
from accounts.models import User
from contests.models import Contest

from .models import Application


def contest_for(user: User | None) -> Contest | None:
    if user is not None and user.pk:
        organisations = user.memberships.exclude(state=MembershipState.REJECTED).values(
            "organisation_id"
        )
        latest = (
            Application.objects.filter(
                Q(lead_organisation__in=organisations)
                | Q(application_partners__organisation__in=organisations)
            )
            .select_related("edition__contest")
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is not None:
            return latest.edition.contest
    return (
        Contest.objects.filter(slug=settings.PUBLIC_PALMARES_CONTEST).first()
        or Contest.objects.order_by("pk").first()
    )


def sender_for(user: User | None) -> Sender | None:
    contest = contest_for(user)
    if contest is None:
        return None
    return Sender(contest.name, contest.with_article("de"), contest.signature)
