"""The RGAA grid (catalogue/accessibility/rgaa.csv) says only what the tests can back: every
criterion it marks as checked by a test names tests that exist, are not skipped, and still make
the checks the grid relies on (the harness's own checks, the axe-core rules); the rate the
statement publishes is computed from it."""

import ast
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from catalogue import accessibility
from catalogue.accessibility import (
    FAILS,
    NOT_APPLICABLE,
    NOT_TESTED,
    PASSES,
    STATUSES,
    Conformity,
    read_grid,
)

ROOT = Path(__file__).resolve().parents[2]
GRID = read_grid()
# RGAA 4.1: 106 criteria in 13 topics.
CRITERIA_PER_TOPIC = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


@cache
def functions(path: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def function_of(node_id: str) -> ast.FunctionDef | None:
    path, name = node_id.split("::")
    if not (ROOT / path).is_file():
        return None
    return functions(path).get(name.split("[")[0])


def names_in(function: ast.FunctionDef) -> set[str]:
    return {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Name | ast.Attribute)
    }


def test_the_grid_lists_the_106_criteria_of_rgaa_4_1():
    expected = [
        f"{topic}.{number}"
        for topic, count in enumerate(CRITERIA_PER_TOPIC, start=1)
        for number in range(1, count + 1)
    ]

    assert [criterion.number for criterion in GRID] == expected
    assert {criterion.level for criterion in GRID} == {"A", "AA"}
    assert all(criterion.title.endswith("?") for criterion in GRID)


def test_every_status_is_known_and_justified():
    unjustified = []
    for criterion in GRID:
        if criterion.status not in STATUSES:
            unjustified.append(f"{criterion.number}: unknown status {criterion.status!r}")
        elif criterion.status != NOT_TESTED and not (criterion.evidence and criterion.checked_on):
            unjustified.append(f"{criterion.number}: {criterion.status} without evidence or date")
        elif criterion.status == FAILS and not criterion.workaround:
            unjustified.append(f"{criterion.number}: fails without a workaround")
        elif criterion.status == NOT_TESTED and (criterion.evidence or criterion.checked_on):
            unjustified.append(f"{criterion.number}: not tested, yet with evidence")
        elif criterion.status == PASSES and not (criterion.tests or criterion.notes):
            unjustified.append(f"{criterion.number}: passes with no test and no manual check")

    assert unjustified == []


def test_a_manual_check_says_what_was_checked_and_when():
    manual = [criterion for criterion in GRID if criterion.evidence.startswith("manuel :")]

    assert len(manual) == 10
    assert all(len(criterion.notes) > 80 for criterion in manual)
    assert all(criterion.checked_on <= date.today() for criterion in manual)


def test_every_test_named_as_evidence_exists_and_runs():
    problems = []
    for criterion in GRID:
        for node_id in criterion.tests:
            function = function_of(node_id)
            if function is None:
                problems.append(f"{criterion.number}: {node_id} does not exist")
            elif any("skip" in ast.unparse(decorator) for decorator in function.decorator_list):
                problems.append(f"{criterion.number}: {node_id} is skipped")
            elif "xfail" in " ".join(ast.unparse(d) for d in function.decorator_list):
                problems.append(f"{criterion.number}: {node_id} is expected to fail")

    assert problems == []


def test_the_checks_the_grid_relies_on_are_still_made():
    """A helper named in `checks` is still called by one of the criterion's tests; an axe-core
    rule still exists in the axe-core the harness loads, which runs every rule."""
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for criterion in GRID:
        called = set().union(*(names_in(function_of(node_id)) for node_id in criterion.tests))
        for check in criterion.checks.split():
            rule = check.removeprefix("axe:")
            if check.startswith("axe:") and f'id:"{rule}"' not in axe:
                problems.append(f"{criterion.number}: axe-core has no rule {rule}")
            elif check.startswith("axe:") and "violations" not in called:
                problems.append(f"{criterion.number}: its tests no longer run axe-core")
            elif not check.startswith("axe:") and check not in called:
                problems.append(f"{criterion.number}: its tests no longer call {check}")
    violations = functions("tests/browser/test_pages.py")["violations"]

    assert problems == []
    # All the rules: no rule turned off, no tag filter.
    assert "Axe().run(page)" in ast.unparse(violations)


def test_a_check_that_disappears_is_caught():
    """The "may not" of the test above: a helper no test calls is reported."""
    page_test = function_of("tests/browser/test_pages.py::test_page")

    assert "reflow_problem" in names_in(page_test)
    assert "a_check_nobody_makes" not in names_in(page_test)
    assert function_of("tests/browser/test_pages.py::test_that_does_not_exist") is None


def write_grid(path: Path, statuses: list[str]) -> Path:
    header = "criterion,topic,level,title,status,evidence,checked_on,workaround,checks\n"
    rows = [
        f"1.{number},Images,A,Question ?,{status},"
        f"{'' if status == NOT_TESTED else 'manuel : vu'},"
        f"{'' if status == NOT_TESTED else f'2026-01-{number:02}'},"
        f"{'Contourner' if status == FAILS else ''},\n"
        for number, status in enumerate(statuses, start=1)
    ]
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("statuses", "rate", "level"),
    [
        ([PASSES, PASSES, PASSES, FAILS, NOT_APPLICABLE, NOT_TESTED], "60.0", "partiellement"),
        ([PASSES, NOT_APPLICABLE], "100.0", "totalement"),
        ([PASSES, FAILS, NOT_TESTED], "33.3", "non conforme"),
        ([PASSES, NOT_TESTED], "50.0", "partiellement"),
    ],
)
def test_the_rate_counts_criteria_not_tested_as_not_met(tmp_path, statuses, rate, level):
    conformity = Conformity(read_grid(write_grid(tmp_path / "grid.csv", statuses)))

    assert conformity.rate == Decimal(rate)
    assert level in str(conformity.level)


def test_the_date_is_the_last_check(tmp_path):
    conformity = Conformity(read_grid(write_grid(tmp_path / "grid.csv", [PASSES, FAILS])))

    assert conformity.last_checked == date(2026, 1, 2)


def test_the_shipped_grid_gives_the_published_figures():
    conformity = accessibility.conformity()

    assert len(conformity.with_status(PASSES)) == 40
    assert [criterion.number for criterion in conformity.with_status(FAILS)] == ["12.1"]
    assert len(conformity.with_status(NOT_APPLICABLE)) == 28
    assert len(conformity.with_status(NOT_TESTED)) == 37
    assert conformity.applicable == 78
    assert conformity.rate == Decimal("51.2")
    assert str(conformity.level) == "partiellement conforme"
    assert conformity.last_checked == date(2026, 12, 7)


def test_the_grid_is_read_from_the_project_never_from_outside():
    assert accessibility.GRID == ROOT / "catalogue" / "accessibility" / "rgaa.csv"
    assert re.fullmatch(r"content,reason\n", accessibility.DEROGATIONS.read_text("utf-8"))
