"""Invitations to an edition's jury: one per person, answered once for all its rounds.

An invitation is a single-use token sent by email, valid `INVITATION_DAYS` days; re-sending it
makes a new token (the old link stops working). Accepting attaches the account (or creates it)
and seats the person in every round organisers put them in, now and later; declining does the
same the other way. Every step is logged (contests.activity.record).
"""

import enum
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from contests.activity import record
from notifications.outbox import email_kind, queue_email

from ..enums import JurorState
from ..models import Juror, JuryMember, Round, invitation_token
from .jurors import JurorRefused, detect_everywhere, mirror, reopen_invitation

INVITATION_DAYS = 30
INVITATION_EMAIL = email_kind("jury.invitation", _("Invitation au jury"))


class InvitationStatus(enum.Enum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


def invitation_status(member: JuryMember, now=None) -> InvitationStatus:
    if member.state != JurorState.INVITED:
        return InvitationStatus.ANSWERED
    now = now or timezone.now()
    if member.invited_at + timedelta(days=INVITATION_DAYS) < now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.OPEN


def invitation_url(member: JuryMember, *, base_url: str) -> str:
    return base_url + reverse("jury:invitation", kwargs={"token": member.token})


def send_invitation(member: JuryMember, round_: Round, *, base_url: str) -> None:
    """The invitation email, through the outbox (a rolled-back invitation sends nothing)."""
    edition = member.edition
    words = {
        "name": member.full_name,
        "round": round_.name,
        "contest": edition.contest.name,
        # « du Label … », « des Trophées … »: the contest's own article.
        "of_contest": edition.contest.with_article("de"),
        "year": edition.year,
        "url": invitation_url(member, base_url=base_url),
        "days": INVITATION_DAYS,
        "signature": edition.contest.signature,
    }
    subject = gettext("Invitation au jury : %(contest)s %(year)s") % words
    body = (
        gettext(
            "Bonjour %(name)s,\n\nL'équipe organisatrice vous invite à siéger au jury de "
            "l'édition %(year)s %(of_contest)s, d'abord pour « %(round)s ». Si vous acceptez, "
            "vous pourrez ensuite être ajouté(e) aux autres tours de l'édition sans nouvelle "
            "invitation ; un courriel vous dira quels dossiers vous sont confiés.\n\nPour "
            "accepter ou décliner l'invitation, suivez ce lien (valable %(days)s jours, "
            "utilisable une seule fois) :\n%(url)s\n\n"
            "%(signature)s"
        )
        % words
    )
    queue_email(
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]),
        kind=INVITATION_EMAIL,
        context=str(edition),
    )


def resend_invitation(juror: Juror, *, by: User, base_url: str) -> JuryMember:
    """Send the person's invitation again with a new link (the previous one stops working).

    Someone who declined is invited again (in every round they sit in); someone who accepted
    needs no invitation.
    """
    member = juror.member
    if member.state == JurorState.ACCEPTED:
        raise JurorRefused(gettext("Ce juré a déjà accepté l'invitation."))
    with transaction.atomic():
        reopen_invitation(member)
        member.save(update_fields=["state", "token", "invited_at", "answered_at"])
        mirror(member)
        record(
            member.edition,
            "juror_invitation_resent",
            by=by,
            subject=str(juror.reference),
            email=member.email,
        )
        send_invitation(member, juror.round, base_url=base_url)
    return member


def _answer(member: JuryMember, state: JurorState, user: User | None) -> None:
    member.state = state
    member.answered_at = timezone.now()
    # A new token that nobody knows: the emailed link is single-use.
    member.token = invitation_token()
    fields = ["state", "answered_at", "token"]
    if user is not None:
        member.user = user
        fields.append("user")
    member.save(update_fields=fields)
    mirror(member)


def _check_open(member: JuryMember) -> None:
    if invitation_status(member) != InvitationStatus.OPEN:
        raise JurorRefused(gettext("Cette invitation n'est plus valable."))


def accept_invitation(member: JuryMember, user: User) -> JuryMember:
    """The invited person accepts the edition's jury with their account (signed in with the
    invited address).

    Steps: guard (open invitation, same address), attach the account and mark accepted in every
    round they sit in, confirm the address (the invitation link proves it), detect conflicts in
    each of those rounds, log.
    """
    from accounts.domain import mark_email_confirmed

    _check_open(member)
    if user.email.lower() != member.email.lower():
        raise JurorRefused(
            gettext(
                "Cette invitation a été envoyée à %(invited)s ; vous êtes connecté avec "
                "%(current)s. Déconnectez-vous, puis suivez de nouveau le lien."
            )
            % {"invited": member.email, "current": user.email}
        )
    with transaction.atomic():
        _answer(member, JurorState.ACCEPTED, user)
        mark_email_confirmed(user)
        detect_everywhere(member, by=user)
        record(member.edition, "juror_accepted", by=user, subject=str(member.reference))
    return member


def accept_with_new_account(member: JuryMember, *, full_name: str, password: str) -> User:
    """Create the invited person's account (address confirmed: the link proves it), then
    accept. The caller has checked no account uses the address and validated the password."""
    _check_open(member)
    with transaction.atomic():
        user = User.objects.create_user(
            member.email, password, full_name=full_name, email_confirmed_at=timezone.now()
        )
        record(member.edition, "juror_account_created", by=user, subject=str(member.reference))
        accept_invitation(member, user)
    return user


def decline_invitation(member: JuryMember, *, by: User | None = None) -> JuryMember:
    """The invited person declines the edition's jury (signed in or not: the link is
    enough); logged."""
    _check_open(member)
    with transaction.atomic():
        _answer(member, JurorState.DECLINED, None)
        record(
            member.edition,
            "juror_declined",
            by=by,
            subject=str(member.reference),
            email=member.email,
        )
    return member
