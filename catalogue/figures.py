"""Figures of the public palmarès: what the map and the statistics page count, one function each.

The rules, also stated on the pages:
- only awards of public editions of one contest count (`FigureFilter.contest`, default: the
  site's contest) (`Edition.objects.public`): an edition under
  embargo counts nowhere, not even in a total;
- a figure counts laureates, that is awards (labels décernés). An award given jointly to several
  organisations counts once for each distinct département (région, kind of organisation) among
  them, so the rows of a breakdown may add up to more than the number of awards;
- an organisation's département and région are those of the official referential: its own code
  for a département or a région, for a commune its own, for an EPCI those of most of its
  inhabitants. A région has no département; an unverified organisation (not in the referential)
  has neither unless someone recorded them (data/organisations.csv records those its published
  name states, awards.importing.organisations). Nothing is guessed: awards none of whose
  organisations is placed are counted apart, « non renseigné ».

Every function runs a fixed number of queries, whatever the number of awards or editions.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardOrganisation
from contests.enums import STANDARD_LEVEL_LABELS
from contests.models import Edition, Level
from contests.presentation import default_contest_slug
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.text import fold

GOLD = "or"
NO_THEME = _("Sans thème publié")
NO_LEVEL = _("Niveau non publié")
NO_REGION = _("Région non renseignée")


@dataclass(frozen=True)
class FigureFilter:
    year: int | None = None
    theme: str | None = None  # a theme slug: themes of the same name share it across editions
    level: str | None = None  # a level code of the contest (or, argent, bronze for the Label)
    contest: str | None = None  # a contest slug; None: the default one (settings)

    @property
    def contest_slug(self) -> str:
        return self.contest or default_contest_slug()


@dataclass(frozen=True)
class CountRow:
    """One bar of a chart and one row of its table."""

    code: str
    label: str
    laureates: int


@dataclass(frozen=True)
class Territory:
    code: str
    name: str
    region_code: str
    region_name: str


@dataclass(frozen=True)
class TerritoryCounts:
    """Awards per département and per région, and the awards that could not be placed."""

    by_departement: dict[str, int]
    by_region: dict[str, int]
    awards: int
    without_departement: int
    without_region: int


@dataclass(frozen=True)
class EditionFigures:
    """A public edition: awards recorded here beside the funnel its organiser published."""

    year: int
    recorded: int
    applications: int | None
    auditioned: int | None
    announced: int | None
    gold_announced: int | None


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]
    themes: list[tuple[str, str]]  # slug, name
    levels: list[tuple[str, str]]  # code, label


@dataclass(frozen=True)
class UnplacedAward:
    year: int
    organisations: list[str]


@dataclass(frozen=True)
class GoldByRegion:
    """Gold labels per région and per year; a région appears once it has one."""

    years: list[int]
    rows: list[tuple[str, list[int]]]  # région name, count per year of `years`
    without_region: list[int]
    recorded: list[int]  # distinct gold awards per year (a shared award counts once)
    announced: list[int | None]  # what the organiser published, when it did
    unplaced: list[UnplacedAward]


def public_awards(
    filters: FigureFilter | None = None, now: datetime | None = None
) -> QuerySet[Award]:
    """Awards of the contest's public editions, narrowed by the filter."""
    filters = filters or FigureFilter()
    editions = Edition.objects.public(now).filter(contest__slug=filters.contest_slug)
    awards = Award.objects.filter(edition__in=editions)
    if filters.year is not None:
        awards = awards.filter(edition__year=filters.year)
    if filters.theme:
        awards = awards.filter(theme__slug=filters.theme)
    if filters.level:
        awards = awards.filter(level__code=filters.level)
    return awards


def _place(kind: str, field: str, prefix: str = "organisation__") -> Case:
    """An organisation's département (or région) code: its own if it is one, else its link's."""
    return Case(
        When(**{f"{prefix}kind": kind}, then=F(f"{prefix}insee_code")),
        default=F(f"{prefix}{field}__insee_code"),
    )


def departement_code() -> Case:
    return _place(OrganisationKind.DEPARTEMENT, "departement")


def region_code() -> Case:
    return _place(OrganisationKind.REGION, "region")


def _awards_by(awards: QuerySet[Award], key) -> dict:
    """Distinct awards per value of `key` (an expression over an award's organisations)."""
    rows = (
        AwardOrganisation.objects.filter(award__in=awards)
        .annotate(key=key)
        .order_by()
        .values("key")
        .annotate(laureates=Count("award", distinct=True))
    )
    return {row["key"]: row["laureates"] for row in rows if row["key"] is not None}


def _placed(key) -> Exists:
    """The award has an organisation for which `key` is known."""
    links = AwardOrganisation.objects.filter(award=OuterRef("pk")).annotate(key=key)
    return Exists(links.filter(key__isnull=False))


def territories() -> list[Territory]:
    """Every département of the referential with its région, by code (971… last)."""
    departements = (
        Organisation.objects.filter(kind=OrganisationKind.DEPARTEMENT, from_referential=True)
        .select_related("region")
        .order_by("insee_code")
    )
    return [
        Territory(d.insee_code, d.name, d.region.insee_code, d.region.name)
        for d in sorted(departements, key=lambda d: (len(d.insee_code), d.insee_code))
    ]


def regions() -> dict[str, str]:
    """Région code → name, for every région of the referential, in French order (one query)."""
    rows = Organisation.objects.filter(
        kind=OrganisationKind.REGION, from_referential=True
    ).values_list("insee_code", "name")
    return dict(sorted(rows, key=lambda row: fold(row[1])))


def territory_counts(
    filters: FigureFilter | None = None, now: datetime | None = None
) -> TerritoryCounts:
    """Awards per département and per région, with the unplaced ones (three queries)."""
    awards = public_awards(filters, now)
    totals = awards.aggregate(
        awards=Count("pk"),
        without_departement=Count("pk", filter=~_placed(departement_code())),
        without_region=Count("pk", filter=~_placed(region_code())),
    )
    return TerritoryCounts(
        by_departement=_awards_by(awards, departement_code()),
        by_region=_awards_by(awards, region_code()),
        **totals,
    )


def laureates_by_region(
    region_names: dict[str, str], filters: FigureFilter | None = None, now: datetime | None = None
) -> list[CountRow]:
    """Every région (most laureates first), then the awards placed in no région (2 queries)."""
    awards = public_awards(filters, now)
    counts = _awards_by(awards, region_code())
    rows = [CountRow(code, name, counts.get(code, 0)) for code, name in region_names.items()]
    rows.sort(key=lambda row: -row.laureates)  # stable: names stay alphabetical among equals
    unplaced = awards.exclude(_placed(region_code())).count()
    return [*rows, CountRow("", str(NO_REGION), unplaced)]


def laureates_by_theme(
    filters: FigureFilter | None = None, now: datetime | None = None
) -> list[CountRow]:
    """Awards per theme name (themes repeat across editions), most first; no theme last."""
    rows = (
        public_awards(filters, now)
        .order_by()
        .values("theme__name")
        .annotate(laureates=Count("pk"), slug=Min("theme__slug"))
    )
    named = sorted(
        (CountRow(r["slug"], r["theme__name"], r["laureates"]) for r in rows if r["theme__name"]),
        key=lambda row: (-row.laureates, row.label),
    )
    unthemed = sum(r["laureates"] for r in rows if not r["theme__name"])
    return named + ([CountRow("", str(NO_THEME), unthemed)] if unthemed else [])


def level_label(code: str | None, name: str | None = None) -> str:
    """« Or » for a standard level (translated), the contest's own name for the others."""
    if code is None:
        return str(NO_LEVEL)
    standard = STANDARD_LEVEL_LABELS.get(code)
    if standard is not None and (name is None or name.lower() == code):
        return str(standard).capitalize()
    return name or code.capitalize()


def laureates_by_level(
    filters: FigureFilter | None = None, now: datetime | None = None
) -> list[CountRow]:
    """Awards per level code, highest level first; unknown level last."""
    rows = (
        public_awards(filters, now)
        .order_by()
        .values("level__code")
        .annotate(laureates=Count("pk"), rank=Min("level__rank"), name=Min("level__name"))
    )
    ordered = sorted(rows, key=lambda r: (r["level__code"] is None, r["rank"] or 0))
    return [
        CountRow(r["level__code"] or "", level_label(r["level__code"], r["name"]), r["laureates"])
        for r in ordered
    ]


def laureates_by_kind(
    filters: FigureFilter | None = None, now: datetime | None = None
) -> list[CountRow]:
    """Awards per kind of organisation (a commune and its EPCI together count for both)."""
    counts = _awards_by(public_awards(filters, now), F("organisation__kind"))
    rows = [
        CountRow(kind.value, str(kind.label), counts.get(kind.value, 0))
        for kind in OrganisationKind
    ]
    return sorted((row for row in rows if row.laureates), key=lambda row: -row.laureates)


def edition_figures(
    now: datetime | None = None, contest: str | None = None
) -> list[EditionFigures]:
    """Every public edition of the contest (default: settings'), oldest first, with its
    recorded awards (one query)."""
    recorded = (
        Award.objects.filter(edition=OuterRef("pk"))
        .order_by()
        .values("edition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    editions = (
        Edition.objects.public(now)
        .filter(contest__slug=contest or default_contest_slug())
        .annotate(recorded=Coalesce(Subquery(recorded, output_field=IntegerField()), 0))
        .order_by("year")
    )
    return [
        EditionFigures(
            year=edition.year,
            recorded=edition.recorded,
            applications=edition.applications_count,
            auditioned=edition.auditioned_count,
            announced=edition.laureates_count,
            gold_announced=edition.gold_count,
        )
        for edition in editions
    ]


def filter_choices(now: datetime | None = None, contest: str | None = None) -> FilterChoices:
    """Years, themes and levels that public awards have, for the filter forms (one query)."""
    rows = (
        public_awards(FigureFilter(contest=contest), now=now)
        .order_by()
        .values_list(
            "edition__year",
            "theme__slug",
            "theme__name",
            "level__code",
            "level__rank",
            "level__name",
        )
        .distinct()
    )
    years, themes, levels, names = set(), {}, {}, {}
    for year, theme_slug, theme_name, level_code, level_rank, level_name in rows:
        years.add(year)
        if theme_slug:
            themes.setdefault(theme_slug, theme_name)
        if level_code:
            levels[level_code] = min(level_rank, levels.get(level_code, level_rank))
            names.setdefault(level_code, level_name)
    return FilterChoices(
        years=sorted(years, reverse=True),
        themes=sorted(themes.items(), key=lambda item: item[1]),
        levels=[(code, level_label(code, names[code])) for code in sorted(levels, key=levels.get)],
    )


def contest_has_level(code: str, contest: str | None = None, now: datetime | None = None) -> bool:
    """Whether a public edition of the contest has a level `code` (« or »: the gold figures
    are shown only for a contest that awards gold)."""
    editions = Edition.objects.public(now).filter(contest__slug=contest or default_contest_slug())
    return Level.objects.filter(edition__in=editions, code=code).exists()


def gold_by_region(
    region_names: dict[str, str],
    editions: list[EditionFigures],
    now: datetime | None = None,
    contest: str | None = None,
) -> GoldByRegion:
    """Gold labels per région and year, with the awards no région could be given (3 queries).

    `editions` (from edition_figures) gives the published gold counts, shown beside the recorded
    ones so that a gap in the recorded palmarès is visible.
    """
    gold = public_awards(FigureFilter(level=GOLD, contest=contest), now)
    pairs = (
        AwardOrganisation.objects.filter(award__in=gold)
        .annotate(key=region_code(), year=F("award__edition__year"))
        .filter(key__isnull=False)
        .order_by()
        .values("key", "year")
        .annotate(laureates=Count("award", distinct=True))
    )
    per_year = dict(
        gold.order_by()
        .values("edition__year")
        .annotate(n=Count("pk"))
        .values_list("edition__year", "n")
    )
    years = sorted(per_year)
    cells: dict[str, dict[int, int]] = {}
    for pair in pairs:
        cells.setdefault(pair["key"], {})[pair["year"]] = pair["laureates"]
    rows = [
        (name, [cells[code].get(year, 0) for year in years])
        for code, name in region_names.items()
        if code in cells
    ]
    rows.sort(key=lambda row: (-sum(row[1]), fold(row[0])))
    unplaced = _unplaced(gold.exclude(_placed(region_code())))
    announced = {edition.year: edition.gold_announced for edition in editions}
    return GoldByRegion(
        years=years,
        rows=rows,
        without_region=[sum(1 for a in unplaced if a.year == year) for year in years],
        recorded=[per_year[year] for year in years],
        announced=[announced.get(year) for year in years],
        unplaced=unplaced,
    )


def _unplaced(awards: QuerySet[Award]) -> list[UnplacedAward]:
    """The awards with their organisations' names as published (one query)."""
    links = (
        AwardOrganisation.objects.filter(award__in=awards)
        .order_by("award__edition__year", "award__title", "award_id", "position")
        .values_list("award_id", "award__edition__year", "published_name", "organisation__name")
    )
    by_award: dict[int, UnplacedAward] = {}
    for award_id, year, published_name, name in links:
        award = by_award.setdefault(award_id, UnplacedAward(year, []))
        award.organisations.append(published_name or name)
    return list(by_award.values())
