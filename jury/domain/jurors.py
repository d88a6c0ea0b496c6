"""Jurors: invited by organisers, they accept (the account is attached or created then) or decline.

An invitation is a single-use token sent by email, valid `INVITATION_DAYS` days; re-sending it
makes a new token (the old link stops working). Every step is logged (contests.activity.record)
and conflicts are detected when a juror is invited, accepts, or changes institution.
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

from ..enums import ConflictSource, ConflictStatus, EvaluationState, JurorState
from ..models import Evaluation, Juror, invitation_token
from .conflicts import detect_conflicts

INVITATION_DAYS = 30
INVITATION_EMAIL = email_kind("jury.invitation", _("Invitation au jury"))


class JurorRefused(Exception):
    """An action on a juror that cannot be done; the message is for the user."""


class InvitationStatus(enum.Enum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


def invitation_status(juror: Juror, now=None) -> InvitationStatus:
    if juror.state != JurorState.INVITED:
        return InvitationStatus.ANSWERED
    now = now or timezone.now()
    if juror.invited_at + timedelta(days=INVITATION_DAYS) < now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.OPEN


def invitation_url(juror: Juror, *, base_url: str) -> str:
    return base_url + reverse("jury:invitation", kwargs={"token": juror.token})


def _send_invitation(juror: Juror, *, base_url: str) -> None:
    """The invitation email, through the outbox (a rolled-back invitation sends nothing)."""
    edition = juror.round.edition
    words = {
        "name": juror.full_name,
        "round": juror.round.name,
        "contest": edition.contest.name,
        "year": edition.year,
        "url": invitation_url(juror, base_url=base_url),
        "days": INVITATION_DAYS,
    }
    subject = gettext("Invitation au jury : %(contest)s %(year)s") % words
    body = (
        gettext(
            "Bonjour %(name)s,\n\nL'équipe organisatrice vous invite à siéger au jury "
            "« %(round)s » de l'édition %(year)s du %(contest)s.\n\nPour accepter ou décliner "
            "l'invitation, suivez ce lien (valable %(days)s jours, utilisable une seule fois) :"
            "\n%(url)s\n\n"
            "L'équipe Palmarès"
        )
        % words
    )
    queue_email(
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [juror.email]),
        kind=INVITATION_EMAIL,
        context=str(edition),
    )


def invite_juror(juror: Juror, themes, *, by: User, base_url: str) -> Juror:
    """Invite someone to a round's jury (the juror is built by the form, not saved yet).

    Steps: save with state invited and a fresh token, set the themes, detect conflicts for this
    juror, email the invitation after commit, log.
    """
    with transaction.atomic():
        juror.state = JurorState.INVITED
        juror.save()
        juror.themes.set(themes)
        detect_conflicts(juror.round, jurors=[juror], by=by)
        record(
            juror.round.edition,
            "juror_invited",
            by=by,
            subject=str(juror.reference),
            round=juror.round.slug,
            email=juror.email,
            institution=juror.institution_label,
        )
        _send_invitation(juror, base_url=base_url)
    return juror


def update_juror(juror: Juror, themes, *, changed: list[str], by: User) -> Juror:
    """Save an organiser's changes to a juror.

    Steps: save, set the themes; if the institution changed, forget the detected conflicts
    nobody decided yet (they were about the old institution) and detect again; log the fields
    changed.
    """
    with transaction.atomic():
        juror.save()
        juror.themes.set(themes)
        if {"institution", "institution_name"} & set(changed):
            juror.conflicts.filter(
                source=ConflictSource.DETECTED, status=ConflictStatus.IN_FORCE, decided_at=None
            ).delete()
            detect_conflicts(juror.round, jurors=[juror], by=by)
        record(
            juror.round.edition,
            "juror_updated",
            by=by,
            subject=str(juror.reference),
            changed=sorted(changed),
        )
    return juror


def remove_juror(juror: Juror, *, by: User) -> None:
    """Remove a juror who has sent no evaluation (their conflicts and assignments go too)."""
    sent = Evaluation.objects.filter(
        assignment__juror=juror, state=EvaluationState.SUBMITTED
    ).count()
    if sent:
        raise JurorRefused(
            gettext("Ce juré a déjà envoyé %(count)s évaluation(s) : il ne peut plus être retiré.")
            % {"count": sent}
        )
    with transaction.atomic():
        record(
            juror.round.edition,
            "juror_removed",
            by=by,
            subject=str(juror.reference),
            email=juror.email,
        )
        juror.delete()


def resend_invitation(juror: Juror, *, by: User, base_url: str) -> Juror:
    """Send the invitation again with a new token (the previous link stops working).

    A juror who declined is invited again; one who accepted needs no invitation.
    """
    if juror.state == JurorState.ACCEPTED:
        raise JurorRefused(gettext("Ce juré a déjà accepté l'invitation."))
    with transaction.atomic():
        juror.state = JurorState.INVITED
        juror.token = invitation_token()
        juror.invited_at = timezone.now()
        juror.answered_at = None
        juror.save(update_fields=["state", "token", "invited_at", "answered_at"])
        record(
            juror.round.edition,
            "juror_invitation_resent",
            by=by,
            subject=str(juror.reference),
            email=juror.email,
        )
        _send_invitation(juror, base_url=base_url)
    return juror


def _answer(juror: Juror, state: JurorState, user: User | None) -> Juror:
    juror.state = state
    juror.answered_at = timezone.now()
    # A new token that nobody knows: the emailed link is single-use.
    juror.token = invitation_token()
    fields = ["state", "answered_at", "token"]
    if user is not None:
        juror.user = user
        fields.append("user")
    juror.save(update_fields=fields)
    return juror


def _check_open(juror: Juror) -> None:
    if invitation_status(juror) != InvitationStatus.OPEN:
        raise JurorRefused(gettext("Cette invitation n'est plus valable."))


def accept_invitation(juror: Juror, user: User) -> Juror:
    """The invited person accepts with their account (signed in with the invited address).

    Steps: guard (open invitation, same address), attach the account and mark accepted, confirm
    the address (the invitation link proves it), detect conflicts, log.
    """
    from accounts.domain import mark_email_confirmed

    _check_open(juror)
    if user.email.lower() != juror.email.lower():
        raise JurorRefused(
            gettext(
                "Cette invitation a été envoyée à %(invited)s ; vous êtes connecté avec "
                "%(current)s. Déconnectez-vous, puis suivez de nouveau le lien."
            )
            % {"invited": juror.email, "current": user.email}
        )
    with transaction.atomic():
        _answer(juror, JurorState.ACCEPTED, user)
        mark_email_confirmed(user)
        detect_conflicts(juror.round, jurors=[juror], by=user)
        record(juror.round.edition, "juror_accepted", by=user, subject=str(juror.reference))
    return juror


def accept_with_new_account(juror: Juror, *, full_name: str, password: str) -> User:
    """Create the invited person's account (address confirmed: the link proves it), then
    accept. The caller has checked no account uses the address and validated the password."""
    _check_open(juror)
    with transaction.atomic():
        user = User.objects.create_user(
            juror.email, password, full_name=full_name, email_confirmed_at=timezone.now()
        )
        record(juror.round.edition, "juror_account_created", by=user, subject=str(juror.reference))
        accept_invitation(juror, user)
    return user


def decline_invitation(juror: Juror, *, by: User | None = None) -> Juror:
    """The invited person declines (signed in or not: the link is enough); logged."""
    _check_open(juror)
    with transaction.atomic():
        _answer(juror, JurorState.DECLINED, None)
        record(
            juror.round.edition,
            "juror_declined",
            by=by,
            subject=str(juror.reference),
            email=juror.email,
        )
    return juror
