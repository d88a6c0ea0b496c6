"""Forms of the auditions pages: a session, the jurors present at it, a dossier's availabilities.
Jurors and sessions are chosen by their public UUID, never by database id."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AuditionSession, Juror

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.ModelForm):
    class Meta:
        model = AuditionSession
        fields = ["name", "starts_at", "ends_at", "video_link"]
        field_classes = {"starts_at": forms.DateTimeField, "ends_at": forms.DateTimeField}
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}
        help_texts = {
            "name": _("Par exemple « Séance 1 – mardi matin »."),
            "video_link": _("Adresse de la visioconférence, envoyée avec les invitations."),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("La fin de la séance doit suivre son début."))
        return cleaned


class JurorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Juror) -> str:
        return f"{obj.full_name} ({obj.institution_label})"


class AttendanceForm(forms.Form):
    """The jurors present at one session (accepted jurors of the round)."""

    jurors = JurorChoiceField(
        label=_("Jurés présents"),
        queryset=Juror.objects.none(),
        to_field_name="reference",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, jurors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = jurors


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AuditionSession) -> str:
        starts, ends = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        return _("%(name)s – le %(date)s de %(start)s à %(end)s") % {
            "name": obj.name,
            "date": starts.strftime("%d/%m/%Y"),
            "start": starts.strftime("%H:%M"),
            "end": ends.strftime("%H:%M"),
        }


class AvailabilityForm(forms.Form):
    sessions = SessionChoiceField(
        label=_("Séances auxquelles vous pouvez participer"),
        queryset=AuditionSession.objects.none(),
        to_field_name="reference",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez toutes celles qui vous conviennent : le planning en tient compte."),
    )

    def __init__(self, *args, sessions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions


class AvailabilityRequestForm(forms.Form):
    deadline = forms.DateField(
        label=_("Réponse attendue avant le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date limite de réponse des candidats."),
            "invalid": _("Indiquez une date valide, par exemple 2026-06-30."),
        },
    )
