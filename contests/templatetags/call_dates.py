"""`{{ moment|paris_datetime }}`: « 1er février 2027 à 12:00 », in Paris time (contests.call)."""

from datetime import datetime

from django import template

from ..call import paris_text

register = template.Library()


@register.filter
def paris_datetime(value: datetime | None) -> str:
    return paris_text(value) if value else ""
