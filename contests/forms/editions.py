"""Organiser forms: an edition, and the rows of an edition (themes, criteria, levels, phases).

The levels' rows, with their rules, are in levels.py."""

from itertools import pairwise

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from ..content_language import ContentTextarea, ContentTextInput
from ..domain import ForumDetails, ensure_year_free
from ..enums import PhaseKind
from ..models import Contest, Criterion, Edition, Phase, Theme
from ..phases import VALUES, PhaseRow

YEAR_MIN, YEAR_MAX = 2000, 2100


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Année"), min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class EditionCreateForm(forms.Form):
    year = year_field()
    with_defaults = forms.BooleanField(
        label=_("Reprendre les niveaux et les critères du concours, et le calendrier par défaut"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        ensure_year_free(self.contest, year)
        return year


class EditionCopyForm(forms.Form):
    year = year_field(help_text=_("Année de la nouvelle édition."))

    def __init__(self, *args, source: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        ensure_year_free(self.source.contest, year)
        return year


FORUM_FIELDS = ("forum_city", "forum_venue", "forum_starts_on", "forum_ends_on")


class EditionForm(forms.ModelForm):
    """An edition's own fields, plus its Forum (stored on an Event of kind forum)."""

    year = year_field()
    forum_city = forms.CharField(label=_("Ville de la cérémonie"), max_length=120, required=False)
    forum_venue = forms.CharField(label=_("Lieu de la cérémonie"), max_length=200, required=False)
    forum_starts_on = forms.DateField(
        label=_("Premier jour de la cérémonie"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    forum_ends_on = forms.DateField(
        label=_("Dernier jour de la cérémonie"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Edition
        fields = [
            "year",
            "max_video_minutes",
            "max_file_megabytes",
            "max_dossier_megabytes",
            "elimination_rule",
            "applications_count",
            "auditioned_count",
            "laureates_count",
            "gold_count",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        # Said of any contest: its best level is not « or » everywhere (the field's name stays).
        labels = {"gold_count": _("Lauréats du plus haut niveau")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        forum = self.instance.forum
        if forum is not None:
            self.initial.update(
                forum_city=forum.city,
                forum_venue=forum.venue,
                forum_starts_on=forum.starts_on,
                forum_ends_on=forum.ends_on,
            )
        for name in ("max_video_minutes", "max_file_megabytes", "max_dossier_megabytes"):
            self.fields[name].widget.attrs["min"] = 1

    def clean_max_video_minutes(self) -> int:
        minutes = self.cleaned_data["max_video_minutes"]
        if minutes < 1:
            raise ValidationError(_("La vidéo doit pouvoir durer au moins une minute."))
        return minutes

    def clean_max_file_megabytes(self) -> int:
        megabytes = self.cleaned_data["max_file_megabytes"]
        if megabytes < 1:
            raise ValidationError(_("Une pièce jointe doit pouvoir peser au moins 1 Mo."))
        return megabytes

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        ensure_year_free(self.instance.contest, year, edition=self.instance)
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        per_file, per_dossier = (
            cleaned.get("max_file_megabytes"),
            cleaned.get("max_dossier_megabytes"),
        )
        if per_file and per_dossier is not None and per_dossier < per_file:
            self.add_error(
                "max_dossier_megabytes",
                _(
                    "La limite par dossier ne peut pas être inférieure "
                    "à la limite par pièce jointe."
                ),
            )
        starts_on, ends_on = cleaned.get("forum_starts_on"), cleaned.get("forum_ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "forum_ends_on",
                _("Le dernier jour de la cérémonie ne peut pas précéder le premier."),
            )
        return cleaned

    def edition_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in FORUM_FIELDS]

    def forum_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FORUM_FIELDS]

    def forum_details(self) -> ForumDetails:
        return ForumDetails(
            city=self.cleaned_data["forum_city"],
            venue=self.cleaned_data["forum_venue"],
            starts_on=self.cleaned_data["forum_starts_on"],
            ends_on=self.cleaned_data["forum_ends_on"],
        )


class RowForm(forms.ModelForm):
    """One row of an edition's formset.

    Uniqueness within the edition is checked by the formset over the submitted rows (which are all
    of the edition's rows), not row by row against the database: checking each row against the
    stored values would refuse a swap (or ↔ argent ranks) that the whole submission makes valid.
    """

    def validate_unique(self) -> None:
        pass

    def validate_constraints(self) -> None:
        # The model's check constraints are repeated as field validation with French messages.
        pass


class ThemeForm(RowForm):
    class Meta:
        model = Theme
        fields = ["name", "slug", "description", "position"]
        widgets = {"name": ContentTextInput, "description": ContentTextarea(attrs={"rows": 2})}
        help_texts = {"slug": _("Laissez vide pour le déduire du nom.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:120]
        return cleaned


class CriterionForm(RowForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "eliminatory", "position"]
        widgets = {"name": ContentTextInput, "description": ContentTextarea(attrs={"rows": 2})}

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError(_("Le poids doit être strictement positif."), code="weight")
        return weight


class PhaseForm(RowForm):
    class Meta:
        model = Phase
        fields = [
            "kind",
            "starts_at",
            "may_apply",
            "may_score",
            "may_see_other_scores",
            "may_publish",
            "results_public",
        ]
        field_classes = {"starts_at": forms.DateTimeField}
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }
        help_texts = {"starts_at": _("La phase dure jusqu'au début de la suivante.")}


class EditionRowsFormSet(BaseInlineFormSet):
    """Rows of one edition, with uniqueness checked over the submission and swap-safe saving."""

    # field name → message shown on a row that repeats another row's value
    unique_messages: dict[str, str] = {}
    # message when deleting a row that awards point at (levels, themes); None if nothing does
    protected_message: str | None = None

    def kept_forms(self) -> list[forms.ModelForm]:
        """Rows that will exist after saving: stored or filled in, and not marked for deletion."""
        return [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not self._should_delete_form(form)
        ]

    def rows_to_delete(self) -> list[forms.ModelForm]:
        # Not self.deleted_forms: it is empty while any row is invalid.
        return [form for form in self.initial_forms if self._should_delete_form(form)]

    def clean(self) -> None:
        # Not super().clean(): its uniqueness check has generic messages naming code fields.
        for field, message in self.unique_messages.items():
            seen: set = set()
            for form in self.kept_forms():
                value = form.cleaned_data.get(field)
                if value in (None, ""):
                    continue
                key = value.strip().casefold() if isinstance(value, str) else value
                if key in seen:
                    form.add_error(field, message)
                seen.add(key)
        if self.protected_message:
            for form in self.rows_to_delete():
                if form.instance.pk and form.instance.awards.exists():
                    raise ValidationError(
                        self.protected_message, params={"name": form.instance}, code="protected"
                    )

    @transaction.atomic
    def save(self, commit: bool = True) -> None:
        """Delete, then update, then add rows, stepping unique values aside before updating.

        Updated rows first get placeholder values in their unique fields, so that two rows
        exchanging values (ranks, names) never collide with a unique constraint midway.
        """
        if not commit:
            raise ValueError("Edition rows are saved together, in one transaction.")
        deleted = self.rows_to_delete()
        for form in deleted:
            form.instance.delete()
        changed = [
            form for form in self.initial_forms if form not in deleted and form.has_changed()
        ]
        for index, form in enumerate(changed):
            placeholders = {name: self._placeholder(name, index) for name in self.unique_messages}
            self.model.objects.filter(pk=form.instance.pk).update(**placeholders)
        for form in changed:
            self.save_existing(form, form.instance)
        for form in self.extra_forms:
            if form.has_changed() and not self._should_delete_form(form):
                self.save_new(form)

    def _placeholder(self, name: str, index: int):
        field = self.model._meta.get_field(name)
        return 32767 - index if isinstance(field, models.IntegerField) else f"~{index}"


class ThemeFormSet(EditionRowsFormSet):
    unique_messages = {
        "name": _("Un autre thème porte déjà ce nom."),
        "slug": _("Un autre thème a déjà cet identifiant d'adresse."),
    }
    protected_message = _("Le thème « %(name)s » a des lauréats : il ne peut pas être supprimé.")


class CriterionFormSet(EditionRowsFormSet):
    unique_messages = {"name": _("Un autre critère porte déjà ce nom.")}


class PhaseFormSet(EditionRowsFormSet):
    """The phases page. Not saved by itself: its rows go to contests.phases.set_phases, which
    logs every change."""

    unique_messages = {"kind": _("Cette phase figure déjà dans la liste.")}

    def phase_rows(self) -> list[PhaseRow]:
        """The phases as submitted (valid formset): rows kept, new rows filled in."""
        return [
            PhaseRow(
                PhaseKind(form.cleaned_data["kind"]),
                **{name: form.cleaned_data[name] for name in VALUES},
            )
            for form in self.kept_forms()
        ]

    def save(self, commit: bool = True) -> None:
        raise NotImplementedError("Phases change through contests.phases.set_phases.")

    def clean(self) -> None:
        super().clean()
        # The call is published from its checklist (contests.call.open_call), which refuses while
        # something is missing: ticking « dépôt des candidatures » here must not bypass it.
        if not self.instance.phases.filter(may_apply=True).exists():
            for form in self.kept_forms():
                if form.cleaned_data.get("may_apply"):
                    form.add_error(
                        "may_apply",
                        ValidationError(
                            _(
                                "L'appel à candidatures n'est pas encore ouvert : ouvrez-le "
                                "depuis sa page « Appel à candidatures », qui vérifie qu'il "
                                "est complet."
                            ),
                            code="unpublished",
                        ),
                    )
        # Phases must start in lifecycle order (draft < applications open < …).
        order = list(PhaseKind)
        # (kind, start, form), read before any error is added: add_error drops the field's value.
        dated = sorted(
            (
                (PhaseKind(form.cleaned_data["kind"]), form.cleaned_data["starts_at"], form)
                for form in self.kept_forms()
                if form.cleaned_data.get("kind") and form.cleaned_data.get("starts_at")
            ),
            key=lambda row: order.index(row[0]),
        )
        for (previous_kind, previous_start, _form), (_kind, start, form) in pairwise(dated):
            if start <= previous_start:
                form.add_error(
                    "starts_at",
                    ValidationError(
                        _("Cette phase doit commencer après « %(previous)s » (%(date)s)."),
                        code="order",
                        params={
                            "previous": previous_kind.label,
                            "date": date_format(localtime(previous_start), "SHORT_DATETIME_FORMAT"),
                        },
                    ),
                )


def _rows_formset(model, form, formset):
    return inlineformset_factory(
        Edition, model, form=form, formset=formset, extra=1, can_delete=True
    )


ThemeRows = _rows_formset(Theme, ThemeForm, ThemeFormSet)
CriterionRows = _rows_formset(Criterion, CriterionForm, CriterionFormSet)
PhaseRows = inlineformset_factory(
    Edition,
    Phase,
    form=PhaseForm,
    formset=PhaseFormSet,
    extra=1,
    can_delete=True,
    max_num=len(PhaseKind),
    validate_max=True,
)
