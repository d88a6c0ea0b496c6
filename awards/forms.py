"""Forms of the deliberation pages: opening it, the what-if settings, changing a decision (its
level and, for the president and the organisers, its distinctions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contests.models import Distinction, Edition, Level
from jury.models import Juror, Round
from palmares.widgets import QuickSelect

from .deliberation import default_round, reason_required_message
from .enums import ScoreMethod
from .models import Decision, Deliberation


class OpenDeliberationForm(forms.ModelForm):
    class Meta:
        model = Deliberation
        fields = ["round", "method", "normalised", "disagreement_threshold", "send_reasons"]
        help_texts = {
            "round": _("Le tour dont les évaluations sont délibérées, en général les auditions."),
            "normalised": _(
                "Les niveaux sont alors proposés d'après les notes corrigées ; les notes brutes "
                "restent affichées."
            ),
            "disagreement_threshold": _(
                "Un dossier est signalé quand l'écart-type des notes de ses jurés dépasse "
                "cette valeur (sur 5)."
            ),
        }

    def __init__(self, *args, edition: Edition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(edition=edition).order_by(
            "position", "name"
        )
        self.fields["round"].empty_label = None
        self.fields["round"].to_field_name = "slug"  # slugs in forms too, never ids
        if not self.is_bound:
            round_ = default_round(edition)
            self.initial["round"] = round_.slug if round_ else None
        self.fields["disagreement_threshold"].min_value = 0
        self.fields["disagreement_threshold"].widget.attrs.update(min=0, max=5, step="0.01")


NORMALISATION_CHOICES = [("oui", _("Notes corrigées")), ("non", _("Notes brutes"))]


class WhatIfForm(forms.Form):
    """The settings to compare with the deliberation's (GET: the board stays bookmarkable)."""

    method = forms.ChoiceField(label=_("Agrégation des notes"), choices=ScoreMethod.choices)
    normalisation = forms.ChoiceField(label=_("Sévérité des jurés"), choices=NORMALISATION_CHOICES)
    leave_out = forms.ChoiceField(label=_("Sans le juré"), required=False, widget=QuickSelect)

    def __init__(self, *args, deliberation: Deliberation, jurors: list[Juror], **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "method": deliberation.method,
                "normalisation": "oui" if deliberation.normalised else "non",
                "leave_out": "",
            },
        )
        super().__init__(*args, **kwargs)
        self.jurors = {str(juror.reference): juror for juror in jurors}
        self.fields["leave_out"].choices = [("", _("Tous les jurés"))] + [
            (reference, juror.full_name) for reference, juror in self.jurors.items()
        ]

    @property
    def settings(self) -> dict[str, object]:
        """The what-if's keyword arguments (valid form only)."""
        data = self.cleaned_data
        return {
            "method": data["method"],
            "normalised": data["normalisation"] == "oui",
            "leave_out_juror": self.jurors.get(data["leave_out"] or ""),
        }


class DecisionForm(forms.Form):
    level = forms.ModelChoiceField(
        label=_("Niveau décidé"),
        queryset=Level.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Non labellisé"),
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire quand le niveau décidé diffère du niveau proposé."),
    )

    distinctions = forms.ModelMultipleChoiceField(
        label=_("Distinctions décernées"),
        queryset=Distinction.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "En plus du niveau, ou seules : un dossier distingué sans niveau est lauréat de sa "
            "seule distinction."
        ),
    )

    def __init__(
        self, *args, decision: Decision, may_decide_distinctions: bool = False, **kwargs
    ) -> None:
        level = decision.level.code if decision.level_id else ""
        held = list(decision.distinctions.all()) if may_decide_distinctions else []
        kwargs.setdefault(
            "initial",
            {
                "level": level,
                "reason": decision.reason,
                "distinctions": [distinction.code for distinction in held],
            },
        )
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.held_distinctions = held
        edition_id = decision.deliberation.edition_id
        self.fields["level"].queryset = Level.objects.filter(edition_id=edition_id).order_by("rank")
        distinctions = Distinction.objects.filter(edition_id=edition_id)
        # Only the president and the organisers decide distinctions, and only if there are any.
        if may_decide_distinctions and distinctions.exists():
            self.fields["distinctions"].queryset = distinctions.order_by("position", "name")
        else:
            del self.fields["distinctions"]

    @property
    def distinctions_changed(self) -> bool:
        if "distinctions" not in self.fields:
            return False
        chosen = {distinction.pk for distinction in self.cleaned_data["distinctions"]}
        return chosen != {distinction.pk for distinction in self.held_distinctions}

    def clean(self):
        data = super().clean()
        level = data.get("level")
        changed = (level.pk if level else None) != self.decision.proposed_level_id
        if "level" in data and changed and not data.get("reason", "").strip():
            self.add_error("reason", reason_required_message(self.decision.proposed_level))
        return data
