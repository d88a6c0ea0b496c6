"""Organiser forms of a contest: its own fields, its default levels and its default criteria.

A contest is its organisers' own: nothing here names a particular contest, its levels or its
criteria. A new edition starts with the defaults set here (contests.domain.create_edition).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind

from ..content_language import ContentTextarea, ContentTextInput
from ..logos import LogoError, check_logo
from ..models import Contest, ContestCriterion, ContestLevel
from .editions import CriterionForm, CriterionFormSet
from .levels import LevelForm, LevelFormSet

# Words of the organisers' addresses under concours/ that a contest's slug would shadow.
RESERVED_SLUGS = frozenset({"nouveau"})


class ContestForm(forms.ModelForm):
    """Name, who awards it, who may apply, what it uses and what it calls its events."""

    lead_kinds = forms.MultipleChoiceField(
        label=_("Natures de structure pouvant porter un dossier"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toute structure peut porter un dossier."),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = Contest
        fields = [
            "name",
            "article",
            "short_name",
            "slug",
            "description",
            "applicant_kinds",
            "lead_kinds",
            "awarder_name",
            "awarder_website",
            "awarder_contact",
            "awarder_logo",
            "uses_themes",
            "uses_regional_rounds",
            "uses_auditions",
            "ceremony_name",
            "regional_stage_name",
        ]
        # A plain file field: contests.logos checks the content, with messages of its own.
        field_classes = {"awarder_logo": forms.FileField}
        widgets = {
            "name": ContentTextInput,
            "description": ContentTextarea(attrs={"rows": 4}),
            "awarder_logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "slug": _("Dans les adresses des pages du concours : minuscules, chiffres et tirets."),
            "awarder_logo": _("PNG, JPEG ou WebP, 500 Ko au plus, 2000 pixels de côté au plus."),
            "ceremony_name": _(
                "Le nom de l'événement où les résultats sont annoncés. Vide : « cérémonie »."
            ),
            "regional_stage_name": _(
                "Le nom des journées régionales qui accueillent les sélections, s'il y en a."
            ),
        }

    # The fields of each fieldset of the page, in order.
    SECTIONS = (
        (_("Le concours"), ("name", "article", "short_name", "slug", "description")),
        (
            _("Qui le décerne"),
            ("awarder_name", "awarder_website", "awarder_contact", "awarder_logo", "remove_logo"),
        ),
        (_("Qui peut candidater"), ("applicant_kinds", "lead_kinds")),
        (
            _("Son déroulement"),
            (
                "uses_themes",
                "uses_regional_rounds",
                "uses_auditions",
                "ceremony_name",
                "regional_stage_name",
            ),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The slug is in every public address and file of the contest: fixed once created.
            del self.fields["slug"]
        if not self.instance.awarder_logo:
            del self.fields["remove_logo"]

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("« %(slug)s » est réservé : choisissez un autre identifiant."),
                code="reserved",
                params={"slug": slug},
            )
        return slug

    def clean_awarder_logo(self):
        logo = self.cleaned_data.get("awarder_logo")
        if not logo or logo == self.instance.awarder_logo:
            return logo
        try:
            extension = check_logo(logo)
        except LogoError as error:
            raise ValidationError(error.message, code=error.code) from error
        logo.name = f"logo.{extension}"
        return logo

    def clean_lead_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["lead_kinds"])
        return [kind.value for kind in OrganisationKind if kind.value in chosen]  # enum order

    def save(self, commit: bool = True) -> Contest:
        if self.cleaned_data.get("remove_logo") and "awarder_logo" not in self.changed_data:
            self.instance.awarder_logo = ""
        return super().save(commit)


class ContestLevelForm(LevelForm):
    class Meta(LevelForm.Meta):
        model = ContestLevel


class ContestLevelFormSet(LevelFormSet):
    """Every default level on one page; a contest with none yet gets five empty rows at once,
    so that its levels are set in one save rather than one row per save."""

    protected_message = None  # defaults: no award points at them

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = 1 if self.get_queryset().exists() else 5


class ContestCriterionForm(CriterionForm):
    class Meta(CriterionForm.Meta):
        model = ContestCriterion


class ContestCriterionFormSet(CriterionFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = 1 if self.get_queryset().exists() else 3


ContestLevelRows = inlineformset_factory(
    Contest,
    ContestLevel,
    form=ContestLevelForm,
    formset=ContestLevelFormSet,
    extra=1,
    can_delete=True,
)
ContestCriterionRows = inlineformset_factory(
    Contest,
    ContestCriterion,
    form=ContestCriterionForm,
    formset=ContestCriterionFormSet,
    extra=1,
    can_delete=True,
)
