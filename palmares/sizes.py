"""File sizes in one unit system, the French one: « 820 octets », « 245,3 ko », « 12,4 Mo ».

A builtin template library (`{{ file.bytes|file_size }}`), used instead of Django's
`filesizeformat` (which writes « Ko » and counts in powers of 1,024, unlike the upload limits).
Imports no app.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

register = template.Library()

MEGABYTE = 1_000_000
KILOBYTE = 1_000


def _bytes(size: int) -> str:
    return ngettext("%(size)s octet", "%(size)s octets", size) % {
        "size": number_format(size, force_grouping=True)
    }


def _rounded(size: int, unit: int) -> Decimal:
    return (Decimal(size) / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@register.filter(name="file_size")
def format_size(size: int) -> str:
    """A size in bytes as people read it: « 820 octets », « 245,3 ko », « 12,4 Mo »."""
    if size < KILOBYTE:
        return _bytes(size)
    if _rounded(size, KILOBYTE) < KILOBYTE:  # 999,96 ko reads « 1,0 Mo », not « 1 000,0 ko »
        return gettext("%(size)s ko") % {"size": number_format(_rounded(size, KILOBYTE), 1)}
    return gettext("%(size)s Mo") % {"size": number_format(_rounded(size, MEGABYTE), 1)}
