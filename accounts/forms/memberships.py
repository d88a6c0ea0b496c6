"""Forms of the membership pages: ask to join a structure, decide a request, verify a domain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from territories.models import Organisation

from ..enums import MembershipState
from ..models import VerifiedDomain
from ..validators import normalise_domain, validate_verifiable_domain


class MembershipRequestForm(forms.Form):
    """The structure someone asks to join, named by its public slug (a hidden field)."""

    organisation = forms.SlugField(widget=forms.HiddenInput)

    def clean_organisation(self) -> Organisation:
        organisation = Organisation.objects.filter(slug=self.cleaned_data["organisation"]).first()
        if organisation is None:
            raise forms.ValidationError(
                _("Cette structure n'existe pas ou plus. Recherchez-la à nouveau."),
                code="unknown_organisation",
            )
        return organisation


class MembershipFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous les états")), *MembershipState.choices],
        required=False,
    )


class MembershipDecisionForm(forms.Form):
    """Confirm or refuse; a refusal may say why (the member reads it in the email)."""

    decision = forms.ChoiceField(
        choices=[
            (MembershipState.CONFIRMED, _("Confirmer")),
            (MembershipState.REJECTED, _("Refuser")),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Motif du refus (facultatif)"),
        help_text=_("Il figurera dans le courriel envoyé à la personne."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifiedDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Domaine des adresses de la structure"),
        max_length=253,
        help_text=_(
            "La partie après « @ » des adresses de ses agents, par exemple ville-epernay.fr. "
            "Les personnes qui demanderont à s'y rattacher avec une adresse confirmée de ce "
            "domaine seront rattachées sans attendre."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["domain"])
        validate_verifiable_domain(domain)
        if VerifiedDomain.objects.filter(organisation=self.organisation, domain=domain).exists():
            raise forms.ValidationError(
                _("Le domaine %(domain)s est déjà vérifié pour cette structure."),
                code="already_verified",
                params={"domain": domain},
            )
        return domain
