"""The deliberation board's cells written in Python: the board shows 50 rows of two scores
each, and including a template per score cost more than the rest of the row."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html

from awards.deliberation_board import Measure

register = template.Library()


@register.simple_tag
def measure(value: Measure) -> str:
    """« 3,667 (3,250 – 4,000) », the interval left out when it is a point; « — » unscored.

    A Measure's values are Decimals with three places (awards.deliberation_board._decimal):
    shown as they are, localised, as floatformat:3 would show them."""
    if value.score is None:
        return "—"
    if value.lower == value.upper:
        return localize(value.score)
    return format_html(
        '{} <span class="muted">({} – {})</span>',
        localize(value.score),
        localize(value.lower),
        localize(value.upper),
    )
