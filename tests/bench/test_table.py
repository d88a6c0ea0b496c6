"""The table `make bench` ends with (bench/_table.py): one row per figure, noise ignored."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "bench_table", Path(__file__).resolve().parents[2] / "bench" / "_table.py"
)
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)


def test_each_figure_is_a_row_with_its_main_value_and_details():
    lines = [
        '{"name": "assignment_10000x1000", "seconds": 1.88, "optimal": true, "objective": 2.5}',
        '{"name": "search_p95", "database": "postgresql", "ms": 19.5}',
        "a stray log line",
        '{"no_name": 1}',
    ]
    assert table.rows(lines) == [
        ("assignment_10000x1000", "1.88 seconds", "objective 2.5, optimal True"),
        ("search_p95 (postgresql)", "19.5 ms", ""),
    ]


def test_the_table_aligns_its_columns():
    rendered = table.render([("a", "1 seconds", ""), ("longer name", "2 ms", "x 1")])
    assert rendered.splitlines() == [
        "figure       value      details",
        "-----------  ---------  -------",
        "a            1 seconds         ",
        "longer name  2 ms       x 1    ",
    ]


def test_a_page_weight_is_named_by_its_page_with_its_kilobytes_first():
    lines = [
        '{"name": "page_weight", "page": "/palmares/", "kb": 23.4, "requests": 3,'
        ' "third_party": 0, "within_budget": true}',
    ]
    assert table.rows(lines) == [
        (
            "page_weight (/palmares/)",
            "23.4 kb",
            "requests 3, third_party 0, within_budget True",
        ),
    ]


def test_throughput_lines_show_requests_per_second_and_the_ratio_its_goal():
    lines = [
        '{"name": "throughput_hello", "database": "sqlite", "rps": 2400.5, "p99_ms": 8.4}',
        '{"name": "throughput_ratio", "database": "sqlite", "ratio": 0.73, "goal": 0.6}',
    ]
    assert table.rows(lines) == [
        ("throughput_hello (sqlite)", "2400.5 rps", "p99_ms 8.4"),
        ("throughput_ratio (sqlite)", "0.73 ratio", "goal 0.6"),
    ]


def test_the_deadline_rush_shows_its_p95_and_every_outcome():
    lines = [
        '{"name": "deadline_rush", "database": "postgresql", "applicants": 200, "requests": 1000,'
        ' "errors_5xx": 0, "accepted": 110, "refused_late": 90, "lost_drafts": 0,'
        ' "p95_ms": 85.2}',
    ]
    assert table.rows(lines) == [
        (
            "deadline_rush (postgresql)",
            "85.2 p95_ms",
            "requests 1000, applicants 200, errors_5xx 0, accepted 110, refused_late 90, "
            "lost_drafts 0",
        ),
    ]


def test_an_ecoindex_is_named_by_its_page_with_its_score_and_grade():
    lines = [
        '{"name": "ecoindex", "page": "/carte/", "score": 86, "grade": "A", "dom": 131,'
        ' "elements": 395, "requests": 3, "transfer_kb": 35.2, "within_budget": true}',
    ]
    assert table.rows(lines) == [
        (
            "ecoindex (/carte/)",
            "86 score",
            "grade A, dom 131, elements 395, requests 3, within_budget True",
        )
    ]


def test_the_rate_limit_shows_the_share_of_refusals_of_an_over_limit_client():
    lines = [
        '{"name": "api_rate_limit", "database": "sqlite", "requests": 240, "limit": 120,'
        ' "accepted": 120, "refused": 120, "share_429": 0.5, "retry_after": "58",'
        ' "within_budget": true}',
    ]
    assert table.rows(lines) == [
        (
            "api_rate_limit (sqlite)",
            "0.5 share_429",
            "limit 120, refused 120, requests 240, within_budget True, accepted 120",
        )
    ]
