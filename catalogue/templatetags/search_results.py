"""The awards of the search page's results, each rendered once while the process keeps it.

A page of twenty awards cost the template engine about 3 ms (a `{% url %}`, translations and
the organisations' and distinctions' loops per award), a quarter of a warm search page. An
award's HTML depends on nothing but the award (with the relations fetched with it), the
language and the URL configuration, so it is rendered once per language and kept on the award
object itself: it lives exactly as long as the award does in catalogue.search.engine's kept
awards, and is dropped with them (index changed, public content saved, lifetime over).
"""

from collections.abc import Iterable

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from awards.models import Award

register = template.Library()

AWARD_TEMPLATE = "catalogue/search/award.html"
# The attribute of an award holding its rendered HTML, by (language, script prefix, urlconf).
RENDERED = "_search_result_html"


@register.simple_tag
def search_awards(awards: Iterable[Award]) -> SafeString:
    """Each award's <li> (catalogue/search/award.html), rendered the first time it is shown in
    this language while the award is kept (a dict write, safe between threads: two threads
    rendering the same award write the same HTML)."""
    key = (get_language(), get_script_prefix(), get_urlconf())
    # Each award.html was escaped by the template engine.
    return mark_safe("".join([_award_html(award, key) for award in awards]))


def _award_html(award: Award, key: tuple) -> str:
    rendered: dict[tuple, str] = award.__dict__.setdefault(RENDERED, {})
    html = rendered.get(key)
    if html is None:
        # No request: the award's HTML must not depend on the visitor (context processors).
        html = rendered[key] = get_template(AWARD_TEMPLATE).render({"award": award})
    return html
