"""Dates written as a careful French writer would: « 1er février 2027 », never « 1 février ».

A builtin template library (settings.TEMPLATES "builtins"), so every template may write
`{{ day|long_date }}` or `{{ moment|long_datetime }}` without loading it; Python code building
an email calls the same functions. The first of the month takes « 1er » only in French; other
languages get Django's usual date. Aware datetimes are shown in the site's time zone (Paris).
Imports no app.
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def _day(value: date) -> str:
    if value.day == 1 and _french():
        return pgettext("first day of a month", "1er")
    return str(value.day)


@register.filter
def long_date(value: date | datetime | None) -> str:
    """« 1er février 2027 », « 12 mars 2027 »; an empty string for no date."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if not _french():
        return formats.date_format(value, "DATE_FORMAT")
    return f"{_day(value)} {formats.date_format(value, 'F Y')}"


@register.filter
def long_datetime(value: datetime | None) -> str:
    """« 1er février 2027 à 23:59 »; an empty string for no date."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return pgettext("a date and a time", "%(date)s à %(time)s") % {
        "date": long_date(value),
        "time": formats.time_format(value, "H:i" if _french() else "TIME_FORMAT"),
    }


@register.filter
def day_month(value: date | datetime | None) -> str:
    """« 1er février », « 3 mars »: a date whose year the sentence already gives."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if not _french():
        return formats.date_format(value, "MONTH_DAY_FORMAT")
    return f"{_day(value)} {formats.date_format(value, 'F')}"


@register.filter
def weekday_date(value: date | datetime | None) -> str:
    """« lundi 1er février 2027 »."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return f"{formats.date_format(value, 'l')} {long_date(value)}"


@register.filter
def day_number(value: date | datetime | None) -> str:
    """« 1er », « 3 »: the day alone, in « du 1er au 3 février »."""
    if value in (None, ""):
        return ""
    return _day(_local(value))
