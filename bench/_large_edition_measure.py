"""The measuring half of bench/large_edition.py: each page and export of the large edition.

Runs in the worker process, Django set up with the production settings on the database to
measure (see bench/large_edition.py for what is printed and why).
"""

import io
import json
import time
import tracemalloc
from collections.abc import Callable
from statistics import median, quantiles

import _large_edition_data as data
from _large_edition_pages import CONTEST, Cast, Page, pages

RUNS = 10
MIN_RUNS = 5
TIME_PER_PAGE = 15.0  # seconds: a slow page stops after MIN_RUNS runs past this
PAGE_BUDGET_MS, PAGE_BUDGET_KB = 150, 300
CSV_BUDGET_MS, XLSX_BUDGET_MS, OPEN_BUDGET_MS = 300, 1500, 300


def emit(database: str, name: str, **figures) -> None:
    print(json.dumps({"name": name, "database": database, **figures}), flush=True)


def signed_in(user):
    """A test Client signed in as `user` with both factors (tests/conftest.py does the same)."""
    from django.test import Client

    from accounts import second_factor
    from accounts.models import TotpDevice

    client = Client()
    client.force_login(user)
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    session = client.session
    session[second_factor.SESSION_KEY] = second_factor.session_marker(user, device)
    session.save()
    return client


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def check(page: Page, response, body: bytes) -> None:
    """Fail unless the answer is the page's, whole: status, and every expected text."""
    if response.status_code != 200:
        raise AssertionError(f"{page.name} ({page.url}) answered {response.status_code}")
    if page.kind == "xlsx":
        if not body.startswith(b"PK"):
            raise AssertionError(f"{page.name} is no XLSX file")
        return
    text = body.decode()
    missing = [expected for expected in page.expected if expected not in text]
    if missing:
        raise AssertionError(f"{page.name} ({page.url}) lacks {missing}")


def check_rows(page: Page, body: bytes) -> None:
    """An export holds exactly its rows (checked once, outside the timed runs)."""
    if page.kind == "csv":
        import csv

        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        rows = [[str(cell) if cell is not None else "" for cell in row] for row in sheet.values]
    if len(rows) - 1 != page.rows:
        raise AssertionError(f"{page.name}: {len(rows) - 1} rows, expected {page.rows}")
    header = " ".join(rows[0])
    missing = [expected for expected in page.expected if expected not in header + str(rows[1])]
    if missing:
        raise AssertionError(f"{page.name}: first rows lack {missing}")


def timed(function: Callable[[], object]) -> tuple[float, float, object]:
    """Milliseconds of wall time and of this process's CPU time (on a shared machine, the
    second says what the page costs, the first what a visitor waited), and the result."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, result


def percentiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds, two decimals."""
    cuts = quantiles(values, n=100, method="inclusive")
    return round(cuts[49], 2), round(cuts[94], 2)


def count_queries(function: Callable[[], object]) -> int:
    """The SQL statements `function` runs (DEBUG is off: counted by an execute wrapper)."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function()
    return count


def peak_memory_mb(function: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        function()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def measure_page(database: str, page: Page, client) -> None:
    def fetch() -> tuple:
        response = client.get(page.url)
        return response, body_of(response)

    response, body = fetch()  # warm-up
    check(page, response, body)
    if page.rows is not None:
        check_rows(page, body)
    times: list[float] = []
    cpu: list[float] = []
    spent = time.perf_counter()
    while len(times) < RUNS and (
        len(times) < MIN_RUNS or time.perf_counter() - spent < TIME_PER_PAGE
    ):
        elapsed, used, (response, body) = timed(fetch)
        check(page, response, body)
        times.append(elapsed)
        cpu.append(used)
    p50, p95 = percentiles(times)
    figures = {
        "page": page.name,
        "p95_ms": p95,
        "p50_ms": p50,
        "cpu_p50_ms": round(median(cpu), 2),
        "runs": len(times),
        "queries": count_queries(fetch),
        "peak_memory_mb": peak_memory_mb(fetch),
    }
    if page.kind == "page":
        kb = round(len(body) / 1024, 1)
        within = p95 <= PAGE_BUDGET_MS and kb <= PAGE_BUDGET_KB
        budget = f"p95 ≤ {PAGE_BUDGET_MS} ms, ≤ {PAGE_BUDGET_KB} KB"
        emit(
            database,
            "large_edition_page",
            **figures,
            html_kb=kb,
            budget=budget,
            within_budget=within,
        )
        return
    # The budget is for 5,000 rows; these exports have fewer, and are held to it all the same.
    limit = CSV_BUDGET_MS if page.kind == "csv" else XLSX_BUDGET_MS
    extra = {"lxml": _lxml()} if page.kind == "xlsx" else {}
    emit(
        database,
        "large_edition_export",
        **figures,
        rows=page.rows,
        file_kb=round(len(body) / 1024, 1),
        budget=f"p95 ≤ {limit} ms for 5,000 rows",
        within_budget=p95 <= limit,
        **extra,
    )


def _lxml() -> bool:
    from openpyxl import LXML

    return LXML


def measure(
    database: str, *, quick: bool = False, only: set[str] | None = None, profile: str = ""
) -> None:
    """Every page and export of the large edition, opening its deliberation, creating a
    dossier; one JSON line each. `quick`: one run of each, to check the answers. `only`: these
    pages alone (by name; the deliberation is still opened for its pages). `profile`: instead,
    that page's profile (bench/_large_edition_profile.py; "opening" for the deliberation's)."""
    global RUNS, MIN_RUNS
    if quick:
        RUNS = MIN_RUNS = 2
    from django.db import connection

    from contests.models import Edition
    from palmares.memory import settle

    edition = Edition.objects.select_related("contest").get(contest__slug=CONTEST, year=data.YEAR)
    data.redate(edition, data.SCORING_OFFSETS_DAYS)  # jury scoring, whatever the build's day
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cast = Cast.of(edition)
    clients = {
        "organiser": signed_in(cast.organiser),
        "juror": signed_in(cast.juror.user),
        "president": signed_in(cast.president.user),
    }
    # As a production worker does once it has loaded the site (deploy/gunicorn.conf.py).
    settle()
    if profile:
        from _large_edition_profile import profile as profile_page

        open_it = opening(cast, clients["organiser"])
        profile_page(profile, cast, clients, open_it)
        return
    for page in pages(cast, opened=False):
        if not only or page.name in only:
            measure_page(database, page, clients[page.persona])
    measure_opening(database, cast, clients["organiser"])
    for page in pages(cast, opened=True):
        if not only or page.name in only:
            measure_page(database, page, clients[page.persona])
    if not only:
        measure_creation(database, edition)


def opening(cast: Cast, client) -> Callable[[], int]:
    """A function that POSTs the opening form (the national round), checks the answer and
    returns the decisions staged."""
    from django.urls import reverse

    from awards.models import Decision
    from jury.models import RoundEntry

    url = reverse("awards:deliberation", args=[CONTEST, data.YEAR])
    form = {
        "round": data.NATIONAL_SLUG,
        "method": "mean",
        "normalised": "on",
        "disagreement_threshold": "1",
        "send_reasons": "on",
    }
    entries = RoundEntry.objects.filter(round__edition=cast.edition, round__slug=data.NATIONAL_SLUG)
    expected = entries.count()

    def open_it() -> int:
        response = client.post(url, form)
        decisions = Decision.objects.filter(deliberation__edition=cast.edition).count()
        if response.status_code != 302 or response.url != url or decisions != expected:
            raise AssertionError(
                f"opening the deliberation answered {response.status_code} with "
                f"{decisions} decisions, expected a redirection to {url} and {expected}"
            )
        return decisions

    return open_it


def measure_opening(database: str, cast: Cast, client) -> None:
    """POST the opening form RUNS times, each rolled back; then once for good, so that the
    deliberation's pages can be measured."""
    from django.db import transaction

    open_it = opening(cast, client)
    times, cpu = [], []
    for _run in range(RUNS + 1):
        with transaction.atomic():
            elapsed, used, decisions = timed(open_it)
            transaction.set_rollback(True)
        times.append(elapsed)
        cpu.append(used)
    p50, p95 = percentiles(times[1:])
    emit(
        database,
        "large_edition_open_deliberation",
        p95_ms=p95,
        p50_ms=p50,
        cpu_p50_ms=round(median(cpu[1:]), 2),
        decisions=decisions,
        budget=f"p95 ≤ {OPEN_BUDGET_MS} ms",
        within_budget=p95 <= OPEN_BUDGET_MS,
    )
    open_it()
    from django.db import connection

    if connection.vendor == "postgresql":
        # The rolled-back runs left some 20,000 dead decisions (a deliberation opens once):
        # cleared now, not by an autovacuum in the middle of the next pages' measurements.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


CREATION_RUNS = 50


def measure_creation(database: str, edition) -> None:
    """One dossier created (applications.domain.create_application) in a new edition holding
    100 dossiers and in the large one (2,015), alternately (so that both see the same load),
    CREATION_RUNS times each, each rolled back; constant if the CPU time's medians agree."""
    from django.db import transaction

    from applications import domain
    from applications.models import Application
    from contests import domain as contests_domain

    sample = Application.objects.select_related("lead_organisation", "created_by").first()
    lead, agent = sample.lead_organisation, sample.created_by
    size = Application.objects.filter(edition=edition).count()
    wall: dict[int, list[float]] = {100: [], size: []}
    cpu: dict[int, list[float]] = {100: [], size: []}
    with transaction.atomic():
        small = contests_domain.create_edition(edition.contest, data.YEAR + 1, by=agent)
        for _number in range(100):
            domain.create_application(small, lead, by=agent)
        for run in range(CREATION_RUNS + 1):
            for count, target in ((100, small), (size, edition)):
                with transaction.atomic():
                    elapsed, used, _result = timed(
                        lambda target=target: domain.create_application(target, lead, by=agent)
                    )
                    transaction.set_rollback(True)
                if run:  # the first is a warm-up
                    wall[count].append(elapsed)
                    cpu[count].append(used)
        transaction.set_rollback(True)
    p50_small, p95_small = percentiles(wall[100])
    p50, p95 = percentiles(wall[size])
    ratio = round(median(cpu[size]) / median(cpu[100]), 2)
    emit(
        database,
        "large_edition_create_dossier",
        p95_ms=p95,
        p50_ms=p50,
        cpu_p50_ms=round(median(cpu[size]), 2),
        dossiers=size,
        p50_ms_at_100=p50_small,
        p95_ms_at_100=p95_small,
        cpu_p50_ms_at_100=round(median(cpu[100]), 2),
        ratio=ratio,
        budget="constant: CPU p50 at 2,015 ≤ 1.5 × at 100",
        within_budget=ratio <= 1.5,
    )
