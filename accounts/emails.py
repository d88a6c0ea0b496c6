"""The emails the accounts app sends, in the language active when they are sent.

Bodies are plain-text templates under accounts/templates/accounts/emails/; links are absolute,
built from the `base_url` the caller gives (the address the person used to reach the site).
They leave through the outbox (notifications), never from the request itself.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from notifications.outbox import email_kind, from_address, queue_email

from . import confirmation
from .enums import MembershipState
from .models import Membership, User

EMAIL_CONFIRMATION = email_kind("accounts.email_confirmation", _("Confirmation d'adresse"))
ACCOUNT_EXISTS = email_kind("accounts.account_exists", _("Inscription sur un compte existant"))
PASSWORD_RESET = email_kind("accounts.password_reset", _("Mot de passe oublié"))
MEMBERSHIP_DECISION = email_kind("accounts.membership_decision", _("Décision de rattachement"))
MEMBERSHIP_DIGEST = email_kind("accounts.membership_digest", _("Rattachements à confirmer"))
SECOND_FACTOR_ENROLMENT = email_kind(
    "accounts.second_factor_enrolment", _("Lien d'activation de la double authentification")
)


class Sender(NamedTuple):
    """Who an email comes from, as its reader knows it: a contest and its organiser."""

    name: str  # « Label Territoire Innovant »
    of_name: str  # « du Label Territoire Innovant », for « sur le site du … »
    signature: str  # « L'équipe du Label Territoire Innovant\nLes Interconnectés »


# accounts knows no contest: the app that does (applications) registers who signs the emails
# sent to a person (the contest of their latest dossier, else the site's default contest).
_sender_for: Callable[[User | None], Sender | None] | None = None


def register_sender(function: Callable[[User | None], Sender | None]) -> None:
    global _sender_for
    _sender_for = function


def sender_for(user: User | None) -> Sender:
    found = _sender_for(user) if _sender_for is not None else None
    # Only a site with no contest at all reaches this: the platform names itself.
    if found:
        return found
    # As Contest.with_article does: « de » only in French, the plain name in English.
    french = (get_language() or settings.LANGUAGE_CODE).startswith("fr")
    return Sender("Palmarès", "de Palmarès" if french else "Palmarès", gettext("L'équipe Palmarès"))


def _send(
    user: User,
    subject: str,
    template_name: str,
    context: dict[str, object],
    *,
    kind: str,
    label: str = "",
) -> None:
    sender = sender_for(user)
    body = render_to_string(template_name, {"user": user, "sender": sender, **context})
    message = EmailMessage(subject, body, from_address(sender.name), [user.email])
    queue_email(message, kind=kind, context=label)


def send_password_reset(subject: str, body: str, to_email: str) -> None:
    """The password-reset email Django's form rendered, through the outbox."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to_email])
    queue_email(message, kind=PASSWORD_RESET)


def email_confirmation_url(user: User, *, base_url: str, next_url: str = "") -> str:
    """The link that confirms the address; it carries where the person was going (`next`,
    already checked to stay on the site), so that any browser opening it continues there."""
    token = confirmation.make_token(user.pk, user.email)
    url = base_url + reverse("accounts:confirm_email", kwargs={"token": token})
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def password_reset_url(user: User, *, base_url: str) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url + path


def send_email_confirmation(user: User, *, base_url: str, next_url: str = "") -> None:
    _send(
        user,
        gettext("%(contest)s : confirmez votre adresse électronique")
        % {"contest": sender_for(user).name},
        "accounts/emails/confirm_email.txt",
        {
            "confirmation_url": email_confirmation_url(user, base_url=base_url, next_url=next_url),
            "days": confirmation.MAX_AGE.days,
        },
        kind=EMAIL_CONFIRMATION,
    )


def send_second_factor_enrolment(user: User, *, token: str, base_url: str, minutes: int) -> None:
    """The link that lets `user` enrol a first authenticator (accounts.enrolment_proof)."""
    _send(
        user,
        gettext("%(contest)s : activez la double authentification")
        % {"contest": sender_for(user).name},
        "accounts/emails/second_factor_enrolment.txt",
        {
            "enrolment_url": base_url
            + reverse("accounts:two_factor_enrol_link", kwargs={"token": token}),
            "minutes": minutes,
            "password_reset_url": base_url + reverse("accounts:password_reset"),
        },
        kind=SECOND_FACTOR_ENROLMENT,
    )


def send_account_exists(user: User, *, base_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    _send(
        user,
        gettext("%(contest)s : vous avez déjà un compte") % {"contest": sender_for(user).name},
        "accounts/emails/account_exists.txt",
        {
            "login_url": base_url + reverse("accounts:login"),
            "password_reset_url": password_reset_url(user, base_url=base_url),
        },
        kind=ACCOUNT_EXISTS,
    )


def send_membership_decision(membership: Membership, *, previous_state: MembershipState) -> None:
    """Tell a member that their membership was confirmed, refused, or withdrawn."""
    name = membership.organisation.name
    if membership.state == MembershipState.CONFIRMED:
        subject = gettext("Votre rattachement à %(organisation)s est confirmé")
    elif previous_state == MembershipState.CONFIRMED:
        subject = gettext("Votre rattachement à %(organisation)s a été retiré")
    else:
        subject = gettext("Votre demande de rattachement à %(organisation)s est refusée")
    _send(
        membership.user,
        subject % {"organisation": name},
        "accounts/emails/membership_decision.txt",
        {
            "membership": membership,
            "organisation": name,
            "confirmed": membership.state == MembershipState.CONFIRMED,
            "withdrawn": previous_state == MembershipState.CONFIRMED,
            # Emails leave the request cycle: links use the site's public address.
            "account_url": settings.SITE_URL + reverse("accounts:account"),
            # The agent was blocked on a new dossier: where to create it now.
            "applications_url": settings.SITE_URL + reverse("applications:my_applications"),
        },
        kind=MEMBERSHIP_DECISION,
        label=name,
    )
