"""The open calls for applications, for the site header and the home page (settings)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from contests.call import cached_open_calls


def open_calls(request: HttpRequest) -> dict[str, object]:
    """`open_calls`: the calls taking applications now (contests.call keeps them in the cache,
    so that the header costs no query), read only if a template asks."""
    return {"open_calls": SimpleLazyObject(lambda: list(cached_open_calls()))}
