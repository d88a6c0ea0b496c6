from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import OrganisationKind
from .models import Organisation
from .search import query_problem
from .validators import normalise_siren, validate_siren


class OrganisationSearchForm(forms.Form):
    """The referential search of the structure list and of the attachment page."""

    # No max_length (nor maxlength, which would cut a pasted text silently): query_problem says
    # what is wrong with a query, in the same words on the three forms that search.
    q = forms.CharField(
        label=_("Nom, code INSEE, SIREN ou code postal"),
        required=False,
        help_text=_(
            "Par exemple : Commune de Brest, Département du Finistère, CD 35, Rennes Métropole, "
            "29200 ou 200 067 213."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if problem := query_problem(query):
            raise forms.ValidationError(problem, code="search_query")
        return query


class OrganisationCreateForm(forms.Form):
    """A body that is not in the official referential; `cleaned_data` feeds create_organisation."""

    kind = forms.ChoiceField(label=_("Nature"), choices=OrganisationKind.added_kinds)
    name = forms.CharField(label=_("Nom"), max_length=200)
    siren = forms.CharField(
        label=_("Numéro SIREN"),
        max_length=20,
        help_text=_("9 chiffres, espaces acceptés (ex. : 200 067 213)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    departement = forms.CharField(
        label=_("Département (facultatif)"),
        max_length=3,
        required=False,
        help_text=_("Son code, par exemple 35 pour l'Ille-et-Vilaine ou 2A pour la Corse-du-Sud."),
    )
    commune = forms.CharField(
        label=_("Commune (facultatif)"),
        max_length=5,
        required=False,
        help_text=_(
            "Son code INSEE (5 caractères, par exemple 35238 pour Rennes), qui n'est pas "
            "son code postal. Le département et la région en sont déduits."
        ),
    )
    website = forms.URLField(
        label=_("Site web (facultatif)"), required=False, assume_scheme="https"
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_siren(self) -> str:
        typed = self.cleaned_data["siren"]
        validate_siren(typed)  # its messages quote what was typed, spaces included
        siren = normalise_siren(typed)
        holder = Organisation.objects.filter(siren=siren).first()
        if holder is not None:
            raise forms.ValidationError(
                _("Ce numéro SIREN est déjà celui de « %(name)s ». Cette structure existe déjà."),
                code="siren_taken",
                params={"name": holder.name},
            )
        return siren

    def clean_departement(self) -> Organisation | None:
        code = self.cleaned_data["departement"].strip().upper()
        if not code:
            return None
        if len(code) == 1 and code.isdigit():
            code = f"0{code}"  # "1" means the Ain, "01"
        departement = Organisation.objects.filter(
            kind=OrganisationKind.DEPARTEMENT, insee_code=code, from_referential=True
        ).first()
        if departement is None:
            raise forms.ValidationError(
                _("Aucun département ne porte le code « %(code)s »."),
                code="unknown_departement",
                params={"code": code},
            )
        return departement

    def clean_commune(self) -> Organisation | None:
        code = self.cleaned_data["commune"].strip().upper()
        if not code:
            return None
        commune = (
            Organisation.objects.filter(
                kind=OrganisationKind.COMMUNE, insee_code=code, from_referential=True
            )
            .select_related("departement__region")
            .first()
        )
        if commune is None:
            raise forms.ValidationError(
                _(
                    "Aucune commune actuelle ne porte le code INSEE « %(code)s ». Le code INSEE "
                    "n'est pas le code postal : cherchez la commune dans le référentiel."
                ),
                code="unknown_commune",
                params={"code": code},
            )
        return commune

    def clean(self) -> dict:
        cleaned = super().clean()
        departement, commune = cleaned.get("departement"), cleaned.get("commune")
        if departement and commune and commune.departement_id != departement.pk:
            self.add_error(
                "commune",
                forms.ValidationError(
                    _("La commune %(commune)s n'est pas dans le département %(departement)s."),
                    code="commune_outside_departement",
                    params={"commune": commune.name, "departement": departement.name},
                ),
            )
        return cleaned
