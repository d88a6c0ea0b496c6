"""The form an applicant fills to declare their company (accounts.companies.declare_company)."""

import re

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.text import fold
from territories.validators import normalise_siren, validate_siren

# A commune's INSEE code ("35238", Corsica "2A004") or a postcode followed by a name.
_CODE = re.compile(r"^\d[\dAB]\d{3}$")
_POSTCODE_AND_NAME = re.compile(r"^(\d{5})\s+(.+)$")
# How many homonyms a message lists before « … ».
_LISTED = 5


def _communes() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.COMMUNE, from_referential=True
    ).select_related("departement__region")


def _with_postcode(postcode: str) -> QuerySet[Organisation]:
    # Postcodes are stored space-separated ("35000 35200 35700").
    return _communes().filter(
        Q(postcodes=postcode)
        | Q(postcodes__startswith=f"{postcode} ")
        | Q(postcodes__endswith=f" {postcode}")
        | Q(postcodes__contains=f" {postcode} ")
    )


def _names(communes: list[Organisation]) -> str:
    listed = ", ".join(f"{c.name} ({c.insee_code})" for c in communes[:_LISTED])
    return listed + (", …" if len(communes) > _LISTED else "")


class CompanyForm(forms.Form):
    """Name, SIREN (Luhn), optional commune of the head office, optional website."""

    name = forms.CharField(
        label=_("Nom de l'entreprise"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    siren = forms.CharField(
        label=_("Numéro SIREN"),
        max_length=20,
        help_text=_("9 chiffres, espaces acceptés (ex. : 732 829 320)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    commune = forms.CharField(
        label=_("Commune du siège (facultatif)"),
        max_length=120,
        required=False,
        help_text=_(
            "Son code INSEE (par exemple 35238 pour Rennes), ou son code postal suivi de son "
            "nom (par exemple « 35000 Rennes »). Elle situe l'entreprise dans sa région, pour "
            "les sélections régionales."
        ),
    )
    website = forms.URLField(
        label=_("Site web (facultatif)"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_siren(self) -> str:
        typed = self.cleaned_data["siren"]
        validate_siren(typed)  # French messages quoting what was typed, spaces included
        return normalise_siren(typed)

    def clean_commune(self) -> Organisation | None:
        typed = " ".join(self.cleaned_data["commune"].split())
        if not typed:
            return None
        compact = typed.upper()
        if _CODE.match(compact):
            commune = _communes().filter(insee_code=compact).first()
            if commune is not None:
                return commune
            if compact.isdigit():
                # Not an INSEE code: perhaps a postcode alone, fine when one commune has it.
                return self._by_postcode(compact, name="", typed=typed)
            raise self._unknown(typed)
        match = _POSTCODE_AND_NAME.match(typed)
        if match is None:
            raise forms.ValidationError(
                _(
                    "Saisissez le code INSEE de la commune (5 caractères) ou son code postal "
                    "suivi de son nom, par exemple « 35000 Rennes » (vous avez saisi "
                    "« %(value)s »)."
                ),
                code="commune_format",
                params={"value": typed},
            )
        return self._by_postcode(match.group(1), name=match.group(2), typed=typed)

    def _by_postcode(self, postcode: str, *, name: str, typed: str) -> Organisation:
        candidates = list(_with_postcode(postcode).order_by("search_name", "insee_code"))
        if name:
            folded = fold(name)
            exact = [c for c in candidates if c.search_name == folded]
            candidates = exact or [c for c in candidates if folded in c.search_name]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise self._unknown(typed)
        raise forms.ValidationError(
            _(
                "Plusieurs communes correspondent à « %(value)s » : %(communes)s. Saisissez "
                "le code INSEE de la vôtre (entre parenthèses)."
            ),
            code="commune_ambiguous",
            params={"value": typed, "communes": _names(candidates)},
        )

    def _unknown(self, typed: str) -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "Aucune commune du référentiel ne correspond à « %(value)s ». Vérifiez le code "
                "INSEE, ou saisissez le code postal suivi du nom de la commune."
            ),
            code="unknown_commune",
            params={"value": typed},
        )
