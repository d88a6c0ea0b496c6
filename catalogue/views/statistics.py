"""The statistics of the palmarès: the charts on /statistiques/, their figures as tables on
/statistiques/tableaux/ (the same selection on both).

The tables have a page of their own so that each page stays light (EcoIndex A: the charts'
page was graded C with its eight tables and ~750 elements): every chart links to its table.
What the pages count is decided in catalogue/figures.py (public editions only).
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import charts, figures
from ..domain import chosen_contest
from ..forms.figures import StatisticsFilterForm

CHART_DESCRIPTION = gettext_lazy(
    "Diagramme en barres ; les mêmes chiffres sont donnés en tableau sur la page des chiffres "
    "détaillés, liée sous le diagramme."
)


@dataclass(frozen=True)
class Section:
    """A breakdown of the statistics: its heading, its rows, and (on the charts' page) its
    chart."""

    slug: str
    heading: str
    column: str  # heading of the table's first column
    title: str  # the chart's title
    rows: list[figures.CountRow]
    chart: SafeString | None = None

    @property
    def counted(self) -> list[figures.CountRow]:
        """The rows with laureates: the table lists them, and names the others in a sentence
        (a row per value without laureate would weigh the page for a zero)."""
        return [row for row in self.rows if row.laureates]

    @property
    def uncounted(self) -> list[str]:
        return [str(row.label) for row in self.rows if not row.laureates]

    def charted(self) -> "Section":
        bars = [charts.Bar(row.label, row.laureates) for row in self.rows]
        chart = charts.bar_chart(
            ident=self.slug, title=self.title, description=CHART_DESCRIPTION, bars=bars
        )
        return Section(self.slug, self.heading, self.column, self.title, self.rows, chart)


def _funnel_bars(editions: list[figures.EditionFigures]) -> list[charts.Bar]:
    """Three bars per edition that published any of its funnel counts, grouped by year."""
    return [
        charts.Bar(label, value, group=str(edition.year))
        for edition in editions
        if edition.applications or edition.auditioned or edition.announced
        for label, value in (
            (_("Dossiers déposés"), edition.applications),
            (_("Dossiers auditionnés"), edition.auditioned),
            (_("Lauréats annoncés"), edition.announced),
        )
    ]


def _figures(request: HttpRequest) -> dict[str, object]:
    """What both pages show: the editions, the year filter and each breakdown's rows."""
    chosen = chosen_contest(request)
    editions = figures.edition_figures(contest=chosen.slug)
    years = [edition.year for edition in reversed(editions) if edition.recorded]
    form = StatisticsFilterForm(
        request.GET, choices=figures.FilterChoices(years=years, themes=[], levels=[])
    )
    filters = form.figure_filter(contest=chosen.slug)
    year = filters.year
    region_names = figures.regions()
    # « Labels or » only for a contest that has a level « or »: the others count by their own.
    has_gold = figures.contest_has_level(figures.GOLD, contest=chosen.slug)
    themes = figures.laureates_by_theme(filters)
    gold_filter = figures.FigureFilter(year=year, level=figures.GOLD, contest=chosen.slug)
    gold = (
        [row for row in figures.laureates_by_region(region_names, gold_filter) if row.laureates]
        if has_gold
        else []
    )
    if year:
        gold_title = _("Labels or par région en %(year)s") % {"year": year}
    else:
        gold_title = _("Labels or par région, toutes années")
    return {
        "chosen": chosen,
        "has_gold": has_gold,
        "form": form,
        "year": year,
        "editions": editions,
        "sections": [
            *(
                [Section("par-theme", _("Par thème"), _("Thème"), _("Lauréats par thème"), themes)]
                if any(row.code for row in themes)  # a contest without themes has no such section
                else []
            ),
            Section(
                "par-niveau",
                _("Par niveau"),
                _("Niveau"),
                _("Lauréats par niveau"),
                figures.laureates_by_level(filters),
            ),
            Section(
                "par-region",
                _("Par région"),
                _("Région"),
                _("Lauréats par région"),
                figures.laureates_by_region(region_names, filters),
            ),
            Section(
                "par-structure",
                _("Par type de structure"),
                _("Type de structure"),
                _("Lauréats par type de structure"),
                figures.laureates_by_kind(filters),
            ),
        ],
        "gold_section": Section("or-par-region", gold_title, _("Région"), gold_title, gold),
        "region_names": region_names,
        # The same selection on the other page (charts ↔ tables).
        "query": request.GET.urlencode(),
    }


def statistics(request: HttpRequest) -> HttpResponse:
    shared = _figures(request)
    editions = shared["editions"]
    context = {
        **shared,
        "year_chart": charts.bar_chart(
            ident="par-annee",
            title=_("Labels enregistrés par année"),
            description=CHART_DESCRIPTION,
            bars=[charts.Bar(str(e.year), e.recorded) for e in editions],
        ),
        "funnel_chart": charts.bar_chart(
            ident="entonnoir",
            title=_("Entonnoir des candidatures par édition"),
            description=CHART_DESCRIPTION,
            bars=_funnel_bars(editions),
        ),
        "sections": [section.charted() for section in shared["sections"]],
        "gold_section": shared["gold_section"].charted(),
    }
    return render(request, "catalogue/figures/statistics.html", context)


def statistics_tables(request: HttpRequest) -> HttpResponse:
    shared = _figures(request)
    gold = figures.gold_by_region(
        shared["region_names"], shared["editions"], contest=shared["chosen"].slug
    )
    announced = None if None in gold.announced else sum(gold.announced)

    def by_year(values: list, *, keep_zero: bool = False) -> list[tuple[int, int | None]]:
        return [
            (year, value)
            for year, value in zip(gold.years, values, strict=True)
            if value or keep_zero
        ]

    context = {
        **shared,
        "gold": gold,
        # A row per région, its years in one cell (a column per year would grow the page every
        # year), with the total over the years: the gold chart's figures.
        "gold_rows": [
            (name, by_year(cells), sum(cells))
            for name, cells in [*gold.rows, (_("Région non renseignée"), gold.without_region)]
        ],
        "gold_totals": [
            (_("Labels or enregistrés"), by_year(gold.recorded), sum(gold.recorded)),
            (_("Labels or annoncés"), by_year(gold.announced, keep_zero=True), announced),
        ],
    }
    return render(request, "catalogue/figures/statistics_tables.html", context)


urlpatterns = [
    path("statistiques/", statistics, name="statistics"),
    path("statistiques/tableaux/", statistics_tables, name="statistics_tables"),
]
