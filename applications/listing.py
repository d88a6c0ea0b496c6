"""The organisers' list of an edition's dossiers: filters and counts.

One filter form serves the list page, the templated emails and the list's exports
(opendata.exports), so they always agree on which dossiers "the filtered list" is. Filters travel
in the query string as public codes (theme slug, state, INSEE codes, kind), never database ids.
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contests.content_language import ContentSelect
from contests.models import Edition
from palmares.widgets import QuickSelect, QuickSelectMixin
from territories.enums import OrganisationKind
from territories.models import Organisation

from .enums import ApplicationState
from .hooks import filter_by_eligibility
from .models import Application, ApplicationPartner

FILTER_FIELDS = ("q", "theme", "state", "eligibility", "region", "departement", "kind")


class EligibilityDecision(models.TextChoices):
    ELIGIBLE = "eligible", _("Recevable")
    INELIGIBLE = "ineligible", _("Irrecevable")
    UNDECIDED = "undecided", _("Sans décision")


class ThemeSelect(QuickSelectMixin, ContentSelect):
    pass


class TerritoryChoiceField(forms.ModelChoiceField):
    """A région or département chosen by its INSEE code, shown as « 35 – Ille-et-Vilaine »."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.insee_code} – {obj.name}"


def _territories(kind: OrganisationKind) -> QuerySet[Organisation]:
    """The régions or départements to choose from. `insee_code` not null (one without a code
    cannot be chosen anyway) lets the database read them from the partial unique index on (kind,
    insee_code), in order, instead of scanning every commune of the referential."""
    return (
        Organisation.objects.filter(kind=kind, insee_code__isnull=False)
        .only("insee_code", "name")
        .order_by("insee_code")
    )


class ApplicationFilterForm(forms.Form):
    """Filters of an edition's dossiers. Each valid field filters; an invalid one is reported
    next to the field and ignored, so the list never goes blank because of one bad value."""

    q = forms.CharField(
        label=_("Titre ou référence"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
        widget=ThemeSelect,
    )
    state = forms.TypedChoiceField(
        label=_("État"),
        choices=[("", _("Tous les états")), *ApplicationState.choices],
        widget=QuickSelect,
        coerce=ApplicationState,
        empty_value=None,
        required=False,
    )
    eligibility = forms.TypedChoiceField(
        label=_("Décision de recevabilité"),
        choices=[("", _("Toutes les décisions")), *EligibilityDecision.choices],
        widget=QuickSelect,
        coerce=EligibilityDecision,
        empty_value=None,
        required=False,
    )
    region = TerritoryChoiceField(
        label=_("Région de la structure porteuse"),
        queryset=_territories(OrganisationKind.REGION),
        to_field_name="insee_code",
        required=False,
        empty_label=_("Toutes les régions"),
        widget=QuickSelect,
    )
    departement = TerritoryChoiceField(
        label=_("Département de la structure porteuse"),
        queryset=_territories(OrganisationKind.DEPARTEMENT),
        to_field_name="insee_code",
        required=False,
        empty_label=_("Tous les départements"),
        widget=QuickSelect,
    )
    kind = forms.TypedChoiceField(
        label=_("Nature de la structure porteuse"),
        choices=[("", _("Toutes les natures")), *OrganisationKind.choices],
        widget=QuickSelect,
        coerce=OrganisationKind,
        empty_value=None,
        required=False,
    )

    def __init__(self, data=None, *, edition: Edition, **kwargs):
        # Only the filter keys: the page number and the like are not the form's business.
        if data is not None:
            data = {key: data.get(key) for key in FILTER_FIELDS if data.get(key)}
        super().__init__(data, **kwargs)
        self.edition = edition
        self.fields["theme"].queryset = edition.themes.all()

    def valid_filters(self) -> dict[str, object]:
        """The cleaned value of every valid, non-empty field (validating the form if needed)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    def filter(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        filters = self.valid_filters()
        if text := (filters.get("q") or "").strip():
            queryset = queryset.filter(Q(title__icontains=text) | Q(reference__icontains=text))
        if "theme" in filters:
            queryset = queryset.filter(theme=filters["theme"])
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        if "eligibility" in filters:
            queryset = filter_by_eligibility(queryset, filters["eligibility"])
        if region := filters.get("region"):
            # territories.domain.region_of, as a query: the stored région, the one of the stored
            # département (bodies added before their région was derived), or the région itself.
            queryset = queryset.filter(
                Q(lead_organisation__region=region)
                | Q(lead_organisation__departement__region=region)
                | Q(lead_organisation=region)
            )
        if departement := filters.get("departement"):
            queryset = queryset.filter(
                Q(lead_organisation__departement=departement) | Q(lead_organisation=departement)
            )
        if "kind" in filters:
            queryset = queryset.filter(lead_organisation__kind=filters["kind"])
        return queryset

    def query_data(self) -> dict[str, str]:
        """The valid filters as query-string values (what a Mailing records)."""
        codes = {
            "theme": lambda theme: theme.slug,
            "region": lambda region: region.insee_code,
            "departement": lambda departement: departement.insee_code,
        }
        return {
            name: str(codes[name](value) if name in codes else value)
            for name, value in self.valid_filters().items()
        }

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) of each valid filter, in French, for the page that emails the list."""
        described = []
        for name, value in self.valid_filters().items():
            shown = value.label if hasattr(value, "label") else str(value)
            described.append((str(self.fields[name].label), shown))
        return described


# What a row of the list shows (the long texts of a dossier are not read).
LISTED_FIELDS = (
    "reference",
    "title",
    "state",
    "submitted_at",
    "edition_id",
    "theme__name",
    "lead_organisation__name",
)


def for_listing(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The dossiers with what the list and the export show, in reference order.

    Kept apart from the filtering: counting per state on a queryset that joins the partners
    would count a dossier once per partner.
    """
    # The partners are counted by a correlated subquery, run for the rows of the page alone; a
    # join grouped by every column would group all the edition's dossiers before the LIMIT.
    partners = (
        ApplicationPartner.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        applications.select_related("theme", "lead_organisation")
        .only(*LISTED_FIELDS)
        .annotate(partners_count=Coalesce(Subquery(partners), 0))
        .order_by("reference")
    )


def filtered_applications(
    edition: Edition, data
) -> tuple[ApplicationFilterForm, QuerySet[Application]]:
    """The edition's dossiers that the filters in `data` (a query string) select, unordered."""
    form = ApplicationFilterForm(data, edition=edition)
    return form, form.filter(Application.objects.filter(edition=edition))


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


def state_counts(applications: QuerySet[Application]) -> list[Tally]:
    """How many of the dossiers are in each state, in workflow order; states with none left out."""
    counts = dict(
        applications.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [Tally(state.label, counts[state]) for state in ApplicationState if state in counts]


def theme_counts(applications: QuerySet[Application]) -> list[Tally]:
    """How many of the dossiers are in each theme, in the edition's theme order; dossiers
    without a theme yet (drafts) come last."""
    rows = (
        applications.order_by()
        .values("theme__position", "theme__name")
        .annotate(n=Count("pk"))
        .values_list("theme__position", "theme__name", "n")
    )
    ordered = sorted(rows, key=lambda row: (row[1] is None, row[0] or 0, row[1] or ""))
    return [Tally(name or str(_("Sans thème")), n) for _position, name, n in ordered]
