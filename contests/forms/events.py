"""Forms of events: the public list's filters, and the organisers' form of a Forum or a stage."""

from django import forms
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind
from territories.models import Organisation

from ..enums import EventKind
from ..models import Event

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The fields each kind of event has, in the form's order (docs/architecture.md: a Forum hands
# out the labels, a stage hosts regional selections on a theme of the day).
FIELDS_BY_KIND = {
    EventKind.FORUM: (
        "name",
        "city",
        "venue",
        "starts_on",
        "ends_on",
        "participants",
        "programme",
    ),
    EventKind.STAGE: ("name", "region", "city", "starts_on", "ends_on", "theme"),
}


class EventFilterForm(forms.Form):
    """The GET filters of /evenements/: a kind and a year (among those of the events)."""

    kind = forms.ChoiceField(
        label=_("Type d'événement"),
        required=False,
        choices=[("", _("Tous les types")), *EventKind.choices],
    )
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes les années"))] + [
            (str(year), str(year)) for year in years
        ]

    def filters(self) -> dict[str, object]:
        """The valid filters as queryset lookups; a wrong value is left out (and shown)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        lookups: dict[str, object] = {}
        if cleaned.get("kind"):
            lookups["kind"] = cleaned["kind"]
        if cleaned.get("year"):
            lookups["starts_on__year"] = cleaned["year"]
        return lookups


class EventForm(forms.ModelForm):
    """A Forum or a stage as organisers edit it; the fields are those of `kind`."""

    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.REGION, from_referential=True
        ).order_by("name"),
        empty_label=_("Choisissez une région"),
    )

    class Meta:
        model = Event
        fields = sorted({name for names in FIELDS_BY_KIND.values() for name in names})
        labels = {
            "name": _("Nom de l'événement"),
            "starts_on": _("Premier jour"),
            "ends_on": _("Dernier jour"),
            "theme": _("Thème de l'étape"),
            "participants": _("Nombre de participants"),
        }
        help_texts = {
            "name": _(
                "Tel qu'il sera affiché, par exemple « Étape Occitanie » ou « Cérémonie 2027 »."
            ),
            "ends_on": _("Laissez vide pour un événement d'un seul jour."),
            "theme": _("Par exemple « Mobilité » ou « Données ». Facultatif."),
            "programme": _("Séparez les paragraphes par une ligne vide."),
        }
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "programme": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = EventKind(kind)
        self.instance.kind = self.kind
        wanted = FIELDS_BY_KIND[self.kind]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        # Every event is somewhere on some day: its page and its .ics need both.
        for name in ("city", "starts_on"):
            self.fields[name].required = True
        self.fields["city"].error_messages["required"] = _("Indiquez la ville de l'événement.")
        self.fields["starts_on"].error_messages["required"] = _(
            "Indiquez le premier jour de l'événement."
        )
        self.fields["name"].error_messages["required"] = _("Indiquez le nom de l'événement.")
        if "region" in self.fields:
            self.fields["region"].error_messages["required"] = _("Choisissez la région de l'étape.")

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                _("Le dernier jour (%(end)s) ne peut pas précéder le premier (%(start)s).")
                % {"end": ends_on.strftime("%d/%m/%Y"), "start": starts_on.strftime("%d/%m/%Y")},
            )
        return cleaned
