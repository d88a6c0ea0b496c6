"""Build the POST data of a formset page from the formset it rendered, as a browser would."""

from datetime import date, datetime

from django.forms import BaseFormSet
from django.utils.timezone import localtime


def _as_posted(value) -> str | None:
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, datetime):
        return (
            localtime(value).strftime("%Y-%m-%dT%H:%M")
            if value.tzinfo
            else value.strftime("%Y-%m-%dT%H:%M")
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def formset_data(formset: BaseFormSet) -> dict[str, str]:
    """The management form and every row's current values; unchecked boxes are left out."""
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
        f"{formset.prefix}-MIN_NUM_FORMS": "0",
        f"{formset.prefix}-MAX_NUM_FORMS": "1000",
    }
    for form in formset.forms:
        for field in form:
            value = _as_posted(field.value())
            if value is not None:
                data[field.html_name] = value
    return data
