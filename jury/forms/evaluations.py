"""The juror's evaluation form: for each criterion of the round a 0–5 choice or « insuffisant »
with a comment, then an overall comment. The domain checks the same rules (jury.domain.evaluations);
the form turns its refusals into errors on the right fields, so nothing typed is lost."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from contests.content_language import sentence_with_content
from contests.models import Criterion

from ..domain.evaluations import (
    INSUFFICIENT,
    SCORE_VALUES,
    CriterionMark,
    incomplete_message,
    insufficient_comment_message,
    stored_value,
)
from ..models import Evaluation

COMMENT_MAX = 5000
SCORE_CHOICES = [(value, value) for value in SCORE_VALUES] + [(INSUFFICIENT, _("Insuffisant"))]


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    score: forms.BoundField
    comment: forms.BoundField


class EvaluationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    overall_comment = forms.CharField(
        label=_("Appréciation générale"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Pour le jury et les organisateurs ; elle n'est pas envoyée au candidat."),
    )
    # Sending is final: without JavaScript, this box is the confirmation step.
    confirm = forms.BooleanField(
        label=_("Je confirme l'envoi : mon évaluation ne pourra plus être modifiée."),
        required=False,
        help_text=_("Seul le bouton « Envoyer l'évaluation » en tient compte."),
    )

    def __init__(
        self,
        data=None,
        *,
        criteria: list[Criterion],
        evaluation: Evaluation | None = None,
        submitting: bool = False,
        disabled: bool = False,
    ) -> None:
        self.criteria = criteria
        self.submitting = submitting
        initial = {"version": evaluation.version if evaluation else 0}
        stored = {}
        if evaluation is not None:
            initial["overall_comment"] = evaluation.overall_comment
            stored = {score.criterion_id: score for score in evaluation.scores.all()}
        super().__init__(data, initial=initial)
        for criterion in criteria:
            score = stored.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=sentence_with_content(
                    _("Note du critère « %(criterion)s »"), criterion=criterion.name
                ),
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=stored_value(score),
                help_text=_(
                    "De 0 (absent) à 5 (remarquable), ou « Insuffisant » avec un commentaire."
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=sentence_with_content(
                    _("Commentaire sur « %(criterion)s »"), criterion=criterion.name
                ),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=score.comment if score else "",
                help_text=_(
                    "Obligatoire si vous jugez le critère insuffisant. Si ce critère élimine le "
                    "dossier, votre commentaire est transmis mot pour mot au candidat (sans "
                    "votre nom)."
                ),
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def criterion_rows(self) -> list[CriterionRow]:
        return [
            CriterionRow(criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def clean(self):
        cleaned = super().clean()
        missing = []
        for criterion in self.criteria:
            value = cleaned.get(f"score_{criterion.pk}", "")
            comment = cleaned.get(f"comment_{criterion.pk}", "")
            if value == INSUFFICIENT and not comment.strip():
                self.add_error(
                    f"comment_{criterion.pk}", insufficient_comment_message(criterion.name)
                )
            if self.submitting and not value and f"score_{criterion.pk}" not in self.errors:
                missing.append(criterion.name)
                self.add_error(
                    f"score_{criterion.pk}", _("Choisissez une note ou « Insuffisant ».")
                )
        if self.submitting and not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                _(
                    "Cochez « Je confirme l'envoi » pour envoyer l'évaluation : rien n'est "
                    "envoyé sans cela, et votre saisie est conservée ci-dessous."
                ),
            )
        if missing:
            raise forms.ValidationError(incomplete_message(missing), code="incomplete")
        return cleaned

    def current_values(self) -> dict[int, str]:
        """Each criterion's value as the form shows it (typed, else stored)."""
        return {c.pk: self[f"score_{c.pk}"].value() or "" for c in self.criteria}

    def marks(self) -> dict[int, CriterionMark]:
        return {
            criterion.pk: CriterionMark(
                self.cleaned_data.get(f"score_{criterion.pk}", ""),
                self.cleaned_data.get(f"comment_{criterion.pk}", "").strip(),
            )
            for criterion in self.criteria
        }
