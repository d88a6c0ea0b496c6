"""contests.widgets.LongSelect writes the HTML Django's own Select writes."""

from django import forms

from contests.widgets import LongSelect

CHOICES = [("", "Tous les jurés"), ("j-1", "Claire « C » Martin"), ("j-2", "Paul <Durand>")]


class Form(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    long = forms.ChoiceField(choices=CHOICES, required=False, widget=LongSelect)


def test_long_select_renders_exactly_as_django_select_with_the_selected_option():
    form = Form(initial={"plain": "j-2", "long": "j-2"})

    plain = str(form["plain"]).replace('name="plain" id="id_plain"', "")
    long = str(form["long"]).replace('name="long" id="id_long"', "")

    assert long == plain
    assert '<option value="j-2" selected>Paul &lt;Durand&gt;</option>' in long


def test_long_select_selects_nothing_that_was_not_chosen():
    long = str(Form(initial={"long": "j-1"})["long"])

    assert '<option value="j-1" selected>' in long
    assert '<option value="j-2">' in long
    assert '<option value="" selected>' not in long


def test_long_select_keeps_optgroups_and_option_attributes():
    class Grouped(forms.Form):
        plain = forms.ChoiceField(choices=[("Groupe", [("a", "A")])], required=False)
        long = forms.ChoiceField(
            choices=[("Groupe", [("a", "A")])], required=False, widget=LongSelect
        )

    form = Grouped(initial={"plain": "a", "long": "a"})

    assert str(form["long"]).replace("long", "plain") == str(form["plain"])
    assert '<optgroup label="Groupe">' in str(form["long"])
