"""contests.levels: level rules in words, and the rank check of the Levels page."""

from decimal import Decimal

from django.utils import translation

from contests.levels import RankedMinimum, rank_inversions, rule_statement, score_text
from contests.models import Level


def test_score_text_writes_a_french_decimal_without_trailing_zero():
    with translation.override("fr"):
        assert [score_text(Decimal(value)) for value in ("4.00", "3.50", "3.25", "10", "0.00")] == [
            "4",
            "3,5",
            "3,25",
            "10",
            "0",
        ]


def test_rule_statement_says_minimum_and_maximum():
    level = Level(name="Or", rank=1, min_score=Decimal("4.00"), max_per_theme=1)
    with translation.override("fr"):
        assert rule_statement(level) == "Or : note ≥ 4, au plus 1 par thème"


def test_rule_statement_says_when_a_level_has_no_rule():
    level = Level(name="Bronze", rank=3)
    with translation.override("fr"):
        assert rule_statement(level) == "Bronze : aucune note minimale, sans limite par thème"


def ranked(name: str, rank: int, score: str | None) -> RankedMinimum:
    return RankedMinimum(name, name, rank, None if score is None else Decimal(score))


def test_rank_inversions_names_the_better_level_and_the_stricter_one_below():
    inversions = rank_inversions(
        [ranked("Bronze", 3, "3.8"), ranked("Or", 1, "3.6"), ranked("Argent", 2, "3.5")]
    )

    assert [(i.better.name, i.worse.name) for i in inversions] == [
        ("Or", "Bronze"),
        ("Argent", "Bronze"),
    ]


def test_rank_inversions_finds_none_in_decreasing_or_equal_minimums():
    levels = [ranked("Or", 1, "4"), ranked("Argent", 2, "4"), ranked("Bronze", 3, None)]

    assert rank_inversions(levels) == []
