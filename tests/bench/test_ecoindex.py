"""GreenIT's EcoIndex as the browser tests and bench/pages.py compute it
(tests/browser/ecoindex.py)."""

import pytest

from tests.browser import ecoindex


def test_the_published_example_scores_72_and_grades_b():
    # 100 elements, 100 requests, 100 KB: the example of the reference implementation.
    assert ecoindex.score(dom=100, requests=100, kilobytes=100) == 72
    assert ecoindex.grade(72) == "B"


def test_an_empty_page_scores_100_and_a_huge_one_0():
    assert ecoindex.score(dom=0, requests=0, kilobytes=0) == 100
    assert ecoindex.score(dom=600_000, requests=4_000, kilobytes=300_000) == 0


def test_a_value_between_two_quantiles_is_interpolated():
    # 75 and 159 are the 2nd and 3rd quantiles of the DOM table: 117 lies half way.
    assert ecoindex.quantile(ecoindex.QUANTILES_DOM, 117) == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("value", "letter"),
    [(81, "A"), (80, "B"), (71, "B"), (70, "C"), (56, "C"), (41, "D"), (26, "E"), (11, "F"),
     (10, "G")],
)  # fmt: skip
def test_a_grade_needs_a_score_above_its_floor(value, letter):
    assert ecoindex.grade(value) == letter


def test_a_page_measured_in_chromium_is_graded_from_its_dom_requests_and_kilobytes():
    # The accessibility statement with its 106-row grid, then /palmares/ (bench/pages.py).
    heavy = ecoindex.EcoIndex(dom=883, elements=883, requests=3, kilobytes=34.1)
    light = ecoindex.EcoIndex(dom=309, elements=309, requests=5, kilobytes=47.7)

    assert (heavy.score, heavy.grade) == (64, "C")
    assert (light.score, light.grade) == (84, "A")
