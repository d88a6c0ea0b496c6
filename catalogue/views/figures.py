"""The map (and its table) and the editions' transparency pages.

The map and its table are public: what they count is decided in catalogue/figures.py (public
editions only); the statistics are in views/statistics.py. A transparency page exists only for a
public edition (404 under embargo) and shows only what organisers published; organisers edit it
(catalogue.change_transparency).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.domain import results_are_public
from contests.models import Edition, EditionTransparency
from palmares.permissions import get_object_or_404_with_perm
from territories.text import fold

from .. import charts, figures, maps
from ..domain import ChosenContest, chosen_contest
from ..forms.figures import MapFilterForm, TransparencyForm


def _palmares_url(**query: object) -> str:
    """The palmarès search filtered by `query`, or "" while that page does not exist."""
    try:
        url = reverse("catalogue:palmares")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({k: v for k, v in query.items() if v is not None})}"


def _narrowing(filters: figures.FigureFilter) -> dict[str, object]:
    """The map's filters, passed on to the palmarès search (same names and values)."""
    return {
        "year": filters.year,
        "theme": filters.theme,
        "level": filters.level,
        "concours": filters.contest,
    }


def _laureates(count: int) -> str:
    if count == 0:
        return _("aucun lauréat")
    return ngettext("%(count)s lauréat", "%(count)s lauréats", count) % {"count": count}


def _map_figures(request: HttpRequest) -> dict[str, object]:
    """What the map and its table share: the filters, the counts, each territory's value,
    title, colour and link to its laureates."""
    chosen = chosen_contest(request)
    form = MapFilterForm(request.GET, choices=figures.filter_choices(contest=chosen.slug))
    # The default contest's links keep their short form (no « concours » in the query).
    filters = form.figure_filter(contest=None if chosen.is_default else chosen.slug)
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
        # A territory without laureate links nowhere: its search would find nothing.
        areas[place.code] = maps.MapArea(
            place.code, place.name, title, colour, url if value else ""
        )
    return {
        "chosen": chosen,
        "form": form,
        "filters": filters,
        "by_regions": by_regions,
        "counts": counts,
        "classes": classes,
        "places": places,
        "values": values,
        "areas": areas,
        # The same selection on the other page (map ↔ table).
        "query": request.GET.urlencode(),
    }


def map_view(request: HttpRequest) -> HttpResponse:
    """The map alone: its table is a page of its own (map_table), so that the map page stays
    light (EcoIndex A: a few hundred elements, not a thousand)."""
    shared = _map_figures(request)
    places, by_regions = shared["places"], shared["by_regions"]
    svg = maps.render_map(
        shared["areas"],
        {place.code: place.region_code for place in places},
        title=_("Carte des lauréats par région")
        if by_regions
        else _("Carte des lauréats par département"),
        paris_label=_("Paris et petite couronne"),
        overseas_label=_("Outre-mer"),
    )
    return render(request, "catalogue/figures/map.html", {**shared, "svg": svg})


@dataclass(frozen=True)
class RegionRow:
    """A row of the map's table: a région, its count, and its départements with theirs."""

    name: str
    laureates: int
    url: str
    departements: list[tuple[figures.Territory, int, str]]  # (place, count, url if any)


def map_table(request: HttpRequest) -> HttpResponse:
    """The map's figures as a table, with the same filters: a row per région, its départements
    listed in it with their counts (a row per département would weigh six times more)."""
    shared = _map_figures(request)
    places, values, filters = shared["places"], shared["values"], shared["filters"]
    counts, areas = shared["counts"], shared["areas"]
    by_region: dict[tuple[str, str], list] = {}
    for place in sorted(places, key=lambda place: place.code):
        value = values[place.code]
        url = areas[place.code].url
        by_region.setdefault((place.region_code, place.region_name), []).append((place, value, url))
    rows = [
        RegionRow(
            name,
            counts.by_region.get(code, 0),
            _palmares_url(region=code, **_narrowing(filters)),
            departements,
        )
        for (code, name), departements in sorted(
            by_region.items(), key=lambda item: fold(item[0][1])
        )
    ]
    return render(request, "catalogue/figures/map_table.html", {**shared, "rows": rows})


def _contest_editions(chosen: ChosenContest):
    return Edition.objects.filter(contest__slug=chosen.slug).select_related("contest")


def transparency(request: HttpRequest, year: int) -> HttpResponse:
    # Only public editions have a page: under embargo it does not exist, for anyone.
    chosen = chosen_contest(request)
    edition = get_object_or_404(
        Edition.objects.public().filter(contest__slug=chosen.slug).select_related("contest"),
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
        "chosen": chosen,
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
    chosen = chosen_contest(request)
    edition = get_object_or_404_with_perm(
        request, "catalogue.change_transparency", _contest_editions(chosen), year=year
    )
    row = EditionTransparency.objects.filter(edition=edition).first()
    form = TransparencyForm(
        request.POST or None, instance=row or EditionTransparency(edition=edition)
    )
    is_public = results_are_public(edition)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("La page de transparence a été enregistrée."))
        name = "catalogue:transparency" if is_public else "catalogue:transparency_edit"
        return redirect(reverse(name, args=[edition.year]) + chosen.query)
    context = {"chosen": chosen, "edition": edition, "form": form, "is_public": is_public}
    return render(request, "catalogue/figures/transparency_edit.html", context)


urlpatterns = [
    path("carte/", map_view, name="map"),
    path("carte/tableau/", map_table, name="map_table"),
    path("palmares/<int:year>/transparence/", transparency, name="transparency"),
    path(
        "palmares/<int:year>/transparence/modifier/",
        transparency_edit,
        name="transparency_edit",
    ),
]
