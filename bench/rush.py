"""The deadline rush: applicants saving and submitting in the seconds around a deadline.

A bounded load test, on loopback only, that stops by itself. In a database of its own (created
and dropped here: on the PostgreSQL server of --database-url, BENCH_DATABASE_URL or a local
server at 127.0.0.1:5432; a SQLite file when none answers), with the real referential:
an edition whose applications close at T = start + window / 2, and --applicants applicants, each
an agent of a distinct commune with a complete draft (bench/_rush_data.py). gunicorn serves it
with production settings (bench/_rush_settings.py adds only the server's clock) and
--server-workers sync workers. Each applicant opens its edit page, autosaves --autosaves times
with distinct content, then submits, at moments spread over [start, start + window]; at most
--workers requests are in flight (bench/_rush_client.py).

Judged on the server's own clock (a submission handled wholly before T is on time, wholly after
T late; one that straddles T may go either way, consistently) and on the database afterwards:
- no answer 5xx, and every request answered;
- no lost draft: each dossier holds the last content whose save was acknowledged;
- none accepted after the deadline: every submitted dossier's submitted_at < T, and every
  on-time submission was accepted (its answer says « Dossier déposé le … »);
- each refused one told why: every submission or autosave refused is refused with the exact
  French deadline message (applications.domain.check_deadline), its dossier still a draft.
Prints one JSON line: {"name": "deadline_rush", "applicants": 200, "requests": ...,
"errors_5xx": 0, "accepted": ..., "refused_late": ..., "lost_drafts": 0, "p95_ms": ..., ...}
and each failed check on standard error; the exit code is 1 when a check failed.
Run: make rush   (or .venv/bin/python bench/rush.py --help; about a minute)
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from statistics import quantiles
from urllib.parse import urlsplit

from _rush_client import Exchange, content, open_forms, plan, run
from _rush_data import arm, build, dossiers
from _site import POSTGRES_SCHEMES, database, environment, gunicorn, postgres_server, prepare

ACCEPTED = "Dossier déposé le "  # the start of the success message (applications.views)
START_DELAY_SECONDS = 2.0  # between arming the deadline and the first step


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0, help="seconds, T in the middle")
    parser.add_argument("--autosaves", type=int, default=3, help="per applicant, then a submit")
    parser.add_argument("--workers", type=int, default=16, help="client requests in flight")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=2040)
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server to create the rush's database on ('' for SQLite); "
        "default: BENCH_DATABASE_URL, else a local server if one answers",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    server = options.database_url if options.database_url is not None else postgres_server()
    engine = "postgresql" if urlsplit(server).scheme in POSTGRES_SCHEMES else "sqlite"
    with tempfile.TemporaryDirectory() as tmp, database(Path(tmp), "rush", server) as url:
        env = environment(url, Path(tmp), settings="bench._rush_settings")
        prepare(env, palmares=False)
        report, failures, log = rush(env, Path(tmp), options)
    print(json.dumps({"name": "deadline_rush", "database": engine, **report}), flush=True)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if report["errors_5xx"]:
        print(f"gunicorn's log (end):\n{log[-5000:]}", file=sys.stderr)
    return 1 if failures else 0


def rush(env: dict[str, str], workdir: Path, options) -> tuple[dict, list[str], str]:
    """Build the data, run the clients against gunicorn, judge: (report, failures, log)."""
    os.environ.update(env)  # this process reads and writes the same database through Django
    os.environ["LOG_LEVEL"] = "WARNING"  # its activity log (the server keeps logging)
    import django

    django.setup()
    from django.db import connections

    applicants = build(options.applicants)
    log = workdir / "gunicorn.log"
    with gunicorn(env, log, workers=options.server_workers, worker_class="sync") as base_url:
        browsers, opened = open_forms(base_url, applicants, options.workers)
        start = time.time() + START_DELAY_SECONDS
        deadline = start + options.window / 2
        message = arm(datetime.fromtimestamp(deadline, tz=UTC))
        plans = plan(len(applicants), options.autosaves, start, options.window, options.seed)
        for browser, steps in zip(browsers, plans, strict=True):
            browser.steps = steps
        exchanges = opened + run(base_url, browsers, options.workers)
    stored = dossiers(applicants[0].criterion)
    connections.close_all()  # before the database is dropped
    report, failures = judge(applicants, exchanges, stored, deadline, message)
    return report, failures, log.read_text()


def timing(exchange: Exchange, deadline: float) -> str:
    """On the server's clock: handled wholly before the deadline, wholly after, or across it."""
    if exchange.server_ended < deadline:
        return "on_time"
    if exchange.server_started >= deadline:
        return "late"
    return "straddling"


def judge(applicants, exchanges, stored, deadline: float, message: str):
    """The figures of the rush and every failed check (each a sentence)."""
    failures: list[str] = []
    counts: Counter[str] = Counter()
    lost = 0
    for index, applicant in enumerate(applicants):
        reference = applicant.reference
        dossier = stored[reference]
        acknowledged = 0  # the content the last acknowledged save wrote (0: the initial one)
        for exchange in (e for e in exchanges if e.applicant == index):
            what = f"{reference}: {exchange.kind} {exchange.content}"
            if exchange.error:
                failures.append(f"{what} got no answer ({exchange.error})")
                continue
            when = timing(exchange, deadline)
            if exchange.kind == "open":
                if exchange.final_status != 200:
                    failures.append(f"{what} answered {exchange.final_status}")
            elif exchange.kind == "autosave":
                counts["autosaves"] += 1
                if exchange.status == 200:
                    acknowledged = exchange.content
                elif exchange.status == 409 and when != "on_time" and message in exchange.body:
                    counts["autosaves_refused_late"] += 1
                else:
                    failures.append(
                        f"{what} ({when}) answered {exchange.status}: {exchange.body[:300]}"
                    )
            else:
                counts[f"submits_{when}"] += 1
                outcome = judge_submit(exchange, dossier, when, deadline, message)
                # Its form was saved when the dossier was submitted, or saved then refused.
                if dossier.state == "submitted" or outcome == "saved_then_refused":
                    acknowledged = exchange.content
                if outcome == "accepted":
                    counts["accepted"] += 1
                    counts[f"accepted_{when}"] += 1
                elif outcome in ("refused", "saved_then_refused"):
                    counts["refused"] += 1
                    counts[f"refused_{when}"] += 1
                else:
                    failures.append(f"{what} ({when}): {outcome}")
        if acknowledged:
            expected = content(reference, acknowledged)
        else:
            expected = (applicant.form["description"], applicant.form[applicant.criterion])
        if (dossier.description, dossier.criterion_text) != expected:
            lost += 1
            failures.append(
                f"{reference}: holds {dossier.description!r}, last acknowledged {expected[0]!r}"
            )
    answered = [e for e in exchanges if not e.error]
    latencies = [(e.received - e.sent) * 1000 for e in answered]
    handling = [(e.server_ended - e.server_started) * 1000 for e in answered if e.server_ended]
    report = {
        "applicants": len(applicants),
        "requests": sum(e.requests for e in answered) + len(exchanges) - len(answered),
        "errors_5xx": sum(1 for e in answered if max(e.status, e.final_status) >= 500),
        "no_answer": len(exchanges) - len(answered),
        "accepted": counts["accepted"],
        "refused_late": counts["refused"],
        "lost_drafts": lost,
        "p95_ms": p95(latencies),
        "server_p95_ms": p95(handling),
        "submits_on_time": counts["submits_on_time"],
        "accepted_on_time": counts["accepted_on_time"],
        "submits_late": counts["submits_late"],
        "refused_after_deadline": counts["refused_late"],
        "submits_straddling": counts["submits_straddling"],
        "autosaves": counts["autosaves"],
        "autosaves_refused_late": counts["autosaves_refused_late"],
        "failures": len(failures),
    }
    return report, failures


def p95(milliseconds: list[float]) -> float:
    if len(milliseconds) < 2:
        return round(max(milliseconds, default=0.0), 1)
    return round(quantiles(milliseconds, n=100, method="inclusive")[94], 1)


def judge_submit(exchange: Exchange, dossier, when: str, deadline: float, message: str) -> str:
    """ "accepted", "refused" (nothing saved), "saved_then_refused", or what went wrong.

    The view saves the posted form, then submits: after the deadline the save is refused (409,
    the form kept on the page); across it the save may pass and the submission be refused (the
    edit page again, 200, or the dossier's page, 302, with the reason)."""
    if dossier.state == "submitted":
        if dossier.submitted_at is None or dossier.submitted_at.timestamp() >= deadline:
            return f"accepted at {dossier.submitted_at}, deadline {deadline}"
        if when == "late":
            return "accepted although handled after the deadline"
        if exchange.status != 302 or ACCEPTED not in exchange.body:
            return f"submitted, but the answer ({exchange.status}) does not say so"
        return "accepted"
    if when == "on_time":
        return f"refused before the deadline ({exchange.status}): {exchange.body[:300]}"
    if dossier.state != "draft":
        return f"refused, but the dossier is {dossier.state}"
    if message not in exchange.body:
        return f"refused ({exchange.status}) without the deadline message: {exchange.body[:300]}"
    if exchange.status == 409:
        return "refused"
    if exchange.status in (200, 302):
        return "saved_then_refused"
    return f"refused with status {exchange.status}"


if __name__ == "__main__":
    sys.exit(main())
