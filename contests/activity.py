"""The activity log: every decision of the selection and the deliberation, chained by hashes.

`record` is the one way to write to it. Each entry's hash covers its content and the previous
entry's hash, so `verify` finds the first row that was edited, inserted or deleted afterwards.
The chain is global (one log for the whole site), so appending takes a lock on the last row
(`select_for_update`; SQLite serialises writers anyway).
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


def record(
    edition: Edition, action: str, *, by=None, subject: str = "", **details: object
) -> ActivityEntry:
    """Append one entry to the log (inside the caller's transaction, if any)."""
    with transaction.atomic():
        last = ActivityEntry.objects.select_for_update().order_by("-pk").first()
        entry = ActivityEntry(
            edition=edition,
            at=timezone.now().replace(microsecond=0),
            by=by if getattr(by, "pk", None) else None,
            by_email=getattr(by, "email", "") or "",
            action=action,
            subject=subject,
            details=json.loads(json.dumps(details, default=str)),
            previous_hash=last.entry_hash if last else "",
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
    # Details go under one key: names like "created" would clash with LogRecord attributes.
    logger.info(action, extra={"subject": subject, "by": entry.by_id, "details": entry.details})
    return entry


# Why an entry breaks the chain, as `verify_log` and the deliberation minutes say it.
BROKEN_LINK_REASONS = {
    "entry_hash": gettext_lazy("son empreinte ne correspond plus à son contenu"),
    "previous_hash": gettext_lazy(
        "elle ne suit plus l'entrée précédente (entrée supprimée ou insérée)"
    ),
}


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


def verify() -> BrokenLink | None:
    """The first entry whose hash or link does not match, or None when the chain holds."""
    previous = ""
    for entry in ActivityEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            return BrokenLink(entry.pk, "previous_hash")
        if entry_digest(entry) != entry.entry_hash:
            return BrokenLink(entry.pk, "entry_hash")
        previous = entry.entry_hash
    return None
