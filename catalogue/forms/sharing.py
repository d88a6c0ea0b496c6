"""Forms of the public palmarès: retour d'expérience, experience sharing, who did it."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from territories.domain import search_organisations
from territories.models import Organisation

from ..models import ExperienceShare

MESSAGE_MAX_LENGTH = 4000


class ExperienceShareForm(forms.ModelForm):
    class Meta:
        model = ExperienceShare
        fields = ["outcomes", "costs", "lessons", "reused_by"]
        help_texts = {
            "outcomes": _("Ce que le projet a changé : usages, chiffres, retours des habitants."),
            "costs": _("Budget, temps passé, équipes et prestataires mobilisés."),
            "lessons": _("Ce que vous referiez, ce que vous feriez autrement."),
            "reused_by": _("Les collectivités qui ont repris le projet ou s'en sont inspirées."),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class ExperienceRequestForm(forms.Form):
    """A message to a laureate, written for one of the writer's organisations or personally."""

    organisation = forms.ModelChoiceField(
        label=_("Vous écrivez pour"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("À titre personnel"),
        to_field_name="slug",
        help_text=_("La structure lauréate verra ce nom ; jamais votre adresse électronique."),
    )
    message = forms.CharField(
        label=_("Votre message"),
        min_length=20,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Présentez votre projet et vos questions. Vous pouvez y indiquer comment vous "
            "joindre si vous le souhaitez."
        ),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        if organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]


class ExperienceAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Votre réponse"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Elle sera transmise par courriel, sans votre adresse électronique."),
    )


class WhoDidItForm(forms.Form):
    """A need and the organisation it is for: typed (name or code), picked, or the user's own.

    `organisation` (a slug) is what the links to other candidates set; it only counts while it
    is one of the candidates for what `structure` says, so editing `structure` wins over it.
    """

    besoin = forms.CharField(
        label=_("Votre besoin"),
        max_length=300,
        help_text=_(
            "En quelques mots, par exemple « sensibiliser les agents au numérique responsable »."
        ),
    )
    structure = forms.CharField(
        label=_("Pour quelle structure ?"),
        max_length=200,
        required=False,
        help_text=_("Nom, code INSEE, numéro SIREN ou code postal."),
    )
    organisation = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, own_organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.own_organisations = own_organisations
        self.chosen: Organisation | None = None
        self.alternatives: list[Organisation] = []
        if own_organisations:
            self.fields["structure"].help_text = _(
                "Nom, code INSEE, numéro SIREN ou code postal. Laissez vide pour votre "
                "structure : %(name)s."
            ) % {"name": own_organisations[0].name}

    def clean(self):
        cleaned = super().clean()
        query = cleaned.get("structure", "").strip()
        if query:
            candidates = list(search_organisations(query, limit=10))
            if not candidates:
                self.add_error(
                    "structure",
                    _(
                        "Aucune structure ne correspond à « %(query)s ». Essayez une autre "
                        "orthographe, un code INSEE, un numéro SIREN ou un code postal."
                    )
                    % {"query": query},
                )
                return cleaned
        elif self.own_organisations:
            candidates = self.own_organisations
        else:
            self.add_error(
                "structure",
                _("Indiquez une structure : son nom ou son code (INSEE, SIREN, code postal)."),
            )
            return cleaned
        picked = cleaned.get("organisation")
        self.chosen = next((o for o in candidates if o.slug == picked), candidates[0])
        self.alternatives = [o for o in candidates if o != self.chosen]
        return cleaned
