"""What the benchmarks that load a real server share: a fresh database and gunicorn.

The environment is the browser tests' production-like one (tests/browser/server.py): the real
settings module, DEBUG off, WhiteNoise and hashed static files, plain loopback HTTP. A benchmark
may swap the settings module (DJANGO_SETTINGS_MODULE in the environment it passes).
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.server import (  # noqa: E402
    POSTGRES_SCHEMES,
    free_port,
    postgres_database,
    run_python,
    site_environment,
    wait_until_serving,
)

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

__all__ = [
    "POSTGRES_SCHEMES",
    "ROOT",
    "database",
    "environment",
    "gunicorn",
    "postgres_server",
    "prepare",
    "run_python",
]


def postgres_server() -> str:
    """The PostgreSQL server to bench on: BENCH_DATABASE_URL, else a local server that answers,
    else "" (no PostgreSQL here)."""
    configured = os.environ.get("BENCH_DATABASE_URL", "")
    if configured:
        return configured
    try:
        import psycopg

        with psycopg.connect(LOCAL_POSTGRES, connect_timeout=2):
            return LOCAL_POSTGRES
    except Exception:  # any failure means "no local PostgreSQL"
        return ""


@contextmanager
def database(workdir: Path, label: str, server_url: str = "") -> Iterator[str]:
    """The URL of an empty database: a SQLite file in `workdir`, or, given a PostgreSQL
    `server_url`, a database of its own on that server, dropped on exit."""
    if urlsplit(server_url).scheme not in POSTGRES_SCHEMES:
        yield f"sqlite:///{workdir / f'{label}.sqlite3'}"
        return
    with postgres_database(server_url, f"palmares_bench_{label}_{uuid.uuid4().hex[:8]}") as url:
        yield url


def environment(database_url: str, workdir: Path, settings: str = "palmares.settings") -> dict:
    env = site_environment(database_url, workdir, "locmem:")
    env["DJANGO_SETTINGS_MODULE"] = settings
    return env


def prepare(env: dict[str, str], *, palmares: bool = True) -> None:
    """Migrate, import the referential (and the palmarès), collect the static files."""
    run_python(env, "manage.py", "migrate", "--no-input", "-v0")
    run_python(env, "manage.py", "import_territories", "-v0")
    if palmares:
        run_python(env, "manage.py", "import_palmares", "data/palmares.csv", "-v0")
    run_python(env, "manage.py", "collectstatic", "--no-input", "-v0")


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, *, workers: int = 2, worker_class: str = "sync"
) -> Iterator[str]:
    """gunicorn serving `env`'s site on a free loopback port; its base URL; stopped on exit."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "palmares.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        wait_until_serving(f"{base_url}/", process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
