"""Building the search documents of awards (after an import, a deliberation, an edit).

Rows are read as plain values and written with one executemany per batch: for 100,000 awards,
instantiating a million model objects and compiling bulk INSERTs took most of the time.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from awards.models import Award, AwardOrganisation
from contests.models import Edition, Level, Theme
from territories.enums import OrganisationKind, population_band
from territories.models import Organisation
from territories.text import fold

from .analysis import index_terms
from .models import SearchDocument, SearchIndexState

BATCH_SIZE = 1000  # awards per read and per insert; also bounds SQL parameter lists

COLUMNS = (
    "award_id",
    "edition_id",
    "year",
    "contest_slug",
    "level_code",
    "level_rank",
    "level_name",
    "theme_slug",
    "theme_name",
    "regions",
    "departements",
    "kinds",
    "populations",
    "sort_title",
    "title_terms",
    "body_terms",
    "indexed_at",
)


def index_awards(award_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search documents of some awards, or of all of them (award_ids=None).

    Effects, in one transaction: deletes the documents of those awards (every document when
    rebuilding all; the SQLite FTS triggers and the PostgreSQL generated column follow), writes
    a fresh document for each of them that still exists, and gives the index a new token so that
    every web process reloads its in-memory facets. Returns the number of documents written.
    """
    written = 0
    with transaction.atomic():
        if award_ids is None:
            SearchDocument.objects.all().delete()
            ids = list(Award.objects.order_by("pk").values_list("pk", flat=True))
        else:
            ids = sorted(set(award_ids))
        sources = _Sources()
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            if award_ids is not None:
                SearchDocument.objects.filter(award_id__in=chunk).delete()
            written += _insert(sources.documents(chunk))
        SearchIndexState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    return written


def on_palmares_changed(sender, award_ids: Iterable[int], **kwargs) -> None:
    """Receiver of awards.signals.palmares_changed (connected in catalogue/apps.py): the search
    finds the imported or published awards at once, in the change's transaction."""
    index_awards(award_ids)


@dataclass(frozen=True)
class _Organisation:
    name: str
    kind: str
    region: str
    departement: str
    population_band: str


@dataclass
class _Sources:
    """What documents are made of, read once per rebuild (editions, levels, themes are few)."""

    editions: dict[int, tuple[int, str]] = field(default_factory=dict)
    levels: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    themes: dict[int, tuple[str, str]] = field(default_factory=dict)
    organisations: dict[int, _Organisation] = field(default_factory=dict)

    def __post_init__(self):
        editions = Edition.objects.values_list("pk", "year", "contest__slug")
        self.editions = {pk: (year, contest) for pk, year, contest in editions}
        levels = Level.objects.values_list("pk", "code", "rank", "name")
        self.levels = {pk: (code, rank, name) for pk, code, rank, name in levels}
        self.themes = {
            pk: (slug, name) for pk, slug, name in Theme.objects.values_list("pk", "slug", "name")
        }

    def documents(self, award_ids: list[int]) -> list[tuple]:
        links: dict[int, list[tuple[int, str]]] = {award_id: [] for award_id in award_ids}
        rows = AwardOrganisation.objects.filter(award_id__in=award_ids).order_by(
            "award_id", "position", "pk"
        )
        for award_id, organisation_id, published_name in rows.values_list(
            "award_id", "organisation_id", "published_name"
        ):
            links[award_id].append((organisation_id, published_name))
        self._load_organisations({pk for found in links.values() for pk, _name in found})
        awards = Award.objects.filter(pk__in=award_ids).values_list(
            "pk", "edition_id", "level_id", "theme_id", "title", "summary"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return [self._document(*award, links[award[0]], now) for award in awards]

    def _load_organisations(self, ids: set[int]) -> None:
        missing = ids - self.organisations.keys()
        for start in range(0, len(missing), BATCH_SIZE):
            chunk = sorted(missing)[start : start + BATCH_SIZE]
            rows = Organisation.objects.filter(pk__in=chunk).values_list(
                "pk",
                "name",
                "kind",
                "insee_code",
                "population",
                "region__insee_code",
                "departement__insee_code",
            )
            for pk, name, kind, code, population, region, departement in rows:
                band = population_band(population)
                self.organisations[pk] = _Organisation(
                    name=name,
                    kind=kind,
                    # A région lies in itself, a département too.
                    region=(code if kind == OrganisationKind.REGION else region) or "",
                    departement=(code if kind == OrganisationKind.DEPARTEMENT else departement)
                    or "",
                    population_band=band.value if band else "",
                )

    def _document(
        self,
        award_id: int,
        edition_id: int,
        level_id: int | None,
        theme_id: int | None,
        title: str,
        summary: str,
        links: list[tuple[int, str]],
        now,
    ) -> tuple:
        year, contest = self.editions[edition_id]
        level_code, level_rank, level_name = self.levels.get(level_id, ("", None, ""))
        theme_slug, theme_name = self.themes.get(theme_id, ("", ""))
        organisations = [self.organisations[pk] for pk, _name in links]
        # A published name differing from the referential's (« Grand Lyon ») stays findable.
        names = [organisation.name for organisation in organisations] + [
            published
            for (pk, published) in links
            if published and fold(published) != fold(self.organisations[pk].name)
        ]
        return (
            award_id,
            edition_id,
            year,
            contest,
            level_code,
            level_rank,
            level_name,
            theme_slug,
            theme_name,
            _codes(organisation.region for organisation in organisations),
            _codes(organisation.departement for organisation in organisations),
            _codes(organisation.kind for organisation in organisations),
            _codes(organisation.population_band for organisation in organisations),
            fold(title)[:300],
            index_terms(title),
            index_terms(*names, theme_name, summary),
            now,
        )


def _insert(rows: list[tuple]) -> int:
    if rows:
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )
    return len(rows)


def region_code(organisation: Organisation) -> str | None:
    """The code of the région an organisation lies in (a région lies in itself)."""
    if organisation.kind == OrganisationKind.REGION:
        return organisation.insee_code
    return organisation.region.insee_code if organisation.region_id else None


def _codes(values: Iterable[str]) -> str:
    """Distinct non-empty values, space-separated, in first-seen order."""
    return " ".join(dict.fromkeys(value for value in values if value))
