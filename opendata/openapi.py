"""The OpenAPI 3.1 description of /api/v1/, written by hand (tests/opendata/test_openapi.py checks
that every API URL pattern is described here and that the answers conform, with schemathesis).

Descriptions are French: the API's documentation is for French reusers, and the schema is
served as a file, not through the interface's translations.
"""

from typing import Any

from territories.enums import OrganisationKind, PopulationBand

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"], "minimum": 0}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}
SIREN = {"type": ["string", "null"], "pattern": r"^\d{9}$"}
CODE = {"type": ["string", "null"]}
# Query values: never empty (an empty parameter is refused, not read as « no filter »).
TEXT = {"type": "string", "minLength": 1}
SIREN_QUERY = {"type": "string", "pattern": r"^\d{9}$"}
INSEE_QUERY = {"type": "string", "pattern": r"^(\d{2,3}|2[ABab]|\d[\dABab]\d{3})$"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _page(item: str, *, previous: bool = True) -> dict[str, Any]:
    properties = {
        "count": {"type": "integer", "minimum": 0},
        "next": {**NULLABLE_URL, "description": "Page suivante ; null sur la dernière."},
    }
    if previous:
        properties["previous"] = {
            **NULLABLE_URL,
            "description": "Page précédente ; null sur la première.",
        }
    properties["results"] = {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}
    return _object(properties)


def _query(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def _facet(name: str, description: str, items: dict[str, Any]) -> dict[str, Any]:
    return _query(
        name,
        description + " Répétable : plusieurs valeurs se cumulent (ou).",
        {"type": "array", "items": items},
        style="form",
        explode=True,
    )


PAGE = _query(
    "page", "Numéro de page, à partir de 1.", {"type": "integer", "minimum": 1, "maximum": 1000000}
)
YEAR = _query("year", "Année de l'édition.", {"type": "integer", "minimum": 1, "maximum": 9999})
CONTEST = _query("contest", "Identifiant du concours (voir /api/v1/contests).", TEXT)


def _responses(item: str, *, not_found: bool = False) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    responses: dict[str, Any] = {
        "200": {
            "description": "La ressource demandée.",
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Last-Modified": {"schema": {"type": "string"}},
                "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
            },
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}"}}},
        },
        "304": {
            "description": "Inchangée depuis la version que le client détient "
            "(If-None-Match, If-Modified-Since)."
        },
        "400": {"description": "Paramètre inconnu ou invalide.", "content": error},
        "429": {
            "description": "Trop de requêtes depuis cette adresse ; "
            "réessayer après Retry-After secondes.",
            "headers": {"Retry-After": {"schema": {"type": "string"}}},
            "content": error,
        },
    }
    if not_found:
        responses["404"] = {
            "description": "Aucune ressource publique à cette adresse.",
            "content": error,
        }
    return responses


def _get(
    summary: str, description: str, item: str, parameters: list, **kwargs: Any
) -> dict[str, Any]:
    operation_id = kwargs.pop("operation_id")
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": parameters,
            "responses": _responses(item, **kwargs),
        }
    }


ORGANISATION_IN_LAUREATE = _object(
    {
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": list(OrganisationKind.values)},
        "siren": SIREN,
        "insee_code": CODE,
        "region_code": CODE,
    }
)
LAUREATE = _object(
    {
        "id": {"type": "string", "description": "Identifiant stable du label (son adresse)."},
        "contest": {
            "type": "string",
            "description": "Identifiant du concours (label-territoire-innovant…).",
        },
        "year": {"type": "integer"},
        "level": {
            **NULLABLE_STRING,
            "description": "Code du niveau, propre au concours ; null si non publié.",
        },
        "distinctions": {
            "type": "array",
            "description": (
                "Distinctions décernées en plus du niveau, ou seules (level null) ; "
                "liste vide sans distinction."
            ),
            "items": _object({"code": {"type": "string"}, "name": {"type": "string"}}),
        },
        "theme": NULLABLE_STRING,
        "title": {"type": "string"},
        "organisations": {"type": "array", "items": ORGANISATION_IN_LAUREATE},
        "url": URL,
    }
)
EDITION = _object(
    {
        "id": {"type": "string"},
        "contest": {"type": "string"},
        "contest_name": {"type": "string"},
        "year": {"type": "integer"},
        "funnel": _object(
            {
                "applications": NULLABLE_INTEGER,
                "auditioned": NULLABLE_INTEGER,
                "laureates": NULLABLE_INTEGER,
                "gold": NULLABLE_INTEGER,
            },
            "Chiffres publiés par l'organisateur ; null s'ils ne l'ont jamais été.",
        ),
        "awards_recorded": {
            "type": "integer",
            "minimum": 0,
            "description": "Labels enregistrés ici.",
        },
        "levels": {
            "type": "array",
            "items": _object(
                {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "rank": {"type": "integer"},
                }
            ),
        },
        "themes": {
            "type": "array",
            "items": _object({"id": {"type": "string"}, "name": {"type": "string"}}),
        },
        "forum": {
            "oneOf": [
                {"type": "null"},
                _object(
                    {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "city": NULLABLE_STRING,
                        "starts_on": NULLABLE_DATE,
                    }
                ),
            ]
        },
        "url": NULLABLE_URL,
    }
)
THEME = _object(
    {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "description": NULLABLE_STRING,
        "contest": {"type": "string"},
        "year": {"type": "integer"},
        "position": {"type": "integer"},
        "awards_recorded": {"type": "integer", "minimum": 0},
    }
)
AWARD_OF_ORGANISATION = _object(
    {
        "id": {"type": "string"},
        "year": {"type": "integer"},
        "contest": {"type": "string"},
        "level": NULLABLE_STRING,
        "theme": NULLABLE_STRING,
        "title": {"type": "string"},
        "role": {"type": ["string", "null"], "enum": ["lead", "partner", None]},
        "published_name": NULLABLE_STRING,
        "url": URL,
    }
)
ORGANISATION = _object(
    {
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": list(OrganisationKind.values)},
        "siren": SIREN,
        "insee_code": CODE,
        "departement_code": CODE,
        "region_code": CODE,
        "population": NULLABLE_INTEGER,
        "url": URL,
        "awards": {"type": "array", "items": AWARD_OF_ORGANISATION, "minItems": 1},
    }
)
CONTEST_ITEM = _object(
    {
        "id": {"type": "string", "description": "Identifiant du concours (paramètre contest)."},
        "name": {"type": "string"},
        "awarded_by": {"type": "string", "description": "L'organisation qui le décerne."},
        "awarder_website": NULLABLE_URL
        | {"description": "Le site de l'organisation qui le décerne, s'il est connu."},
        "description": NULLABLE_STRING,
        "applicant_kinds": NULLABLE_STRING,
        "years": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Années de ses éditions publiques.",
        },
        "awards_recorded": {"type": "integer", "minimum": 0},
        "url": URL,
    }
)
EVENT = _object(
    {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["forum", "stage"]},
        "name": {"type": "string"},
        "city": NULLABLE_STRING,
        "venue": NULLABLE_STRING,
        "region_code": CODE,
        "starts_on": NULLABLE_DATE,
        "ends_on": NULLABLE_DATE,
        "participants": NULLABLE_INTEGER,
        "programme": NULLABLE_STRING,
        "theme": NULLABLE_STRING,
        "editions": {
            "type": "array",
            "items": _object({"contest": {"type": "string"}, "year": {"type": "integer"}}),
        },
    }
)

LAUREATE_PARAMETERS = [
    _query(
        "q",
        "Mots recherchés (titres, structures, thèmes), en français, sans accents requis.",
        TEXT,
    ),
    _query(
        "contest",
        "Identifiant du concours (voir /api/v1/contests) ; sans lui, tous les concours.",
        TEXT,
    ),
    _facet("year", "Année.", {"type": "integer", "minimum": 1900, "maximum": 2100}),
    _facet("level", "Niveau : son code, propre au concours.", TEXT),
    _facet("theme", "Thème, par son identifiant ou son nom.", TEXT),
    _facet("region", "Code INSEE de la région d'une structure.", INSEE_QUERY),
    _facet("departement", "Code INSEE du département d'une structure.", INSEE_QUERY),
    _facet(
        "kind", "Nature d'une structure.", {"type": "string", "enum": list(OrganisationKind.values)}
    ),
    _facet(
        "population",
        "Tranche de population d'une structure.",
        {"type": "string", "enum": list(PopulationBand.values)},
    ),
    _query(
        "order",
        "Tri : pertinence (défaut) ou année.",
        {"type": "string", "enum": ["relevance", "year"]},
    ),
    PAGE,
]


def openapi_schema(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API publique du palmarès",
            "version": "1.0.0",
            "description": (
                "Lecture seule, JSON, sans authentification. Seules les éditions dont les "
                "résultats sont publics y figurent ; une valeur inconnue vaut null, jamais "
                "estimée. Réponses "
                "avec ETag et Last-Modified (requêtes conditionnelles, 304), CORS ouvert à toute "
                "origine, limite de requêtes par adresse (429 et Retry-After). Erreurs : "
                '{"detail": "<message en français>"}.'
            ),
            "license": {"name": "Licence Ouverte 2.0 (Etalab)", "identifier": "etalab-2.0"},
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/api/v1/contests": _get(
                "Concours",
                "Chaque concours de la plateforme, l'organisation qui le décerne et les années "
                "de ses éditions publiques ; son identifiant est le paramètre contest des "
                "autres listes.",
                "ContestPage",
                [PAGE],
                operation_id="listContests",
            ),
            "/api/v1/laureates": _get(
                "Labels décernés",
                "La recherche du palmarès, avec les mêmes filtres que la page /palmares/ ; "
                "20 par page.",
                "LaureatePage",
                LAUREATE_PARAMETERS,
                operation_id="listLaureates",
            ),
            "/api/v1/editions": _get(
                "Éditions publiques",
                "Chaque édition dont les résultats sont publics, "
                "avec les chiffres de son parcours.",
                "EditionPage",
                [CONTEST, YEAR, PAGE],
                operation_id="listEditions",
            ),
            "/api/v1/themes": _get(
                "Thèmes des éditions publiques",
                "Les thèmes de chaque édition publique, avec le nombre de labels enregistrés.",
                "ThemePage",
                [CONTEST, YEAR, PAGE],
                operation_id="listThemes",
            ),
            "/api/v1/organisations": _get(
                "Structures lauréates",
                "Chaque structure ayant au moins un label public, avec tous ses labels.",
                "OrganisationPage",
                [
                    CONTEST,
                    _query("siren", "SIREN (9 chiffres).", SIREN_QUERY),
                    _query("insee", "Code INSEE (commune, département ou région).", INSEE_QUERY),
                    _query(
                        "kind",
                        "Nature de la structure.",
                        {"type": "string", "enum": list(OrganisationKind.values)},
                    ),
                    _query("region", "Code INSEE de la région.", INSEE_QUERY),
                    PAGE,
                ],
                operation_id="listOrganisations",
            ),
            "/api/v1/organisations/{siren}": _get(
                "Une structure lauréate",
                "La structure de ce SIREN et tous ses labels publics, toutes années confondues.",
                "Organisation",
                [
                    {
                        "name": "siren",
                        "in": "path",
                        "required": True,
                        "description": "SIREN (9 chiffres).",
                        "schema": SIREN_QUERY,
                    }
                ],
                operation_id="getOrganisation",
                not_found=True,
            ),
            "/api/v1/events": _get(
                "Événements",
                "Cérémonies de remise et étapes régionales.",
                "EventPage",
                [
                    CONTEST,
                    _query(
                        "kind", "forum ou stage.", {"type": "string", "enum": ["forum", "stage"]}
                    ),
                    YEAR,
                    PAGE,
                ],
                operation_id="listEvents",
            ),
            "/api/v1/openapi.json": _get(
                "Ce schéma",
                "La description OpenAPI 3.1 de l'API.",
                "OpenAPI",
                [],
                operation_id="getOpenAPI",
            ),
        },
        "components": {
            "schemas": {
                "Error": _object(
                    {"detail": {"type": "string", "description": "Message en français."}}
                ),
                "Contest": CONTEST_ITEM,
                "ContestPage": _page("Contest"),
                "Laureate": LAUREATE,
                "LaureatePage": _page("Laureate", previous=False),
                "Edition": EDITION,
                "EditionPage": _page("Edition"),
                "Theme": THEME,
                "ThemePage": _page("Theme"),
                "Organisation": ORGANISATION,
                "OrganisationPage": _page("Organisation"),
                "Event": EVENT,
                "EventPage": _page("Event"),
                "OpenAPI": {"type": "object", "required": ["openapi", "info", "paths"]},
            }
        },
    }
