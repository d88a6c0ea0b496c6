"""The distinctions pages: a contest's defaults and an edition's own, one formset each.

A distinction (« prix spécial du jury », « coup de cœur ») has a code files cite, a name pages
show, an order and an optional description; each contest names its own.
"""

from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..content_language import ContentTextarea, ContentTextInput
from ..models import Contest, ContestDistinction, Distinction, Edition
from .editions import EditionRowsFormSet, RowForm


class DistinctionForm(RowForm):
    class Meta:
        model = Distinction
        fields = ["code", "name", "description", "position"]
        widgets = {"name": ContentTextInput, "description": ContentTextarea(attrs={"rows": 2})}
        help_texts = {
            "code": _("Court, en minuscules, sans espace ; les fichiers importés le citent."),
            "position": _("L'ordre dans lequel les pages les citent."),
        }


class DistinctionFormSet(EditionRowsFormSet):
    unique_messages = {
        "code": _("Une autre distinction a déjà ce code."),
        "name": _("Une autre distinction porte déjà ce nom."),
    }
    protected_message = _(
        "La distinction « %(name)s » a des lauréats : elle ne peut pas être supprimée."
    )


class ContestDistinctionForm(DistinctionForm):
    class Meta(DistinctionForm.Meta):
        model = ContestDistinction


class ContestDistinctionFormSet(DistinctionFormSet):
    protected_message = None  # defaults: no award points at them


DistinctionRows = inlineformset_factory(
    Edition, Distinction, form=DistinctionForm, formset=DistinctionFormSet, extra=1, can_delete=True
)
ContestDistinctionRows = inlineformset_factory(
    Contest,
    ContestDistinction,
    form=ContestDistinctionForm,
    formset=ContestDistinctionFormSet,
    extra=1,
    can_delete=True,
)
