"""The site's accessibility conformity, as every page's footer announces it (RGAA's rule: the
level links to the statement). Computed from the grid, never declared."""

from django import template

from ..accessibility import conformity

register = template.Library()


@register.simple_tag
def conformity_level() -> str:
    """« totalement », « partiellement » or « non conforme », from catalogue/accessibility."""
    return conformity().level
