"""Erasing a deleted account's address from the activity log without breaking its chain.

The log's entries are hash-chained (contests.activity) and their hashes were printed on
deliberation minutes, so no hash may change. `redact_address` rewrites the entries that hold the
address (author, subject, any text of the details) with the pseudonym, then appends one
redaction entry per edition concerned, listing each rewritten entry with the digest of its new
content: `activity.verify` checks the rewritten entries against it. What is left to link the
pseudonym to the person is the digest `accounts.ErasedAccount` keeps, and the rewritten entries'
original hashes (both only confirm an address someone already guesses).

The limit, said plainly: a redaction entry vouches for entries written before it, so whoever can
write to the database could rewrite an old entry and append a matching redaction entry without
`verify` objecting, where before they had to rewrite the chain from that entry on. `verify_log`
therefore says how many entries redaction entries vouch for, and each names its pseudonym.
"""

import json
import re

from django.db import transaction
from django.db.models import Q

from . import activity
from .models import ActivityEntry

# Addresses as they appear in entries written before the redaction existed (the migration
# looks them up by digest among the deleted accounts).
ADDRESS = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+\.[^\s@\"'<>(),;:]+")


def scrub(value: object, address: str, replacement: str) -> object:
    """`value` (JSON) with every occurrence of `address`, in any case, replaced."""
    if isinstance(value, str):
        return re.sub(re.escape(address), replacement, value, flags=re.IGNORECASE)
    if isinstance(value, list):
        return [scrub(item, address, replacement) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, address, replacement) for key, item in value.items()}
    return value


def addresses_in(entry: ActivityEntry) -> set[str]:
    """Every address an entry holds, lower-cased."""
    texts = [entry.by_email, entry.subject, _text(entry.details)]
    return {match.lower() for text in texts for match in ADDRESS.findall(text)}


def redact_address(
    address: str,
    *,
    author_label: str,
    replacement: str,
    pseudonym: str,
    user_pk: int | None = None,
    model: type[ActivityEntry] = ActivityEntry,
) -> int:
    """Replace `address` in every entry that holds it; returns how many entries changed.

    Steps: find the entries written by the account (`user_pk`) or holding the address; put
    `author_label` (the pseudonym) as their author and `replacement` (the pseudonymous
    address) wherever the address appears in their subject and details; save them with their
    hashes untouched; append, per edition, a redaction entry listing their new digests.
    `model` is the historical model when a migration calls it.
    """
    address = address.strip()
    if not address:
        return 0
    changed: dict[int, list[ActivityEntry]] = {}
    with transaction.atomic():
        for entry in _candidates(model, address, user_pk):
            written = user_pk is not None and entry.by_id == user_pk
            if written or entry.by_email.lower() == address.lower():
                entry.by_email = author_label
            entry.subject = scrub(entry.subject, address, replacement)
            entry.details = scrub(entry.details, address, replacement)
            entry.save(update_fields=["by_email", "subject", "details"])
            changed.setdefault(entry.edition_id, []).append(entry)
        for edition_id, entries in changed.items():
            activity.append(
                model,
                edition_id=edition_id,
                by=None,
                by_email="",
                action=activity.REDACTION_ACTION,
                subject="",
                details={
                    "pseudonym": pseudonym,
                    "entries": {str(e.pk): activity.entry_digest(e) for e in entries},
                },
            )
    return sum(len(entries) for entries in changed.values())


def _candidates(
    model: type[ActivityEntry], address: str, user_pk: int | None
) -> list[ActivityEntry]:
    """The entries to look at: narrowed in SQL for an ASCII address (JSON text escapes other
    characters, so the database would miss them), then checked one by one."""
    entries = model.objects.exclude(action=activity.REDACTION_ACTION).order_by("pk")
    if address.isascii():
        found = (
            Q(by_email__iexact=address)
            | Q(subject__icontains=address)
            | Q(details__icontains=address)
        )
        if user_pk is not None:
            found |= Q(by_id=user_pk)
        entries = entries.filter(found)
    lowered = address.lower()
    return [
        entry
        for entry in entries
        if (user_pk is not None and entry.by_id == user_pk)
        or any(
            lowered in text.lower()
            for text in (entry.by_email, entry.subject, _text(entry.details))
        )
    ]


def _text(details: object) -> str:
    return json.dumps(details, ensure_ascii=False)
