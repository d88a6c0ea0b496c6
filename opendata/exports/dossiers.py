"""An edition's dossiers for the organisers, as the list shows them: the same filters
(applications.listing), one row per dossier with its lead structure and its partners."""

from collections import defaultdict
from collections.abc import Iterator
from itertools import batched

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState
from applications.listing import filtered_applications
from applications.models import ApplicationPartner, Transition
from contests.models import Edition
from territories.enums import OrganisationKind

from .tables import Cell

HEADER = (
    _("Référence"),
    _("Titre"),
    _("Thème"),
    _("État"),
    _("Structure porteuse"),
    _("Nature"),
    _("Code INSEE"),
    _("SIREN"),
    _("Département"),
    _("Région"),
    _("Nombre de co-porteurs"),
    _("Co-porteurs"),
    _("Déposé le"),
    _("Déposé par"),
    _("Contact : nom"),
    _("Contact : courriel"),
    _("Contact : téléphone"),
    _("Budget (€)"),
)
# Dossiers read (and their partners) this many at a time while the export streams.
CHUNK = 2000
# Each dossier's columns as plain tuples: model instances (the dossier, its theme, its lead, the
# lead's département and région) and a display lookup per cell cost ten times the cells.
COLUMNS = (
    "pk",
    "reference",
    "title",
    "theme__name",
    "state",
    "lead_organisation__name",
    "lead_organisation__kind",
    "lead_organisation__insee_code",
    "lead_organisation__siren",
    "lead_organisation__departement__name",
    "lead_organisation__region__name",
    "lead_organisation__departement__region__name",
    "submitted_at",
    "submitter_name",
    "submitter_email",
    "contact_name",
    "contact_email",
    "contact_phone",
    "budget_euros",
)


def lead_territories(
    kind: str, name: str, departement: str | None, region: str | None, departement_region
) -> tuple[str | None, str | None]:
    """The names of the lead's département and région, by territories.domain.departement_of
    and region_of's rules: a département is its own, a région spans several; a région is its
    own; otherwise the stored région, else the département's."""
    if kind == OrganisationKind.REGION:
        return None, name
    if kind == OrganisationKind.DEPARTEMENT:
        return name, region
    return departement, region or departement_region


def labels(choices) -> dict[str, str]:
    """Value → label of a field's choices, translated once per export rather than per cell."""
    return {value: str(label) for value, label in choices}


def partner_names(application_ids: list[int]) -> dict[int, list[str]]:
    """The partners' names of each dossier, in their order."""
    names: dict[int, list[str]] = defaultdict(list)
    for application_id, name in (
        ApplicationPartner.objects.filter(application_id__in=application_ids)
        .order_by("application_id", "position", "pk")
        .values_list("application_id", "organisation__name")
    ):
        names[application_id].append(name)
    return names


def _submitter() -> dict[str, Subquery]:
    """Who submitted each dossier (its latest submission), as two annotations."""
    submissions = Transition.objects.filter(
        application=OuterRef("pk"), to_state=ApplicationState.SUBMITTED
    ).order_by("-at", "-pk")
    return {
        "submitter_name": Subquery(submissions.values("by__full_name")[:1]),
        "submitter_email": Subquery(submissions.values("by__email")[:1]),
    }


def dossier_rows(edition: Edition, data) -> Iterator[list[Cell]]:
    """The rows of the dossiers export for the filters in `data` (a query string)."""
    _form, applications = filtered_applications(edition, data)
    states, kinds = labels(ApplicationState.choices), labels(OrganisationKind.choices)
    rows = applications.annotate(**_submitter()).order_by("reference").values_list(*COLUMNS)
    for chunk in batched(rows.iterator(chunk_size=CHUNK), CHUNK):
        partners = partner_names([row[0] for row in chunk])
        for row in chunk:
            pk, reference, title, theme, state, name, kind, insee, siren = row[:9]
            places, sent = row[9:12], row[12]
            by_name, by_email, contact, email, phone, budget = row[13:]
            departement, region = lead_territories(kind, name, *places)
            yield [
                reference,
                title,
                theme,
                states.get(state, state),
                name,
                kinds.get(kind, kind),
                insee or None,
                siren or None,
                departement,
                region,
                len(partners[pk]),
                " | ".join(partners[pk]),
                sent,
                by_email,
                # Whom to call about the dossier: its contact, else the person who submitted it.
                contact or by_name or None,
                email or by_email,
                phone or None,
                budget,
            ]
