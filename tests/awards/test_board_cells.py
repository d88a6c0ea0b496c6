"""The board's score cells (awards.templatetags.deliberation_board): localised, three places."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from awards.deliberation_board import Measure

CELL = Template("{% load deliberation_board %}<td>{% measure value %}</td>")


def _cell(value: Measure, language: str = "fr") -> str:
    with translation.override(language):
        return CELL.render(Context({"value": value}))


def test_a_score_with_its_interval_in_french_and_in_english():
    value = Measure(Decimal("3.667"), Decimal("3.250"), Decimal("4.000"))

    assert _cell(value) == '<td>3,667 <span class="muted">(3,250 – 4,000)</span></td>'
    assert _cell(value, "en") == '<td>3.667 <span class="muted">(3.250 – 4.000)</span></td>'


def test_a_score_without_spread_has_no_interval():
    assert _cell(Measure(Decimal("4.000"), Decimal("4.000"), Decimal("4.000"))) == "<td>4,000</td>"


def test_an_unscored_dossier_shows_a_dash():
    assert _cell(Measure(None, None, None)) == "<td>—</td>"
