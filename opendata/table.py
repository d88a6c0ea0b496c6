"""The palmarès as one flat table: one row per (award, organisation).

Why this grain: an award given jointly to three collectivités is three rows, so every row carries
the stable identifiers a reuser joins on (the award's slug, the edition year, the organisation's
SIREN and INSEE code) and a filter on a SIREN finds all of that body's awards without parsing a
list cell. The award's own columns repeat on each of its rows; `organisation_position` (0 for the
lead organisation) tells the rows of one award apart. An award recorded without any organisation
still gets one row (position 0, organisation columns empty), so no award is left out.

palmares.csv and palmares.json hold the same rows; FIELDS is the one description of them, from
which the CSV header, the JSON keys and the Table Schema of datapackage.json are all made.
Unknown values are empty (CSV) or null (JSON), never invented.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.distinctions import award_distinctions
from awards.enums import OrganisationMatch, OrganisationRole
from awards.models import Award, AwardOrganisation
from catalogue.search.indexing import region_code
from territories.domain import departement_of
from territories.enums import OrganisationKind

SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
SIREN_PATTERN = r"^\d{9}$"
# Communes ("35238", "2A004"); départements and régions ("35", "2A", "974").
INSEE_PATTERN = r"^(\d{2,3}|2[AB]|\d[\dAB]\d{3})$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, integer…
    title: str
    description: str
    required: bool = False
    pattern: str | None = None
    format: str | None = None
    enum: tuple[str, ...] | None = None

    def descriptor(self) -> dict[str, Any]:
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        descriptor: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": str(self.title),
            "description": str(self.description),
        }
        if self.format:
            descriptor["format"] = self.format
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


# Titles and descriptions show on the /donnees/ page (translated) and in datapackage.json (in
# French, the dataset's language: publishing renders them with French active).
FIELDS: tuple[Field, ...] = (
    Field(
        "award_id",
        "string",
        _("Identifiant du label"),
        _("Identifiant stable du label décerné (celui de l'adresse /projets/<identifiant>/)."),
        required=True,
        pattern=SLUG_PATTERN,
    ),
    Field("year", "integer", _("Année"), _("Année de l'édition."), required=True),
    Field(
        "contest",
        "string",
        _("Concours"),
        _("Identifiant du concours ou du label (voir /api/v1/contests)."),
        required=True,
        pattern=SLUG_PATTERN,
    ),
    Field(
        "level",
        "string",
        _("Niveau"),
        _("Code du niveau décerné, propre à chaque concours ; vide quand il n'a pas été publié."),
    ),
    Field(
        "theme",
        "string",
        _("Thème"),
        _("Thème de l'édition ; vide quand il n'a pas été publié."),
    ),
    Field("title", "string", _("Titre du projet"), _("Titre du projet labellisé."), required=True),
    Field(
        "url",
        "string",
        _("Page du projet"),
        _("Adresse de la page publique du projet."),
        required=True,
        format="uri",
    ),
    Field(
        "organisation_position",
        "integer",
        _("Rang de la structure"),
        _("0 pour la structure porteuse, puis 1, 2… pour les co-porteurs."),
        required=True,
    ),
    Field(
        "organisation_role",
        "string",
        _("Rôle"),
        _("lead (porteuse) ou partner (co-porteuse) ; vide sans structure."),
        enum=tuple(OrganisationRole.values),
    ),
    Field(
        "organisation_name",
        "string",
        _("Structure"),
        _("Nom actuel de la structure dans le référentiel."),
    ),
    Field(
        "organisation_published_name",
        "string",
        _("Nom publié"),
        _("Nom de la structure tel que le palmarès d'origine l'a publié."),
    ),
    Field(
        "organisation_kind",
        "string",
        _("Nature de la structure"),
        _("commune, metropole, departement, region, syndicat…"),
        enum=tuple(OrganisationKind.values),
    ),
    Field(
        "organisation_match",
        "string",
        _("Identification"),
        _(
            "Comment la structure a été rapprochée du référentiel : name (par son nom), alias "
            "(ancien nom), successor (structure qui a succédé à celle publiée), unverified (hors "
            "référentiel, codes vides), declared (choisie par le candidat)."
        ),
        enum=tuple(OrganisationMatch.values),
    ),
    Field(
        "siren",
        "string",
        _("SIREN"),
        _("Numéro SIREN de la structure ; vide quand il n'est pas connu."),
        pattern=SIREN_PATTERN,
    ),
    Field(
        "insee_code",
        "string",
        _("Code INSEE"),
        _(
            "Code officiel géographique de la commune, du département ou de la région ; vide pour "
            "les autres structures."
        ),
        pattern=INSEE_PATTERN,
    ),
    Field(
        "departement_code",
        "string",
        _("Code du département"),
        _("Département de la structure ; vide pour une région ou quand il n'est pas connu."),
        pattern=INSEE_PATTERN,
    ),
    Field(
        "region_code",
        "string",
        _("Code de la région"),
        _("Région de la structure ; vide quand elle n'est pas connue."),
        pattern=INSEE_PATTERN,
    ),
    # Last: the columns reusers already read keep their positions.
    Field(
        "distinctions",
        "string",
        _("Distinctions"),
        _(
            "Codes des distinctions décernées en plus du niveau, ou seules (niveau vide), "
            "séparés par « ; », propres à chaque concours ; vide sans distinction."
        ),
    ),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
PRIMARY_KEY = ("award_id", "organisation_position")


def table_schema(level_codes: Iterable[str]) -> dict[str, Any]:
    """The Table Schema of the rows. Levels are enumerated from the data (each contest's own
    codes, in the order given), so the schema always describes what the files hold."""
    levels = tuple(dict.fromkeys(level_codes))
    fields = [
        Field(**{**field.__dict__, "enum": levels}) if field.name == "level" and levels else field
        for field in FIELDS
    ]
    return {
        "fields": [field.descriptor() for field in fields],
        "primaryKey": list(PRIMARY_KEY),
        "missingValues": [""],
    }


def published_awards() -> QuerySet[Award]:
    """Public awards only (an embargoed edition's awards never leave the platform), with what a
    row needs, in the palmarès' order. Three queries whatever the number of awards."""
    links = AwardOrganisation.objects.select_related(
        "organisation__region", "organisation__departement"
    ).order_by("position", "pk")
    return (
        Award.objects.public()
        .select_related("edition__contest", "level", "theme")
        .prefetch_related(Prefetch("award_organisations", queryset=links), "distinctions")
        .order_by("-edition__year", "edition__contest__slug", "level__rank", "title", "slug")
    )


def _departement_code(organisation) -> str | None:
    departement = departement_of(organisation)
    return departement.insee_code if departement else None


def rows(awards: Iterable[Award], base_url: str) -> Iterator[dict[str, Any]]:
    """The table's rows, keyed by FIELD_NAMES, None for unknown values."""
    project_url = base_url + reverse("catalogue:project", kwargs={"slug": "-"})
    for award in awards:
        common = {
            "award_id": award.slug,
            "year": award.edition.year,
            "contest": award.edition.contest.slug,
            "level": award.level.code if award.level else None,
            "distinctions": ";".join(d.code for d in award_distinctions(award)) or None,
            "theme": award.theme.name if award.theme else None,
            "title": award.title,
            "url": project_url.replace("/-/", f"/{award.slug}/"),
        }
        links = list(award.award_organisations.all())
        if not links:
            yield {**dict.fromkeys(FIELD_NAMES), **common, "organisation_position": 0}
        for position, link in enumerate(links):
            organisation = link.organisation
            yield {
                **common,
                "organisation_position": position,
                "organisation_role": link.role or None,
                "organisation_name": organisation.name,
                "organisation_published_name": link.published_name or None,
                "organisation_kind": organisation.kind,
                "organisation_match": link.match,
                "siren": organisation.siren or None,
                "insee_code": organisation.insee_code or None,
                "departement_code": _departement_code(organisation),
                "region_code": region_code(organisation),
            }
