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
