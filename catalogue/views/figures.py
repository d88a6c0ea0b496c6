"""The map, the statistics and the editions' transparency pages.

Map and statistics are public: what they count is decided in catalogue/figures.py (public
editions only). A transparency page exists only for a public edition (404 under embargo) and
shows only what organisers published; organisers edit it (catalogue.change_transparency).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contests.domain import results_are_public
from contests.models import Edition, EditionTransparency
from palmares.permissions import get_object_or_404_with_perm
from territories.text import fold

from .. import charts, figures, maps
from ..domain import LABEL_CONTEST_SLUG
from ..forms.figures import MapFilterForm, StatisticsFilterForm, TransparencyForm


def _palmares_url(**query: object) -> str:
    """The palmarès search filtered by `query`, or "" while that page does not exist."""
    try:
        url = reverse("catalogue:palmares")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({k: v for k, v in query.items() if v is not None})}"


def _narrowing(filters: figures.FigureFilter) -> dict[str, object]:
    """The map's filters, passed on to the palmarès search (same names and values)."""
    return {"year": filters.year, "theme": filters.theme, "level": filters.level}


def _laureates(count: int) -> str:
    if count == 0:
        return _("aucun lauréat")
    return ngettext("%(count)s lauréat", "%(count)s lauréats", count) % {"count": count}


def map_view(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET, choices=figures.filter_choices())
    filters = form.figure_filter()
    counts = figures.territory_counts(filters)
    places = figures.territories()
    by_regions = form.by_regions
    values = {
        place.code: counts.by_region.get(place.region_code, 0)
        if by_regions
        else counts.by_departement.get(place.code, 0)
        for place in places
    }
    shown = counts.by_region.values() if by_regions else values.values()
    classes = maps.colour_classes(max(shown, default=0))
    areas = {}
    for place in places:
        value = values[place.code]
        if by_regions:
            title = f"{place.name} ({place.code}), {place.region_name} : {_laureates(value)}"
            url = _palmares_url(region=place.region_code, **_narrowing(filters))
        else:
            title = f"{place.name} ({place.code}) : {_laureates(value)}"
            url = _palmares_url(departement=place.code, **_narrowing(filters))
        colour = maps.class_of(value, classes).colour
        areas[place.code] = maps.MapArea(place.code, place.name, title, colour, url)
    region_rows = sorted(
        {(p.region_code, p.region_name) for p in places}, key=lambda region: fold(region[1])
    )
    context = {
        "form": form,
        "by_regions": by_regions,
        "counts": counts,
        "classes": classes,
        "svg": maps.render_map(
            areas,
            {place.code: place.region_code for place in places},
            title=_("Carte des lauréats par région")
            if by_regions
            else _("Carte des lauréats par département"),
            paris_label=_("Paris et petite couronne"),
            overseas_label=_("Outre-mer"),
        ),
        "departement_rows": [
            (place, values[place.code], areas[place.code].url) for place in places
        ],
        "region_rows": [
            (
                name,
                counts.by_region.get(code, 0),
                _palmares_url(region=code, **_narrowing(filters)),
            )
            for code, name in region_rows
        ],
    }
    return render(request, "catalogue/figures/map.html", context)


CHART_DESCRIPTION = gettext_lazy(
    "Diagramme en barres ; les mêmes chiffres sont dans le tableau qui suit."
)


@dataclass(frozen=True)
class Section:
    """A breakdown of the statistics page: its heading, chart and table."""

    slug: str
    heading: str
    column: str  # heading of the table's first column
    chart: SafeString
    rows: list[figures.CountRow]


def _section(slug: str, heading: str, column: str, title: str, rows) -> Section:
    bars = [charts.Bar(row.label, row.laureates) for row in rows]
    chart = charts.bar_chart(ident=slug, title=title, description=CHART_DESCRIPTION, bars=bars)
    return Section(slug, heading, column, chart, rows)


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


def statistics(request: HttpRequest) -> HttpResponse:
    editions = figures.edition_figures()
    years = [edition.year for edition in reversed(editions) if edition.recorded]
    form = StatisticsFilterForm(
        request.GET, choices=figures.FilterChoices(years=years, themes=[], levels=[])
    )
    filters = form.figure_filter()
    year = filters.year
    region_names = figures.regions()
    gold = [
        row
        for row in figures.laureates_by_region(
            region_names, figures.FigureFilter(year=year, level=figures.GOLD)
        )
        if row.laureates
    ]
    if year:
        gold_title = _("Labels or par région en %(year)s") % {"year": year}
    else:
        gold_title = _("Labels or par région, toutes années")
    context = {
        "form": form,
        "year": year,
        "editions": editions,
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
        "sections": [
            _section(
                "par-theme",
                _("Par thème"),
                _("Thème"),
                _("Lauréats par thème"),
                figures.laureates_by_theme(filters),
            ),
            _section(
                "par-niveau",
                _("Par niveau"),
                _("Niveau"),
                _("Lauréats par niveau"),
                figures.laureates_by_level(filters),
            ),
            _section(
                "par-region",
                _("Par région"),
                _("Région"),
                _("Lauréats par région"),
                figures.laureates_by_region(region_names, filters),
            ),
            _section(
                "par-structure",
                _("Par type de structure"),
                _("Type de structure"),
                _("Lauréats par type de structure"),
                figures.laureates_by_kind(filters),
            ),
        ],
        "gold_section": _section("or-par-region", gold_title, _("Région"), gold_title, gold),
        "gold": figures.gold_by_region(region_names, editions),
    }
    return render(request, "catalogue/figures/statistics.html", context)


def _label_editions():
    return Edition.objects.filter(contest__slug=LABEL_CONTEST_SLUG).select_related("contest")


def transparency(request: HttpRequest, year: int) -> HttpResponse:
    # Only public editions have a page: under embargo it does not exist, for anyone.
    edition = get_object_or_404(
        Edition.objects.public().filter(contest__slug=LABEL_CONTEST_SLUG).select_related("contest"),
        year=year,
    )
    published = EditionTransparency.objects.filter(edition=edition, published=True).first()
    distributions = []
    if published and published.score_distribution:
        for index, (name, counts) in enumerate(published.score_distribution.items(), start=1):
            bars = [charts.Bar(str(score), count) for score, count in enumerate(counts)]
            chart = charts.column_chart(
                ident=f"notes-{index}",
                title=_("Notes du critère « %(criterion)s »") % {"criterion": name},
                description=_("Histogramme ; les mêmes chiffres sont dans le tableau qui suit."),
                bars=bars,
            )
            distributions.append((name, chart, bars, sum(counts)))
    context = {
        "edition": edition,
        "criteria": list(edition.criteria.all()),
        "transparency": published,
        "jury": [line for line in published.jury_institutions.splitlines() if line.strip()]
        if published
        else [],
        "conflicts": published.conflicts_handled if published else None,
        "distributions": distributions,
        "may_edit": request.user.has_perm("catalogue.change_transparency", edition),
    }
    return render(request, "catalogue/figures/transparency.html", context)


@login_required
def transparency_edit(request: HttpRequest, year: int) -> HttpResponse:
    edition = get_object_or_404_with_perm(
        request, "catalogue.change_transparency", _label_editions(), year=year
    )
    row = EditionTransparency.objects.filter(edition=edition).first()
    form = TransparencyForm(
        request.POST or None, instance=row or EditionTransparency(edition=edition)
    )
    is_public = results_are_public(edition)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("La page de transparence a été enregistrée."))
        if is_public:
            return redirect("catalogue:transparency", edition.year)
        return redirect("catalogue:transparency_edit", edition.year)
    context = {"edition": edition, "form": form, "is_public": is_public}
    return render(request, "catalogue/figures/transparency_edit.html", context)


urlpatterns = [
    path("carte/", map_view, name="map"),
    path("statistiques/", statistics, name="statistics"),
    path("palmares/<int:year>/transparence/", transparency, name="transparency"),
    path(
        "palmares/<int:year>/transparence/modifier/",
        transparency_edit,
        name="transparency_edit",
    ),
]
