"""Applicant forms: choosing the lead organisation, and the dossier form.

The dossier form is built for one edition: one field per criterion and one per extra question.
Every field is optional while drafting (completeness is judged at submission by
`domain.missing_for_submission`), so a draft can always be saved, whatever its state.
"""

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from territories.models import Organisation

from .domain import CONTENT_FIELDS, DraftChanges
from .enums import QuestionKind
from .models import Application, Question

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeadOrganisationForm(forms.Form):
    """The structure that leads a new dossier: `organisations` are those the user may lead
    with in this edition (`domain.lead_organisations`: confirmed memberships whose nature the
    contest accepts); `domain.create_application` checks the nature again."""

    organisation = forms.ModelChoiceField(
        label=_("Structure porteuse du dossier"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_(
            "Les membres confirmés de cette structure pourront lire et modifier le dossier."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _criterion_key(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


def _question_key(question_id: int) -> str:
    return f"question_{question_id}"


def _question_field(question: Question, upload_validators: list) -> forms.Field:
    """A form field for an extra question of the edition, by its kind."""
    # Django prints help texts unescaped; organisers' texts are data, not markup.
    common = {"label": question.label, "help_text": escape(question.help_text), "required": False}
    choices = [(choice, choice) for choice in question.choice_list]
    match question.kind:
        case QuestionKind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
        case QuestionKind.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=[("", _("— Choisir —")), *choices], widget=forms.Select, **common
            )
        case QuestionKind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case QuestionKind.NUMBER:
            return forms.DecimalField(max_digits=14, decimal_places=2, **common)
        case QuestionKind.FILE:
            return forms.FileField(validators=upload_validators, **common)
        case _:
            return forms.CharField(max_length=1000, **common)


def _upload_validators(edition) -> list:
    """The content-based check of applications.uploads (PDF or image, size limit of the
    edition), the same the attachments page applies."""
    from .uploads import MEGABYTE, validate_document

    def validate(uploaded) -> None:
        validate_document(uploaded, max_bytes=edition.max_file_megabytes * MEGABYTE)

    return [validate]


class ApplicationForm(forms.ModelForm):
    """The whole dossier as its applicants edit it, with the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The partners (co-porteurs), by slug, as hidden inputs the add / remove buttons change.
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    # No max_length: a long search must not block saving the dossier; the search explains.
    partner_query = forms.CharField(
        label=_("Chercher une structure partenaire"),
        help_text=_("Nom, code INSEE, SIREN ou code postal."),
        required=False,
    )

    class Meta:
        model = Application
        fields = CONTENT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "funding": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "started_on": DATE_INPUT,
            "deployed_on": DATE_INPUT,
        }
        help_texts = {
            "summary": _("500 caractères au plus ; il présente le projet en quelques phrases."),
            "started_on": _("Pour un projet en expérimentation ou déployé."),
            "deployed_on": _("Pour un projet déployé."),
            "budget_euros": _("Facultatif. En euros, par exemple 25000."),
            "funding": _("Facultatif. Fonds propres, subventions, partenaires financeurs…"),
            "repository_url": _("Facultatif. Adresse du dépôt si le code est publié."),
            "licence": _("Facultatif. Par exemple : EUPL 1.2, AGPL 3.0, MIT."),
        }

    def __init__(self, *args, application: Application, **kwargs):
        kwargs.setdefault("instance", application)
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", application.version)
        super().__init__(*args, **kwargs)
        self.application = application
        edition = application.edition
        self.fields["theme"].queryset = edition.themes.all()
        self.fields["theme"].to_field_name = "slug"
        self.fields["theme"].empty_label = _("— Choisir un thème —")
        self.criteria = list(edition.criteria.all())
        self.questions = list(edition.questions.all())
        if not self.is_bound:
            self._set_initial_answers()
            # The instance gives the theme's id; the field is keyed by slug.
            self.initial["theme"] = application.theme.slug if application.theme_id else None
        for criterion in self.criteria:
            self.fields[_criterion_key(criterion.pk)] = forms.CharField(
                label=criterion.name,
                help_text=escape(criterion.description),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        validators = _upload_validators(edition)
        for question in self.questions:
            self.fields[_question_key(question.pk)] = _question_field(question, validators)

    def _set_initial_answers(self) -> None:
        application = self.application
        self.initial["partners"] = [
            partner.organisation.slug
            for partner in application.application_partners.select_related("organisation")
        ]
        for answer in application.criterion_answers.all():
            self.initial[_criterion_key(answer.criterion_id)] = answer.text
        for answer in application.answers.select_related("question"):
            value: object = answer.value
            if answer.question.kind == QuestionKind.MULTIPLE_CHOICE:
                value = answer.value.splitlines()
            self.initial[_question_key(answer.question_id)] = value

    # Groups of fields, in the order of the page (the template renders each group as a fieldset).
    def _group(self, names: list[str]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def project_fields(self) -> list[forms.BoundField]:
        return self._group(["theme", "title", "summary", "description"])

    def criterion_fields(self) -> list[forms.BoundField]:
        return self._group([_criterion_key(criterion.pk) for criterion in self.criteria])

    def stage_fields(self) -> list[forms.BoundField]:
        return self._group(["project_stage", "started_on", "deployed_on"])

    def means_fields(self) -> list[forms.BoundField]:
        return self._group(
            ["budget_euros", "funding", "audience", "indicators", "repository_url", "licence"]
        )

    def contact_fields(self) -> list[forms.BoundField]:
        return self._group(["contact_name", "contact_email", "contact_phone"])

    def question_fields(self) -> list[forms.BoundField]:
        return self._group([_question_key(question.pk) for question in self.questions])

    def changes(self, *, with_files: bool = True) -> DraftChanges:
        """The cleaned data in the shape `domain.save_draft` expects."""
        data = self.cleaned_data
        changes: dict = {name: data[name] for name in CONTENT_FIELDS}
        changes["partners"] = list(data["partners"])
        changes["criterion_answers"] = {
            criterion.pk: data[_criterion_key(criterion.pk)] for criterion in self.criteria
        }
        answers: dict[int, object] = {}
        for question in self.questions:
            value = data.get(_question_key(question.pk))
            if question.kind == QuestionKind.FILE:
                if value and with_files:
                    answers[question.pk] = value
                continue
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                value = "\n".join(value or [])
            answers[question.pk] = "" if value is None else str(value)
        changes["answers"] = answers
        return changes  # type: ignore[return-value]

    def differences(self, current: Application) -> list[tuple[str, str]]:
        """(label, value saved by someone else) for the content fields where the stored
        dossier differs from what this form holds: what the user should re-read."""
        different = []
        for name in CONTENT_FIELDS:
            if name not in self.cleaned_data:
                continue
            mine = self.cleaned_data[name]
            theirs = getattr(current, name)
            if (mine or None) != (theirs or None):
                label = str(self.fields[name].label)
                shown = str(theirs) if theirs not in (None, "") else str(_("(vide)"))
                different.append((label, shown if len(shown) <= 200 else shown[:199] + "…"))
        stored_answers = dict(current.criterion_answers.values_list("criterion_id", "text"))
        for criterion in self.criteria:
            mine = self.cleaned_data.get(_criterion_key(criterion.pk), "")
            theirs = stored_answers.get(criterion.pk, "")
            if mine != theirs:
                shown = theirs or str(_("(vide)"))
                different.append(
                    (criterion.name, shown if len(shown) <= 200 else shown[:199] + "…")
                )
        return different


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du retrait (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme le retrait de ce dossier ; il ne pourra plus être déposé."),
        required=True,
    )
