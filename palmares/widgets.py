"""Drop-down lists written in Python, for the long ones of the organisers' pages.

Django renders each <option> through two templates (the option's, then its attributes'): a list
of 150 jurors or 101 départements costs a few tens of milliseconds, most of a page's budget. These
widgets write the same markup (same attributes, same escaping, options' whitespace aside) with
string joins. Their context is Django's own (`get_context`, `create_option`), so mixins that
change an option (contests.content_language.ContentChoices) keep working.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False left out, True as a bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class QuickSelectMixin:
    """For a forms.Select (or a subclass): `render` without the option templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        name_attr = conditional_escape(widget["name"])
        parts = [f'<select name="{name_attr}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class QuickSelect(QuickSelectMixin, forms.Select):
    pass
