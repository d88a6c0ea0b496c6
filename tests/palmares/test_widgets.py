"""The quick drop-down lists write what Django's templates write (whitespace between options
aside): same attributes, same escaping, same selected option."""

import re

from django import forms

from palmares.widgets import QuickSelect


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [("", "Tous"), ("a&b", "A & <b>"), ("2", "Deux")]


def test_quick_select_writes_what_django_writes():
    attrs = {"id": "id_x", "required": True, "disabled": False, "aria-describedby": 'h"x'}
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render("x", "a&b")
    django = forms.Select(choices=CHOICES, attrs=attrs).render("x", "a&b")
    assert _squeezed(quick) == _squeezed(django)
    assert '<option value="a&amp;b" selected>A &amp; &lt;b&gt;</option>' in quick
    assert " disabled" not in quick


def test_quick_select_groups_and_no_selection():
    choices = [("Groupe <1>", [("1", "Un"), ("2", "Deux")]), ("3", "Trois")]
    quick = QuickSelect(choices=choices).render("y", None)
    django = forms.Select(choices=choices).render("y", None)
    assert _squeezed(quick) == _squeezed(django)
    assert "selected" not in quick
