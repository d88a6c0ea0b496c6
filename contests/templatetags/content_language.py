"""Marking content with its language in templates (see contests/content_language.py).

{% load content_language %}
<h3{% content_lang %}>{{ award.title }}</h3>          attribute on an element of content
{{ theme.name|content_lang }}                           a span around a value
{% blocktranslate with title=dossier.title|content_lang %}…{% endblocktranslate %}
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..content_language import differs, in_content_language

register = template.Library()


@register.simple_tag
def content_lang() -> str:
    """` lang="fr"` for an element holding content, on a page in another language."""
    if differs():
        return format_html(' lang="{}"', settings.CONTENT_LANGUAGE)
    return ""


@register.filter(name="content_lang")
def content_lang_span(value: object) -> SafeString | object:
    """`value` in a span marked with the content's language, on a page in another language;
    `value` unchanged (still escaped by the template) otherwise, and when it is empty."""
    if value in (None, ""):
        return value
    return in_content_language(value)


@register.filter(name="content_lang_or")
def content_lang_or(value: object, fallback: object) -> object:
    """Content marked as `content_lang` does, or `fallback` — the interface's own words, such
    as « (sans titre) », left unmarked — when the content is empty."""
    if value in (None, ""):
        return fallback
    return content_lang_span(value)
