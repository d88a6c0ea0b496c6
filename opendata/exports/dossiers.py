"""An edition's dossiers for the organisers, as the list shows them: the same filters
(applications.listing), one row per dossier with its lead structure and its partners."""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from applications.listing import filtered_applications, for_listing
from applications.models import Application, ApplicationPartner
from contests.models import Edition
from territories.domain import departement_of, region_of

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
)
# Dossiers read (and their partners prefetched) this many at a time while the export streams.
CHUNK = 2000


def dossier_row(application: Application) -> list[Cell]:
    lead = application.lead_organisation
    departement = departement_of(lead)
    region = region_of(lead)
    return [
        application.reference,
        application.title,
        application.theme.name if application.theme else None,
        application.get_state_display(),
        lead.name,
        lead.get_kind_display(),
        lead.insee_code or None,
        lead.siren or None,
        departement.name if departement else None,
        region.name if region else None,
        application.partners_count,
        " | ".join(partner.organisation.name for partner in application.application_partners.all()),
        application.submitted_at,
    ]


def dossier_rows(edition: Edition, data) -> Iterator[list[Cell]]:
    """The rows of the dossiers export for the filters in `data` (a query string)."""
    _form, applications = filtered_applications(edition, data)
    partners = ApplicationPartner.objects.select_related("organisation").order_by("position")
    dossiers = for_listing(applications).prefetch_related(
        Prefetch("application_partners", queryset=partners)
    )
    for application in dossiers.iterator(chunk_size=CHUNK):
        yield dossier_row(application)
