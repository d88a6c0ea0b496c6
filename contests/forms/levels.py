"""The Levels page: every level of an edition with its rules, on one page.

A level's rules — its minimum score and how many dossiers of a theme may get it — are what the
deliberation applies when it proposes levels (awards), so they are checked here: a minimum within
the criteria's scale, at least one dossier per theme (or no limit), and ranks that agree with
the minimums (a better level never asks for a lower score than a level below it).
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..levels import SCALE_MAX, SCALE_MIN, RankedMinimum, rank_inversions, score_text
from ..models import Edition, Level
from .editions import EditionRowsFormSet, RowForm


class ScoreField(forms.DecimalField):
    """A score on the criteria's scale; takes « 3,5 » as well as « 3.5 »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class LevelForm(RowForm):
    min_score = ScoreField(
        label=_("Note minimale (sur 5)"),
        decimal_places=2,
        required=False,
        help_text=_("Entre 0 et 5. Vide : pas de note minimale."),
    )
    max_per_theme = forms.IntegerField(
        label=_("Au plus, par thème"),
        required=False,
        help_text=_(
            "Nombre de dossiers d'un thème pouvant recevoir ce niveau. Vide : sans limite."
        ),
    )

    class Meta:
        model = Level
        fields = ["code", "name", "rank", "min_score", "max_per_theme"]
        help_texts = {
            "code": _("Court, en minuscules, sans espace ; les fichiers importés le citent."),
            "rank": _("1 pour le niveau le plus haut."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].widget.attrs["min"] = 1
        self.fields["min_score"].widget.attrs.update(
            min=str(SCALE_MIN), max=str(SCALE_MAX), step="0.01"
        )
        self.fields["max_per_theme"].widget.attrs["min"] = 1

    def clean_rank(self):
        rank = self.cleaned_data["rank"]
        if rank is not None and rank < 1:
            raise ValidationError(_("Le rang commence à 1."), code="rank")
        return rank

    def clean_min_score(self) -> Decimal | None:
        score = self.cleaned_data["min_score"]
        if score is not None and not SCALE_MIN <= score <= SCALE_MAX:
            raise ValidationError(
                _(
                    "La note minimale doit être comprise entre %(low)s et %(high)s, "
                    "l'échelle des critères."
                ),
                code="scale",
                params={"low": score_text(SCALE_MIN), "high": score_text(SCALE_MAX)},
            )
        return score

    def clean_max_per_theme(self) -> int | None:
        count = self.cleaned_data["max_per_theme"]
        if count is not None and count < 1:
            raise ValidationError(
                _("Indiquez au moins 1 dossier par thème, ou laissez vide pour ne pas limiter."),
                code="max_per_theme",
            )
        return count


class LevelFormSet(EditionRowsFormSet):
    unique_messages = {
        "code": _("Un autre niveau a déjà ce code."),
        "name": _("Un autre niveau porte déjà ce nom."),
        "rank": _("Un autre niveau a déjà ce rang."),
    }
    protected_message = _("Le niveau « %(name)s » a des lauréats : il ne peut pas être supprimé.")

    def clean(self) -> None:
        super().clean()
        # Rows whose rank or minimum is itself wrong are left out: their own message says why.
        rows = [
            RankedMinimum(form, form.cleaned_data["name"], rank, form.cleaned_data["min_score"])
            for form in self.kept_forms()
            if (rank := form.cleaned_data.get("rank")) is not None
            and "min_score" in form.cleaned_data
            and "name" in form.cleaned_data
        ]
        ranks = [row.rank for row in rows]
        if len(ranks) != len(set(ranks)):  # a repeated rank is already said on its row
            return
        for inversion in rank_inversions(rows):
            inversion.better.key.add_error(
                "min_score",
                ValidationError(
                    _(
                        "Un niveau mieux classé ne peut pas demander une note plus basse : "
                        "« %(worse)s » (rang %(rank)s) demande au moins %(score)s."
                    ),
                    code="rank_order",
                    params={
                        "worse": inversion.worse.name,
                        "rank": inversion.worse.rank,
                        "score": score_text(inversion.worse.min_score),
                    },
                ),
            )


LevelRows = inlineformset_factory(
    Edition, Level, form=LevelForm, formset=LevelFormSet, extra=1, can_delete=True
)
