"""What the activity log holds about a person, for « Mes données » (accounts.personal_data).

The log is hash-chained (contests.activity): deleting an account replaces its address in the
entries by the pseudonym (contests.redaction), in a way the chain still verifies. `actor_label`
maps an address to its pseudonym all the same, should an entry name a deleted account's address
(one it held before an address change, say).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.personal_data import PersonalDataSection, Pseudonym, Rows, pseudonym_for

from .models import ActivityEntry
from .redaction import redact_address


def entries_about(user: User):
    """Entries the person wrote, or that name their address (an invitation, a seat…)."""
    return ActivityEntry.objects.filter(
        Q(by=user) | Q(by_email__iexact=user.email) | Q(details__email=user.email)
    ).select_related("edition__contest")


def activity_rows(user: User) -> Rows:
    return [
        {
            "at": entry.at.isoformat(),
            "edition": str(entry.edition),
            "action": entry.action,
            "subject": entry.subject,
            "by": entry.by_email,
            "details": _own_details(entry.details, user.email),
            "entry_hash": entry.entry_hash,
        }
        for entry in entries_about(user).order_by("pk")
    ]


def _own_details(details: dict, email: str) -> dict:
    """The entry's details without someone else's address (an organiser's entry inviting a
    juror names the juror's address: it is the juror's data, not the organiser's)."""
    named = details.get("email")
    if isinstance(named, str) and named.lower() != email.lower():
        return {key: value for key, value in details.items() if key != "email"}
    return details


def actor_label(entry: ActivityEntry) -> str:
    """Who wrote the entry, as it may be shown: the pseudonym of a deleted account."""
    return pseudonym_for(entry.by_email) or entry.by_email


def erase_from_log(user: User, pseudonym: Pseudonym) -> None:
    """The entries keep their meaning under the pseudonym; the address leaves the log."""
    redact_address(
        user.email,
        author_label=pseudonym.name,
        replacement=pseudonym.email,
        pseudonym=pseudonym.name,
        user_pk=user.pk,
    )


SECTION = PersonalDataSection(
    "journal",
    gettext_lazy("Le journal d'activité qui vous concerne"),
    activity_rows,
    erase=erase_from_log,
)
