"""The activity log: every decision of the selection and the deliberation, chained by hashes.

`record` is the one way to write to it. Each entry's hash covers its content and the previous
entry's hash, so `verify` finds the first row that was edited, inserted or deleted afterwards.
The chain is global (one log for the whole site), so appending takes a lock on the last row
(`select_for_update`; SQLite serialises writers anyway).

Entries are never rewritten, with one exception the RGPD requires: when an account is deleted,
`contests.redaction` replaces its address in the entries by its pseudonym and appends a
redaction entry (`REDACTION_ACTION`) that lists each rewritten entry with the digest of its new
content. Such an entry keeps its original hash (the chain, and the fingerprints printed on
deliberation minutes, stay as they were) and is checked against the redaction entry instead,
which is itself chained: a later edit of either is still found.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import ActivityEntry, Edition

logger = logging.getLogger("activity")


def entry_digest(entry: ActivityEntry) -> str:
    """SHA-256 over the entry's content and the previous hash, in a canonical JSON form."""
    payload = {
        "edition": entry.edition_id,
        "at": entry.at.isoformat(),
        "by": entry.by_email,
        "action": entry.action,
        "subject": entry.subject,
        "details": entry.details,
        "previous": entry.previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def append(model: type[ActivityEntry], **fields: object) -> ActivityEntry:
    """Chain and save one entry of `model` (the model, or its historical copy in a migration)."""
    with transaction.atomic():
        last = model.objects.select_for_update().order_by("-pk").first()
        entry = model(
            at=timezone.now().replace(microsecond=0),
            previous_hash=last.entry_hash if last else "",
            **fields,
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
    return entry


def record(
    edition: Edition, action: str, *, by=None, subject: str = "", **details: object
) -> ActivityEntry:
    """Append one entry to the log (inside the caller's transaction, if any)."""
    entry = append(
        ActivityEntry,
        edition=edition,
        by=by if getattr(by, "pk", None) else None,
        by_email=getattr(by, "email", "") or "",
        action=action,
        subject=subject,
        details=json.loads(json.dumps(details, default=str)),
    )
    # The process log names the entry and the keys of its details, not their values: they may
    # hold an address, which an account's deletion erases from the table (contests.redaction)
    # but could not erase from log files kept elsewhere. (One key, "fields": names like
    # "created" would clash with LogRecord attributes.)
    logger.info(
        action,
        extra={"subject": subject, "by": entry.by_id, "entry": entry.pk, "fields": sorted(details)},
    )
    return entry


# Why an entry breaks the chain, as `verify_log` and the deliberation minutes say it.
BROKEN_LINK_REASONS = {
    "entry_hash": gettext_lazy("son empreinte ne correspond plus à son contenu"),
    "previous_hash": gettext_lazy(
        "elle ne suit plus l'entrée précédente (entrée supprimée ou insérée)"
    ),
    "redacted": gettext_lazy(
        "son contenu n'est plus celui que l'effacement de données personnelles y a laissé"
    ),
}


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


# The action of the entry that vouches for entries rewritten by an account's deletion. Its
# details: {"pseudonym": "Compte supprimé …", "entries": {"<pk>": "<digest of the new content>"}}.
REDACTION_ACTION = "personal_data.redacted"


def redacted_digests(model: type[ActivityEntry] = ActivityEntry) -> dict[int, str]:
    """Each redacted entry's pk → the digest its content must have now, as the latest
    redaction entry that names it says (an entry naming two deleted people is redacted twice).
    Only a later entry may vouch for an earlier one."""
    digests: dict[int, str] = {}
    redactions = model.objects.filter(action=REDACTION_ACTION).order_by("pk")
    for redaction in redactions.only("pk", "details"):
        listed = redaction.details.get("entries") if isinstance(redaction.details, dict) else None
        for key, digest in (listed or {}).items():
            if str(key).isdigit() and int(key) < redaction.pk:
                digests[int(key)] = digest
    return digests


def verify() -> BrokenLink | None:
    """The first entry whose hash or link does not match, or None when the chain holds.

    A redacted entry keeps its original hash for the link, and its content is checked against
    the digest its redaction entry recorded; the redaction entry is checked as any other."""
    redacted = redacted_digests()
    previous = ""
    for entry in ActivityEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            return BrokenLink(entry.pk, "previous_hash")
        if entry.pk in redacted:
            if entry_digest(entry) != redacted[entry.pk]:
                return BrokenLink(entry.pk, "redacted")
        elif entry_digest(entry) != entry.entry_hash:
            return BrokenLink(entry.pk, "entry_hash")
        previous = entry.entry_hash
    return None
