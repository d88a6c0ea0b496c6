"""The technical admin (admin-technique/): a fallback for support, not the organisers' tool."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind

from .models import Contest, Criterion, Edition, Event, Level, Phase, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


class PhaseInline(admin.TabularInline):
    """Shown, not edited: phases change through contests.phases, which logs every change (the
    organisers' phases page)."""

    model = Phase
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContestAdminForm(forms.ModelForm):
    # Checkboxes rather than raw JSON: organisers pick natures, never type their codes.
    lead_kinds = forms.MultipleChoiceField(
        label=_("Natures de structure pouvant porter un dossier"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Seules ces structures peuvent porter un dossier (les partenaires restent libres). "
            "Aucune case cochée : toute structure."
        ),
    )

    class Meta:
        model = Contest
        fields = [
            "name",
            "article",
            "slug",
            "organiser",
            "description",
            "applicant_kinds",
            "lead_kinds",
        ]

    def clean_lead_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["lead_kinds"])
        return [kind.value for kind in OrganisationKind if kind.value in chosen]  # enum order


# There is no organiser page to edit a contest (only its editions): its lead natures are set here.
@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    form = ContestAdminForm
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["region"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["contest", "year", "forum", "is_historical"]
    list_filter = ["contest", "is_historical"]
    list_select_related = ["contest", "forum"]
    inlines = [ThemeInline, CriterionInline, LevelInline, PhaseInline]
