"""Every organiser's and juror's page and every export of a large edition, on SQLite and PostgreSQL.

The edition (bench/_large_edition_data.py): 2,015 dossiers, 150 jurors, about 5,800
assignments, 2,600 conflicts and 4,800 submitted evaluations, built through the domain functions
on a SQLite database with the real referential. Building it takes about 3 minutes on an idle
2-core machine (its time is printed: "large_edition_build"); the database is then kept as
var/bench/large-edition-<key>.sqlite3, the key being a hash of the code that builds it (the
builder, demo.collectivites, every migration, the referential's version), so a re-run starts at
once; delete the file to rebuild. Each run works on a copy.

PostgreSQL (BENCH_DATABASE_URL's server, else a local one at 127.0.0.1:5432 if it answers): a
database of its own, palmares_bench_large_<pid>, migrated, then filled with the SQLite
database's rows (every table, same ids; sequences reset; VACUUM ANALYZE), dropped at the end.

Measured in process, with Django's test Client and the production settings (palmares.settings,
DEBUG off, hashed static files, the organiser and a juror signed in with both factors; the
garbage collector set as a production worker sets it, palmares.memory.settle): each
page once to warm up, then RUNS times (fewer when a page takes long), every answer checked (its
status and the content it must show: a bench that times an error page fails); then once more
counting the queries, and once under tracemalloc for the peak memory. Prints one JSON line per
page: {"name": "large_edition_page", "page": ..., "database": ..., "p95_ms", "p50_ms",
"queries", "html_kb", "peak_memory_mb", "budget", "within_budget"} — exports are
"large_edition_export" with their rows — then "large_edition_open_deliberation" (the POST that
opens it, rolled back after each run) and "large_edition_create_dossier" (one dossier created by
applications.domain.create_application in an edition of 100 dossiers, then of 2,015, rolled
back). Budgets (DESIGN.md): a page p95 ≤ 150 ms and ≤ 300 KB of HTML; 5,000 rows of CSV
≤ 300 ms, of XLSX ≤ 1.5 s; opening the deliberation ≤ 300 ms; a dossier created in constant
time. A missed budget is printed, not a failure; a wrong answer is a failure.
Run: .venv/bin/python bench/large_edition.py [--sqlite-only] [--quick] [--only=NAME,NAME]
(--quick: one run of each page, to check the answers, not to time them; about 15 minutes in all
otherwise; --only: those pages alone, by the names printed, e.g. --only=assignment,conflicts)
or: .venv/bin/python bench/large_edition.py --sqlite-only --profile=NAME (where that page spends
its time: cProfile over a few runs, then its SQL statements, slowest first; NAME "opening" for
the POST that opens the deliberation).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _site import ROOT, postgres_server

from tests.browser.server import postgres_database, site_environment

CACHE = ROOT / "var" / "bench"
KEYED_FILES = ("bench/_large_edition_data.py", "demo/collectivites.py", "Makefile")


def cache_key() -> str:
    """A hash of what builds the database: the builder, the demo content it uses, the schema
    (every migration) and the Makefile (which pins the referential's version)."""
    digest = hashlib.sha256()
    files = [ROOT / name for name in KEYED_FILES] + sorted(ROOT.glob("*/migrations/*.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def environment(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The production settings on `database_url` (as the browser tests' site), in process."""
    env = site_environment(database_url, workdir, "locmem:")
    env.update(
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench._large_edition_settings",
        **extra,
    )
    return env


def worker(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, __file__, "--worker", *args], cwd=ROOT, env=env, check=True)


def built_database(workdir: Path) -> tuple[Path, bool]:
    """The cached SQLite database, built first if missing; whether it was cached."""
    path = CACHE / f"large-edition-{cache_key()}.sqlite3"
    cached = path.exists()
    if not cached:
        CACHE.mkdir(parents=True, exist_ok=True)
        building = workdir / "building.sqlite3"
        worker(environment(f"sqlite:///{building}", workdir), "build")
        # The build's JSON line is kept beside the database, printed again on cached runs.
        shutil.move(building.with_suffix(".json"), path.with_suffix(".json"))
        shutil.move(building, path)
    return path, cached


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source, cached = built_database(workdir)
        build = json.loads(source.with_suffix(".json").read_text())
        print(json.dumps({**build, "cached": cached}), flush=True)
        copy = workdir / "large.sqlite3"
        shutil.copy(source, copy)
        quick = ["quick"] if "--quick" in sys.argv else []
        quick += [arg for arg in sys.argv if arg.startswith(("--only=", "--profile="))]
        worker(environment(f"sqlite:///{copy}", workdir), "measure", "sqlite", *quick)
        server = "" if "--sqlite-only" in sys.argv else postgres_server()
        if server:
            name = f"palmares_bench_large_{os.getpid()}"
            with postgres_database(server, name) as url:
                env = environment(url, workdir, LARGE_EDITION_SOURCE=str(source))
                worker(env, "copy")
                worker(env, "measure", "postgresql", *quick)


def run_worker(command: str, *args: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if command == "build":
        build()
    elif command == "copy":
        call_command("migrate", verbosity=0)
        copy_from_source()
    else:
        from _large_edition_measure import measure

        call_command("collectstatic", interactive=False, verbosity=0)
        options = dict(arg[2:].split("=", 1) for arg in args if arg.startswith("--"))
        only = set(filter(None, options.get("only", "").split(",")))
        measure(args[0], quick="quick" in args, only=only, profile=options.get("profile", ""))


def build() -> None:
    """Migrate, import the referential, build the edition; its JSON line beside the database."""
    import _large_edition_data as data
    from django.conf import settings
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_territories", verbosity=0)
    referential = time.perf_counter() - started
    counts = data.build()
    line = {
        "name": "large_edition_build",
        "seconds": round(time.perf_counter() - started, 1),
        "referential_seconds": round(referential, 1),
        **counts,
    }
    Path(settings.DATABASES["default"]["NAME"]).with_suffix(".json").write_text(json.dumps(line))


def copy_from_source() -> None:
    """Every row of the SQLite database ("source") into this empty, migrated PostgreSQL one.

    The tables are emptied first (migrations add a few rows of their own), then each model's
    rows are read from SQLite as values and written in batches with their ids: foreign keys are
    checked at commit (Django makes them deferrable on PostgreSQL), so the order of the tables
    does not matter. auto_now fields keep the values they had. Then the sequences restart after
    the highest ids, and VACUUM ANALYZE leaves the tables as a running server's autovacuum
    keeps them: the planner's statistics, and no autovacuum of the freshly loaded tables
    competing with the measurements for the machine's cores.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with transaction.atomic():
        for model in models:
            fields = model._meta.concrete_fields
            for field in fields:  # keep the stored timestamps
                field.auto_now = field.auto_now_add = False
            names = [field.attname for field in fields]
            rows = model.objects.using("source").order_by().values_list(*names)
            batch: list = []
            for row in rows.iterator(chunk_size=2000):
                batch.append(model(**dict(zip(names, row, strict=True))))
                if len(batch) == 2000:
                    model.objects.bulk_create(batch)
                    batch = []
            model.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
    elif "--worker" in sys.argv:
        position = sys.argv.index("--worker")
        run_worker(*sys.argv[position + 1 :])
    else:
        main()
