"""The search parameters, checked the same way for the page and for the API.

The page ignores a bad filter and says so; the API answers 400 with the same message. Facet
values are checked against what can exist (years and themes of the index, codes of the
referential, kinds and population bands of the enums), not against the current results: a
région without laureates is a fine filter that finds nothing.
"""

from collections.abc import Callable, Collection

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind, PopulationBand

from .engine import FACET_LABELS, Order, SearchParams
from .facets import FACETS, FacetIndex


class FacetField(forms.MultipleChoiceField):
    """Values of one facet (repeated parameter), normalised before they are checked."""

    def __init__(self, *, normalise: Callable[[str], str] = str.strip, **kwargs):
        super().__init__(required=False, **kwargs)
        self.normalise = normalise
        # The values allowed, when they come from the index rather than from `choices`.
        self.allowed: Collection[str] | None = None

    def to_python(self, value):
        # An empty value is the list's « all » choice, not a value to check.
        values = (self.normalise(str(item)) for item in super().to_python(value))
        return [value for value in values if value]

    def valid_value(self, value: str) -> bool:
        if self.allowed is not None:
            return value in self.allowed
        return super().valid_value(value)


class YearField(FacetField):
    """Any plausible year: one without public awards finds nothing, as an unknown one must
    (refusing only the years the index lacks would reveal the years it holds under embargo)."""

    def valid_value(self, value: str) -> bool:
        return value.isascii() and value.isdigit() and 1900 <= int(value) <= 2100


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Mots recherchés"), required=False)
    year = YearField(
        label=FACET_LABELS["year"],
        error_messages={"invalid_choice": _("« %(value)s » n'est pas une année.")},
    )
    level = FacetField(
        label=FACET_LABELS["level"],
        normalise=lambda value: value.strip().lower(),
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un niveau de label.")},
    )
    # A theme by its slug or by its name: « Gestion des données » is gestion-des-donnees.
    theme = FacetField(
        label=FACET_LABELS["theme"],
        normalise=slugify,
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un thème du palmarès.")},
    )
    region = FacetField(
        label=FACET_LABELS["region"],
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un code de région.")},
    )
    departement = FacetField(
        label=FACET_LABELS["departement"],
        normalise=lambda value: value.strip().upper(),
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un code de département.")},
    )
    kind = FacetField(
        label=FACET_LABELS["kind"],
        choices=OrganisationKind.choices,
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un type de structure.")},
    )
    population = FacetField(
        label=FACET_LABELS["population"],
        choices=PopulationBand.choices,
        error_messages={"invalid_choice": _("« %(value)s » n'est pas une tranche de population.")},
    )
    order = forms.ChoiceField(
        label=_("Trier par"),
        choices=Order.choices,
        required=False,
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un ordre de tri.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        min_value=1,
        required=False,
        error_messages={
            "invalid": _("le numéro de page est un nombre entier à partir de 1."),
            "min_value": _("le numéro de page est un nombre entier à partir de 1."),
        },
    )

    def __init__(self, data, *, index: FacetIndex):
        super().__init__(data)
        # The index's own dictionaries' keys, not choices: the form is never drawn (the page
        # draws the facets) and setting ~150 choices on every request cost half a millisecond.
        for facet in ("level", "theme"):
            self.fields[facet].allowed = index.bitmaps[facet].keys()
        for facet in ("region", "departement"):
            self.fields[facet].allowed = index.labels[facet].keys()

    def search_params(self) -> SearchParams:
        """The parameters that passed their checks (a form with errors keeps its good ones)."""
        data = self.cleaned_data
        return SearchParams(
            q=data.get("q", ""),
            filters={facet: data[facet] for facet in FACETS if data.get(facet)},
            order=data.get("order") or Order.RELEVANCE,
        )

    def error_messages(self) -> list[str]:
        """« Niveau : « platine » n'est pas un niveau de label. », one per refused parameter."""
        return [
            f"{self.fields[name].label} : {' '.join(str(error) for error in errors)}"
            for name, errors in self.errors.items()
        ]
