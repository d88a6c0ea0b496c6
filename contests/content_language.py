"""The language of what organisers and applicants write (RGAA 8.7), for templates and forms.

Contest, theme and criterion names, project titles, answers… are typed in one language,
settings.CONTENT_LANGUAGE (French), whatever the language of the page around them. On a page in
another language each piece of that content says so with `lang`; on a page in the same language
the attribute would only repeat the page's, so nothing is added and French pages stay as they
were. Templates use contests/templatetags/content_language.py; forms whose choices are content
(themes, criteria, dossiers) use the widgets below.
"""

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def differs() -> bool:
    """Whether the page's language differs from the content's (compared by primary subtag)."""
    page = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return page != settings.CONTENT_LANGUAGE.split("-")[0]


def in_content_language(value: object) -> object:
    """`value` (content) in a span marked with its language on a page in another language."""
    if not value or not differs():
        return value
    return format_html('<span lang="{}">{}</span>', settings.CONTENT_LANGUAGE, value)


def sentence_with_content(message: str, **content: str) -> str | SafeString:
    """`message % content`, a sentence of the interface quoting content (« Note du critère
    « %(criterion)s » »), with the quoted content marked with its language when it differs."""
    if not differs():
        return message % content
    marked = {name: in_content_language(value) for name, value in content.items()}
    # Both parts are escaped: the message here, the content by in_content_language.
    return mark_safe(conditional_escape(message) % marked)


class ContentChoices:
    """A choice widget whose choice labels are content: each option (a list's <option>, or
    the label of a box or button) is marked with the content's language; the empty choice
    (« Tous les thèmes ») is the interface's and is left alone."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in (None, "") or not differs():
            return option
        if option.get("wrap_label"):  # check boxes and radio buttons: the text is the label's
            option["label"] = format_html(
                '<span lang="{}">{}</span>', settings.CONTENT_LANGUAGE, option["label"]
            )
        else:  # an <option> holds text only
            option["attrs"] = {**option["attrs"], "lang": settings.CONTENT_LANGUAGE}
        return option


class ContentSelect(ContentChoices, forms.Select):
    pass


class ContentCheckboxSelectMultiple(ContentChoices, forms.CheckboxSelectMultiple):
    pass


class ContentInput:
    """A text widget whose value is content (a theme's name, a criterion's explanation): the
    field says its language, so that a screen reader reads what was typed with the right voice."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if differs():
            context["widget"]["attrs"]["lang"] = settings.CONTENT_LANGUAGE
        return context


class ContentTextInput(ContentInput, forms.TextInput):
    pass


class ContentTextarea(ContentInput, forms.Textarea):
    pass
