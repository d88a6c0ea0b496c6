"""The language of what organisers and applicants write (RGAA 8.7).

Contest, theme and criterion names, project titles, answers… are typed in one language,
settings.CONTENT_LANGUAGE (French), whatever the language of the page around them. On a page in
another language, each piece of that content must say so with `lang`; on a page in the same
language the attribute would only repeat the page's, so nothing is added and French pages stay
as they are.

    {% load content_language %}
    <h3{% content_lang %}>{{ award.title }}</h3>          attribute on an element of content
    {{ theme.name|content_lang }}                           a span around a value
    {% blocktranslate with title=dossier.title|content_lang %}…{% endblocktranslate %}
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


def _differs() -> bool:
    """Whether the page's language differs from the content's (compared by primary subtag)."""
    page = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return page != settings.CONTENT_LANGUAGE.split("-")[0]


@register.simple_tag
def content_lang() -> str:
    """` lang="fr"` for an element holding content, on a page in another language."""
    if _differs():
        return format_html(' lang="{}"', settings.CONTENT_LANGUAGE)
    return ""


@register.filter(name="content_lang")
def content_lang_span(value: object) -> SafeString | object:
    """`value` in a span marked with the content's language, on a page in another language;
    `value` unchanged (still escaped by the template) otherwise, and when it is empty."""
    if value in (None, "") or not _differs():
        return value
    return format_html('<span lang="{}">{}</span>', settings.CONTENT_LANGUAGE, value)
