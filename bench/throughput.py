"""Throughput of a laureate's page against a hello-world view served by the same gunicorn.

A fresh database (SQLite, then PostgreSQL when one answers: BENCH_DATABASE_URL or a local server)
gets the real referential and palmarès; gunicorn serves it with production settings (DEBUG off,
WhiteNoise, hashed static files) plus one URL, `_bench/bonjour/` (bench/_throughput_settings.py),
a Django view that answers "Bonjour" through the same middleware.

gunicorn runs 2 **sync** workers on loopback. Sync, because the pages are CPU-bound (queries on
a local database, template rendering): one request per process keeps both cores busy without
threads contending for the GIL, and production puts a buffering reverse proxy in front (README),
which is the setting gunicorn's documentation gives sync workers. (Sync workers close each
connection after its answer: wrk reconnects, which costs little on loopback and the same for
both URLs.)

Load: wrk (Debian package), 2 threads, 8 connections; for each URL a 3-second warm-up, then 10
seconds measured. Prints one JSON line per figure:
{"name": "throughput_hello", "rps": ...}, {"name": "throughput_laureate_page", "rps": ...,
"p99_ms": ...}, {"name": "throughput_ratio", "ratio": laureate rps / hello rps, "goal": 0.6}
(each with "database"). Run: .venv/bin/python bench/throughput.py   (about two minutes)
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _site import database, environment, gunicorn, postgres_server, prepare

# A 2024 laureate of the imported palmarès (data/palmares.csv), with partners and a theme.
LAUREATE = "2024-ambassadondes-balade-urbaine-de-decouverte-des-champs-electromagnetiques"
HELLO = "/_bench/bonjour/"
GOAL = 0.6
WRK = ["wrk", "--threads", "2", "--connections", "8", "--latency"]
WARM_UP_SECONDS = 3
SECONDS = 10
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make system` installs it (apt-get install wrk).")
    with tempfile.TemporaryDirectory() as tmp:
        bench("sqlite", Path(tmp), "")
    server = postgres_server()
    if server:
        with tempfile.TemporaryDirectory() as tmp:
            bench("postgresql", Path(tmp), server)


def bench(label: str, workdir: Path, server: str) -> None:
    with database(workdir, "throughput", server) as url:
        env = environment(url, workdir, settings="bench._throughput_settings")
        prepare(env)
        with gunicorn(env, workdir / "gunicorn.log", workers=2, worker_class="sync") as base:
            laureate = f"{base}/projets/{LAUREATE}/"
            check(f"{base}{HELLO}", "Bonjour")
            check(laureate, "Ambassad")
            hello = load(f"{base}{HELLO}")
            page = load(laureate)
    emit(label, "throughput_hello", rps=hello["rps"], p99_ms=hello["p99_ms"])
    emit(label, "throughput_laureate_page", rps=page["rps"], p99_ms=page["p99_ms"])
    emit(label, "throughput_ratio", ratio=round(page["rps"] / hello["rps"], 2), goal=GOAL)


def emit(database: str, name: str, **figures) -> None:
    print(json.dumps({"name": name, "database": database, **figures}), flush=True)


def check(url: str, expected: str) -> None:
    """The URL answers 200 with `expected` in its body: the load measures real pages."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        body = response.read().decode()
    if response.status != 200 or expected not in body:
        sys.exit(f"{url} answered {response.status} without {expected!r}")


def load(url: str) -> dict[str, float]:
    warm_up = [*WRK, "--duration", f"{WARM_UP_SECONDS}s", url]
    subprocess.run(warm_up, check=True, capture_output=True)
    result = subprocess.run(
        [*WRK, "--duration", f"{SECONDS}s", url], check=True, capture_output=True, text=True
    )
    return parse_wrk(result.stdout)


def parse_wrk(output: str) -> dict[str, float]:
    """Requests per second and latency percentiles (ms) from wrk's report; an answer other
    than 2xx/3xx or a socket error makes the measure worthless, so it stops the bench."""
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        sys.exit(f"wrk saw errors:\n{output}")
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE).group(1))
    lines = re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    percentiles = {int(percent): float(value) * UNITS_MS[unit] for percent, value, unit in lines}
    return {
        "rps": round(rps, 1),
        "p50_ms": round(percentiles[50], 2),
        "p99_ms": round(percentiles[99], 2),
    }


if __name__ == "__main__":
    main()
