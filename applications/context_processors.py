"""The open calls for applications, for the site header and the home page (settings)."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from contests.call import deadline, open_editions, paris_text
from contests.models import Edition


@dataclass(frozen=True)
class OpenCall:
    edition: Edition
    deadline: str  # in Paris time, as the reader's language writes it


def _open_calls() -> list[OpenCall]:
    return [OpenCall(edition, paris_text(deadline(edition))) for edition in open_editions()]


def open_calls(request: HttpRequest) -> dict[str, object]:
    """`open_calls`: the calls taking applications now, queried only if a template reads it."""
    return {"open_calls": SimpleLazyObject(_open_calls)}
