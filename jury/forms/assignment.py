"""Forms of the assignment page: run the solver, set the jurors' loads, add a pair by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState
from palmares.widgets import QuickSelect

from ..models import Juror, Round, RoundEntry


class RunForm(forms.Form):
    per_dossier = forms.IntegerField(
        label=_("Jurés par dossier"), min_value=1, max_value=10, initial=3
    )


class AddForm(forms.Form):
    """A pair made by hand: the dossier by its reference (typed, or found with the search above:
    a list of every dossier would weigh megabytes at 2,000 dossiers), the juror from the list."""

    reference = forms.CharField(
        label=_("Référence du dossier"),
        max_length=50,
        help_text=_(
            "Telle qu'affichée dans le tableau des dossiers, que la recherche filtre par "
            "référence, titre ou structure porteuse."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    juror = forms.ChoiceField(label=_("Juré"), widget=QuickSelect)  # 150 jurors

    def __init__(self, *args, round_: Round, jurors: list[Juror], **kwargs) -> None:
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["juror"].choices = [
            (str(j.reference), f"{j.full_name} ({j.institution_label})") for j in jurors
        ]

    def clean_reference(self) -> RoundEntry:
        """The round's dossier still in competition with that reference (spaces and case
        forgiven)."""
        reference = self.cleaned_data["reference"].strip()
        entry = (
            self.round.entries.filter(
                application__state__in=ApplicationState.in_competition(),
                application__reference__iexact=reference,
            )
            .select_related("application")
            .first()
        )
        if entry is None:
            raise forms.ValidationError(
                _("Aucun dossier en compétition de ce tour n'a la référence « %(reference)s ».")
                % {"reference": reference}
            )
        return entry


class LoadsForm(forms.Form):
    """A minimum and a maximum per juror of the round, empty for the fair share."""

    def __init__(self, *args, jurors: list[Juror], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jurors = jurors
        for juror in jurors:
            for bound, label, current in (
                ("min", _("Minimum de dossiers pour %(name)s"), juror.capacity_min),
                ("max", _("Maximum de dossiers pour %(name)s"), juror.capacity_max),
            ):
                self.fields[f"{bound}-{juror.reference}"] = forms.IntegerField(
                    label=label % {"name": juror.full_name},
                    required=False,
                    min_value=0,
                    max_value=999,
                    initial=current,
                )

    def rows(self) -> list[tuple[Juror, forms.BoundField, forms.BoundField]]:
        return [
            (juror, self[f"min-{juror.reference}"], self[f"max-{juror.reference}"])
            for juror in self.jurors
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for juror in self.jurors:
            low = cleaned.get(f"min-{juror.reference}")
            high = cleaned.get(f"max-{juror.reference}")
            if low is not None and high is not None and low > high:
                self.add_error(
                    f"max-{juror.reference}",
                    _(
                        "Le maximum de %(name)s (%(high)s) doit être au moins égal à son "
                        "minimum (%(low)s)."
                    )
                    % {"name": juror.full_name, "high": high, "low": low},
                )
        return cleaned

    def bounds(self) -> dict[Juror, tuple[int | None, int | None]]:
        return {
            juror: (
                self.cleaned_data.get(f"min-{juror.reference}"),
                self.cleaned_data.get(f"max-{juror.reference}"),
            )
            for juror in self.jurors
        }
