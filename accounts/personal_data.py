"""A person's rights over their data (RGPD): what is held about them, their account's deletion,
and how long each kind of data is kept.

accounts knows only its own tables; the higher apps say what they hold about a person through
three hooks, filled in their AppConfig.ready (docs/architecture.md):

- `register_section(PersonalDataSection)`: the rows (JSON) and files of « Mes données », the
  reasons to refuse a deletion for now, and what to pseudonymise before the account goes;
- `register_retention(RetentionRule)`: one kind of data and the function that purges it
  (`manage.py purge_expired` runs them all, daily).
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import OutgoingEmail

from .models import ErasedAccount, Membership, SignInRecord, User

Rows = list[dict[str, object]]


@dataclass(frozen=True)
class PersonalDataSection:
    """What one app holds about a person.

    `name` is the JSON file's name in the archive (`<name>.json`). `files` yields (name in the
    archive, open-able stored file). `refusal` says in French why the account may not be
    deleted yet, or returns "". `erase` pseudonymises the app's rows before the account row is
    deleted; it receives the pseudonym and the pseudonymous address to put in their place.
    """

    name: str
    label: object  # a lazy French string, shown on « Mes données »
    rows: Callable[[User], Rows]
    files: Callable[[User], Iterable[tuple[str, File]]] | None = None
    refusal: Callable[[User], str] | None = None
    erase: Callable[[User, "Pseudonym"], None] | None = None


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data kept `days` days; `purge(cutoff)` removes what is older than
    `cutoff` and returns how many items it removed."""

    kind: str  # the command's report names it
    setting: str  # the RETENTION_…_DAYS setting that says how many days
    purge: Callable[[datetime], int]

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))


@dataclass(frozen=True)
class Pseudonym:
    name: str  # « Compte supprimé 3f9a1c2b »
    email: str  # an address that can receive nothing (RFC 2606 .invalid)


_sections: dict[str, PersonalDataSection] = {}
_retention: dict[str, RetentionRule] = {}


def register_section(section: PersonalDataSection) -> None:
    _sections[section.name] = section


def register_retention(rule: RetentionRule) -> None:
    _retention[rule.kind] = rule


def sections() -> list[PersonalDataSection]:
    return list(_sections.values())


def retention_rules() -> list[RetentionRule]:
    return list(_retention.values())


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def pseudonym_for(email: str) -> str | None:
    """The pseudonym of a deleted account, found by the address its traces were written with."""
    if not email:
        return None
    erased = ErasedAccount.objects.filter(email_digest=email_digest(email)).first()
    return erased.pseudonym if erased else None


# The account's own tables, as the first sections of the archive.


def _account_rows(user: User) -> Rows:
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login": _iso(user.last_login),
            "is_organiser": user.is_organiser,
            "second_factor": hasattr(user, "totp_device"),
            "oidc_identities": [
                {"provider": i.provider, "subject": i.subject, "claims": i.claims}
                for i in user.oidc_identities.order_by("pk")
            ],
        }
    ]


def _membership_rows(user: User) -> Rows:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return [
        {
            "organisation": m.organisation.name,
            "siren": m.organisation.siren,
            "role": m.role,
            "state": m.state,
        }
        for m in memberships.order_by("pk")
    ]


def _sign_in_rows(user: User) -> Rows:
    return [
        {"at": record.at.isoformat(), "address": record.address}
        for record in SignInRecord.objects.filter(user=user).order_by("at", "pk")
    ]


def _emails_to(user: User) -> list[OutgoingEmail]:
    # A coarse filter in SQL (the JSON text holds the address), then the exact one: JSON
    # containment is not available on SQLite.
    address = user.email.lower()
    candidates = OutgoingEmail.objects.filter(
        Q(to__icontains=address) | Q(cc__icontains=address) | Q(bcc__icontains=address)
    )
    return [
        email
        for email in candidates.order_by("pk")
        if address in {recipient.lower() for recipient in email.recipients}
    ]


def _email_rows(user: User) -> Rows:
    return [
        {
            "kind": email.kind,
            "subject": email.subject,
            "status": email.status,
            "created_at": email.created_at.isoformat(),
            "sent_at": _iso(email.sent_at),
        }
        for email in _emails_to(user)
    ]


def _erase_recipient(user: User, pseudonym: "Pseudonym") -> None:
    """The outbox keeps its record of what was sent, to the pseudonymous address."""
    address = user.email.lower()
    for email in _emails_to(user):
        for field in ("to", "cc", "bcc"):
            recipients = getattr(email, field)
            setattr(
                email,
                field,
                [pseudonym.email if r.lower() == address else r for r in recipients],
            )
        email.save(update_fields=["to", "cc", "bcc"])


def _sole_organiser(user: User) -> str:
    if not user.is_organiser:
        return ""
    others = User.objects.filter(is_organiser=True, is_active=True).exclude(pk=user.pk)
    if others.exists():
        return ""
    return _(
        "Vous êtes la seule personne organisatrice de la plateforme : les éditions resteraient "
        "sans organisateur. Faites d'abord nommer une autre personne organisatrice, puis "
        "supprimez votre compte."
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


register_section(
    PersonalDataSection(
        "compte", gettext_lazy("Votre compte"), _account_rows, refusal=_sole_organiser
    )
)
register_section(
    PersonalDataSection(
        "rattachements", gettext_lazy("Vos rattachements à des structures"), _membership_rows
    )
)
register_section(PersonalDataSection("connexions", gettext_lazy("Vos connexions"), _sign_in_rows))
register_section(
    PersonalDataSection(
        "courriels",
        gettext_lazy("Les courriels que la plateforme vous a envoyés"),
        _email_rows,
        erase=_erase_recipient,
    )
)


# Deletion.


def deletion_refusals(user: User) -> list[str]:
    """Why the account may not be deleted now, one French sentence each; empty: it may."""
    reasons = [section.refusal(user) for section in sections() if section.refusal]
    return [reason for reason in reasons if reason]


class DeletionRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _pseudonym(user: User) -> Pseudonym:
    """A new pseudonym, or the one the same address had when an earlier account of it was
    deleted: the log names one address, it must show one pseudonym."""
    digest = email_digest(user.email)
    erased = ErasedAccount.objects.filter(email_digest=digest).first()
    if erased is None:
        # Stored data, not interface: always in the site's language, whoever asks.
        with translation.override(settings.LANGUAGE_CODE):
            name = _("Compte supprimé %(code)s") % {"code": secrets.token_hex(4)}
        erased = ErasedAccount.objects.create(email_digest=digest, pseudonym=name)
    return Pseudonym(name=erased.pseudonym, email=pseudonymous_address(erased.pseudonym))


def pseudonymous_address(pseudonym: str) -> str:
    """The address a pseudonym's traces carry: one that can receive nothing (RFC 2606)."""
    code = pseudonym.rsplit(" ", 1)[-1]
    return f"compte-supprime-{code}@supprime.invalid"


def erase_account(user: User) -> Pseudonym:
    """Delete `user`'s account at their request.

    Steps: refuse if a section says so (`DeletionRefused`); choose a pseudonym and record it
    with a digest of the address (`ErasedAccount`, read by `pseudonym_for`); let each section
    pseudonymise its rows (jurors' rows take the pseudonym, dossiers lose their author and
    stay with their structure); delete the account, its memberships, sign-ins and second
    factor. The activity log's entries take the pseudonym in place of the address, in a way
    its hash chain still verifies (contests.redaction).
    """
    reasons = deletion_refusals(user)
    if reasons:
        raise DeletionRefused(reasons)
    with transaction.atomic():
        pseudonym = _pseudonym(user)
        for section in sections():
            if section.erase:
                section.erase(user, pseudonym)
        user.delete()
    return pseudonym


# Retention.


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Run every retention rule; how many items each removed, by kind."""
    now = now or timezone.now()
    return {rule.kind: rule.purge(now - timedelta(days=rule.days)) for rule in retention_rules()}


def _purge_sign_ins(cutoff: datetime) -> int:
    deleted, _per_model = SignInRecord.objects.filter(at__lt=cutoff).delete()
    return deleted


def _purge_unconfirmed_accounts(cutoff: datetime) -> int:
    """Accounts whose address was never confirmed, created before `cutoff`, that nobody
    invited or named anywhere (erase_account refuses those it must keep)."""
    count = 0
    unconfirmed = User.objects.filter(
        email_confirmed_at__isnull=True, date_joined__lt=cutoff, is_staff=False
    ).filter(is_organiser=False)
    for user in unconfirmed.iterator():
        try:
            erase_account(user)
        except DeletionRefused:
            continue
        count += 1
    return count


register_retention(RetentionRule("connexions", "RETENTION_SIGN_IN_DAYS", _purge_sign_ins))
register_retention(
    RetentionRule(
        "comptes_non_confirmes", "RETENTION_UNCONFIRMED_ACCOUNT_DAYS", _purge_unconfirmed_accounts
    )
)


def record_sign_in(sender, request, user: User, **kwargs) -> None:
    """Receiver of Django's `user_logged_in`: keep a record the person can see and the
    purge removes after RETENTION_SIGN_IN_DAYS."""
    from .throttling import client_address

    address = client_address(request) if request is not None else None
    SignInRecord.objects.create(user=user, address=address or None)
