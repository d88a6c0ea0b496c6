"""GreenIT's EcoIndex of a web page, from its DOM elements, requests and transferred kilobytes.

The published method (cnumr/ecoindex_reference; the computation of the `ecoindex-compute`
package, not installed here: a table and ten lines): each figure is placed in a table of 21
quantiles drawn from the HTTP Archive, with linear interpolation between two quantiles; the
score is 100 − 5 × (3 q_dom + 2 q_requests + q_size) / 6, rounded; the grade is the first of A
(above 80), B (70), C (55), D (40), E (25), F (10), else G. As the reference scraper counts
them: the DOM elements are every element but those inside an SVG drawing, the requests every
request (images included), the size every response as transferred, in kilobytes of 1,000 bytes.

Used by the browser tests (test_pages.py: every public page graded A, DESIGN.md's budget) and by
bench/pages.py (a figure per page).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

QUANTILES_DOM = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603,
    674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601,
)  # fmt: skip
QUANTILES_REQUESTS = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78,
    86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
)  # fmt: skip
QUANTILES_SIZE = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
    1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
)  # fmt: skip
GRADES = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))


def quantile(quantiles: Sequence[float], value: float) -> float:
    """Where `value` falls in `quantiles`: 0 to 20, interpolated between two quantiles."""
    for index in range(1, len(quantiles)):
        if value < quantiles[index]:
            low, high = quantiles[index - 1], quantiles[index]
            return index - 1 + (value - low) / (high - low)
    return len(quantiles) - 1


def score(dom: int, requests: int, kilobytes: float) -> int:
    weighted = (
        3 * quantile(QUANTILES_DOM, dom)
        + 2 * quantile(QUANTILES_REQUESTS, requests)
        + quantile(QUANTILES_SIZE, kilobytes)
    )
    return round(100 - 5 * weighted / 6)


def grade(value: float) -> str:
    return next((letter for letter, floor in GRADES if value > floor), "G")


@dataclass(frozen=True)
class EcoIndex:
    dom: int  # elements, SVG drawings' insides aside
    elements: int  # every element
    requests: int
    kilobytes: float

    @property
    def score(self) -> int:
        return score(self.dom, self.requests, self.kilobytes)

    @property
    def grade(self) -> str:
        return grade(self.score)


def measure(page, requests: list) -> EcoIndex:
    """The EcoIndex figures of a loaded Playwright `page`, given every request it made."""
    network = [r for r in requests if urlsplit(r.url).scheme in {"http", "https"}]
    transferred = 0
    for request in network:
        sizes = request.sizes()
        transferred += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    elements = page.evaluate("document.querySelectorAll('*').length")
    in_svg = page.evaluate("document.querySelectorAll('svg *').length")
    return EcoIndex(elements - in_svg, elements, len(network), transferred / 1000)
