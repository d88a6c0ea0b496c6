"""The emails that tell applicants what happened to their dossier and what comes next.

Each names the contest with its article and signs with its organiser (`Contest.signature`),
carries the dossier's link, and leaves through the outbox after commit, one message per
person (members of different structures need not see each other's addresses).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import User
from notifications.outbox import email_kind, from_address, queue_email
from palmares.dates import long_datetime
from territories.models import Organisation

from ..models import Application

REOPENED_EMAIL = email_kind("applications.reopened", _("Dossier rouvert"))
PARTNER_ADDED_EMAIL = email_kind("applications.partner_added", _("Ajout comme co-porteur"))


def dossier_url(application: Application) -> str:
    # Emails leave the request cycle: links use the site's public address.
    return settings.SITE_URL + reverse(
        "applications:detail", kwargs={"reference": application.reference}
    )


def send_each(
    addresses: list[str], subject: str, body: str, *, kind: str, context: str, sender: str = ""
) -> None:
    """One message per address, from the site's address under `sender` (the contest)."""
    for address in addresses:
        message = EmailMessage(subject, body, from_address(sender), [address])
        queue_email(message, kind=kind, context=context)


def tell_reopened(application: Application, recipients: list[str], *, reason: str) -> None:
    """The reopening email: why, until when, and the link to change and submit again."""
    contest = application.edition.contest
    words = {
        "reference": application.reference,
        "title": application.title or gettext("(sans titre)"),
        "contest": contest.with_article("de"),
        "year": application.edition.year,
        "reason": reason,
        "until": long_datetime(application.reopened_until),
        "url": dossier_url(application),
        "signature": contest.signature,
    }
    subject = gettext("%(contest_name)s %(year)s : votre dossier %(reference)s est rouvert") % (
        words | {"contest_name": contest.name}
    )
    body = (
        gettext(
            "Bonjour,\n\nL'équipe organisatrice %(contest)s %(year)s a rouvert le dossier "
            "%(reference)s « %(title)s » pour que vous puissiez le modifier.\n\n"
            "Raison : %(reason)s\n\n"
            "Et maintenant ? Modifiez le dossier puis déposez-le de nouveau avant le "
            "%(until)s (heure de Paris) :\n%(url)s\n\n%(signature)s"
        )
        % words
    )
    send_each(
        recipients,
        subject,
        body,
        kind=REOPENED_EMAIL,
        context=str(application.edition),
        sender=contest.name,
    )


def confirmed_member_emails(organisations: list[Organisation], *, but: User | None) -> list[str]:
    """Addresses of the active, confirmed members of `organisations`, except `but`."""
    members = User.objects.filter(
        is_active=True,
        memberships__state=MembershipState.CONFIRMED,
        memberships__organisation__in=organisations,
    )
    if but is not None and getattr(but, "pk", None):
        members = members.exclude(pk=but.pk)
    return sorted(set(members.values_list("email", flat=True)))


def tell_partners_added(
    application: Application, organisations: list[Organisation], *, by: User | None
) -> None:
    """Tell the members of each structure just made co-porteur of the dossier, and what they
    may do (read and change it until it is submitted)."""
    edition = application.edition
    contest = edition.contest
    lead = application.lead_organisation
    for organisation in organisations:
        words = {
            "organisation": organisation.official_name,
            "lead": lead.official_name,
            "reference": application.reference,
            "title": application.title or gettext("(sans titre)"),
            "contest": contest.with_article("à"),
            "contest_name": contest.name,
            "year": edition.year,
            "url": dossier_url(application),
            "signature": contest.signature,
        }
        subject = (
            gettext(
                "%(contest_name)s %(year)s : « %(organisation)s » co-porte le dossier %(reference)s"
            )
            % words
        )
        body = (
            gettext(
                "Bonjour,\n\nLa structure « %(organisation)s » est désormais co-porteuse du "
                "dossier %(reference)s « %(title)s » porté par « %(lead)s », candidat "
                "%(contest)s %(year)s.\n\n"
                "Et maintenant ? Comme membre de « %(organisation)s », vous pouvez lire ce "
                "dossier et le compléter tant qu'il n'est pas déposé :\n%(url)s\n\n"
                "Si cet ajout est une erreur, dites-le à « %(lead)s ».\n\n%(signature)s"
            )
            % words
        )
        send_each(
            confirmed_member_emails([organisation], but=by),
            subject,
            body,
            kind=PARTNER_ADDED_EMAIL,
            context=str(edition),
            sender=contest.name,
        )
