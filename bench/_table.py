"""The table `make bench` ends with: one row per JSON line the benchmarks printed.

Reads the JSON lines (a file, or standard input), keeps each line's name, database or page (if
any) and its main figure — seconds, milliseconds, ratio, share of refusals, kilobytes,
requests per second — with the figures that qualify it (objective, optimal, greedy baseline,
peak memory, scores, request counts, budget, rush outcomes…). Lines that are not JSON are
ignored: the benchmarks print nothing else, but a stray log line must not break the table.
"""

import json
import sys

MAIN = ("seconds", "ms", "p95_ms", "ratio", "share_429", "kb", "rps", "score")
# What tells two lines of the same name apart (shown after the name, in parentheses).
QUALIFIERS = ("database", "page")
DETAILS = (
    "p50_ms",
    "cpu_p50_ms",
    "cpu_p95_ms",
    "queries",
    "html_kb",
    "rows",
    "grade",
    "dom",
    "elements",
    "refused_status",
    "limit",
    "refused",
    "cached",
    "objective",
    "optimal",
    "greedy_objective",
    "highs_objective",
    "agree",
    "peak_memory_mb",
    "scores",
    "resamples",
    "created",
    "p99_ms",
    "goal",
    "requests",
    "third_party",
    "within_budget",
    "applicants",
    "errors_5xx",
    "accepted",
    "refused_late",
    "lost_drafts",
    "budget",
)


def rows(lines) -> list[tuple[str, str, str]]:
    table = []
    for line in lines:
        try:
            figure = json.loads(line)
        except ValueError:
            continue
        if not isinstance(figure, dict) or "name" not in figure:
            continue
        name = figure["name"] + "".join(
            f" ({figure[key]})" for key in QUALIFIERS if figure.get(key)
        )
        main = next((f"{figure[key]} {key}" for key in MAIN if key in figure), "")
        details = ", ".join(f"{key} {figure[key]}" for key in DETAILS if key in figure)
        table.append((name, main, details))
    return table


def render(table: list[tuple[str, str, str]]) -> str:
    header = ("figure", "value", "details")
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(3)]
    line = "  ".join("-" * width for width in widths)
    out = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as source:
            print(render(rows(source)))
    else:
        print(render(rows(sys.stdin)))
