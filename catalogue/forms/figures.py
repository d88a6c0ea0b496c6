"""Forms of the map, statistics and transparency pages.

The filter forms are GET forms whose choices come from the public palmarès. A value that is not
among them (an old bookmark, a typo in the address) is reported next to its field and ignored:
the page still shows its figures, never an error page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contests.content_language import ContentSelect
from contests.models import EditionTransparency

from ..figures import FigureFilter, FilterChoices

MAP_VIEWS = [
    ("departements", _("par département")),
    ("regions", _("par région")),
]
MAX_SCORE_BINS = 21  # scores from 0 to 20 at most


class FigureFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(label=_("Thème"), required=False, widget=ContentSelect)
    level = forms.ChoiceField(label=_("Niveau"), required=False)

    def __init__(self, data, *, choices: FilterChoices, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [("", _("Toutes les années"))] + [
            (year, year) for year in choices.years
        ]
        self.fields["theme"].choices = [("", _("Tous les thèmes")), *choices.themes]
        self.fields["level"].choices = [("", _("Tous les niveaux")), *choices.levels]

    def figure_filter(self, contest: str | None = None) -> FigureFilter:
        """The valid part of the filter; invalid values are left out (and shown as errors)."""
        self.is_valid()
        data = self.cleaned_data
        return FigureFilter(
            year=data.get("year"),
            theme=data.get("theme") or None,
            level=data.get("level") or None,
            contest=contest,
        )


class MapFilterForm(FigureFilterForm):
    view = forms.ChoiceField(
        label=_("Regrouper"),
        choices=MAP_VIEWS,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, data, **kwargs):
        # An unchecked radio group sends nothing: show the default as checked.
        data = data.copy()
        data.setdefault("view", MAP_VIEWS[0][0])
        super().__init__(data, **kwargs)

    @property
    def by_regions(self) -> bool:
        return getattr(self, "cleaned_data", {}).get("view") == "regions"


class StatisticsFilterForm(FigureFilterForm):
    """The statistics page filters by year only: its other figures are the breakdowns."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        del self.fields["theme"], self.fields["level"]


class TransparencyForm(forms.ModelForm):
    class Meta:
        model = EditionTransparency
        fields = [
            "jury_institutions",
            "elimination_rule",
            "normalisation_method",
            "conflicts_handled",
            "score_distribution",
            "published",
        ]
        widgets = {
            "jury_institutions": forms.Textarea(attrs={"rows": 6}),
            "elimination_rule": forms.Textarea(attrs={"rows": 3}),
            "normalisation_method": forms.Textarea(attrs={"rows": 3}),
            "score_distribution": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "score_distribution": _(
                "Anonyme : pour chaque critère, le nombre de notes données à chaque valeur, de 0 "
                'à la note maximale. Exemple : {"Innovation": [0, 1, 4, 9, 12, 5]}.'
            ),
            "published": _(
                "Cochée, la page de transparence montre ces informations à tous, dès que les "
                "résultats de l'édition sont publics (jamais pendant l'embargo)."
            ),
        }

    def clean_score_distribution(self):
        distribution = self.cleaned_data["score_distribution"]
        if distribution in (None, "", {}):
            return None
        message = _(
            "Donnez un objet dont chaque clé est un critère et chaque valeur une liste de "
            "nombres entiers positifs ou nuls (au plus %(bins)s valeurs)."
        )
        if not isinstance(distribution, dict) or not all(
            isinstance(name, str)
            and name.strip()
            and isinstance(counts, list)
            and 0 < len(counts) <= MAX_SCORE_BINS
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts)
            for name, counts in distribution.items()
        ):
            raise ValidationError(message, code="shape", params={"bins": MAX_SCORE_BINS})
        return distribution
