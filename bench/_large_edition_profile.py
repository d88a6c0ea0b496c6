"""Where one page of the large edition spends its time (bench/large_edition.py --profile=NAME).

Runs in the measuring worker: the page is fetched once to warm up, then PROFILED_RUNS times
under cProfile; prints the functions by cumulative and by own time, then the page's SQL
statements, slowest first, with their time (one more fetch, each statement timed). The answer
is kept in var/bench/profile-<name>.<kind>, to read what the page shows. Profiles
the deliberation's pages after opening it, as the measuring run does.
"""

import cProfile
import os
import pstats
import time

from _large_edition_pages import Cast, Page, pages
from _site import ROOT

PROFILED_RUNS = 5
SHOWN = int(os.environ.get("PROFILE_SHOWN", "35"))
STATEMENTS = 15


def _fetch(client, page: Page) -> bytes:
    response = client.get(page.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != 200:
        raise AssertionError(f"{page.name} ({page.url}) answered {response.status_code}")
    return body


def _statements(client, page: Page) -> None:
    from django.db import connection

    timings: list[tuple[float, str]] = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timer):
        _fetch(client, page)
    total = sum(ms for ms, _sql in timings)
    print(f"\n{len(timings)} statements, {total:.1f} ms; the slowest:")
    for ms, sql in sorted(timings, reverse=True)[:STATEMENTS]:
        print(f"{ms:8.2f} ms  {sql[:600]}")


def _profile_opening(open_deliberation) -> None:
    """The POST that opens the deliberation, each run rolled back."""
    from django.db import transaction

    def opened() -> None:
        with transaction.atomic():
            open_deliberation()
            transaction.set_rollback(True)

    opened()  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    for _run in range(PROFILED_RUNS):
        opened()
    profiler.disable()
    print(f"opening the deliberation, {PROFILED_RUNS} runs")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(SHOWN)
    stats.sort_stats("tottime").print_stats(SHOWN)


def profile(name: str, cast: Cast, clients: dict, open_deliberation) -> None:
    """Profile the page called `name` (opening the deliberation first if it is one of its);
    "opening": the POST that opens it."""
    if name == "opening":
        _profile_opening(open_deliberation)
        return
    found = [page for page in pages(cast, opened=False) if page.name == name]
    if not found:
        open_deliberation()
        found = [page for page in pages(cast, opened=True) if page.name == name]
    if not found:
        raise SystemExit(f"no page called {name!r}")
    page = found[0]
    client = clients[page.persona]
    body = _fetch(client, page)  # warm-up
    kept = ROOT / "var" / "bench" / f"profile-{page.name.replace(' ', '-')}.{page.kind}"
    kept.write_bytes(body)
    profiler = cProfile.Profile()
    profiler.enable()
    for _run in range(PROFILED_RUNS):
        _fetch(client, page)
    profiler.disable()
    print(f"{page.name} ({page.url}), {PROFILED_RUNS} runs; {len(body) / 1024:.1f} KB in {kept}")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(SHOWN)
    stats.sort_stats("tottime").print_stats(SHOWN)
    if os.environ.get("PROFILE_CALLERS"):  # who calls these functions (a regular expression)
        stats.print_callers(os.environ["PROFILE_CALLERS"])
    _statements(client, page)
