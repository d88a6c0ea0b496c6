"""Form widgets shared by the organisers' pages."""

from django import forms


class LongSelect(forms.Select):
    """A select of many options (the 150 jurors of a round): the same HTML as Django's, each
    option written in the select's template rather than through a template of its own, whose
    inclusion, once per option, cost more than the rest of the form."""

    template_name = "forms/long_select.html"
