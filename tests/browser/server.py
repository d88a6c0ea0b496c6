"""A production-like Palmarès site for the browser tests, one per pytest(-xdist) worker.

Not pytest-django's live_server: its flush after each test would wipe the referential, and it runs
inside the test process with test settings. Here the real settings module serves a fresh database
(SQLite file, or a PostgreSQL database of its own when DATABASE_URL says PostgreSQL) through
gunicorn, with DEBUG off, WhiteNoise and hashed static files, exactly as in production except for
HTTPS (plain loopback HTTP, so secure cookies and the SSL redirect are turned off).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")
COMMAND_TIMEOUT = 600  # seconds; importing the referential is the slow step
START_TIMEOUT = 120  # a loaded machine (a busy CI runner) boots gunicorn slowly


@dataclass(frozen=True)
class Site:
    base_url: str
    sessions: dict[str, str]  # persona → session key ("visitor" has none)
    log: Path  # gunicorn's output: tracebacks of server errors end up here
    env: dict[str, str]  # the site's environment, to run manage.py commands against it

    def manage(self, *args: str) -> str:
        """Run `manage.py *args` on the site's database (e.g. the task worker); its stdout."""
        return run_python(self.env, "manage.py", *args)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc


@contextmanager
def fresh_database(workdir: Path, worker: str) -> Iterator[str]:
    """Yield the URL of an empty database for this worker; drop it afterwards (PostgreSQL)."""
    configured = os.environ.get("DATABASE_URL", "")
    if urlsplit(configured).scheme not in POSTGRES_SCHEMES:
        yield f"sqlite:///{workdir / 'browser.sqlite3'}"
        return

    name = f"{urlsplit(configured).path.lstrip('/') or 'palmares'}_browser_{worker}"
    with postgres_database(configured, name) as url:
        yield url


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """Yield the URL of a new database `name` on the PostgreSQL server of `server_url` (the
    browser site's, the benchmarks'); drop it afterwards, and first if a run left it behind."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(server_url)
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres", query=""))

    def run(statement: sql.Composed) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    run(drop)  # left over by an interrupted run
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        run(drop)


def site_environment(database_url: str, workdir: Path, email_url: str) -> dict[str, str]:
    # The test process runs with tests.settings and its environment defaults: start clean.
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="palmares.settings",
        DEBUG="0",
        SECRET_KEY="browser-tests-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        EMAIL_URL=email_url,
        PYTHONPATH=str(ROOT),
        # The personas' sessions are made once for the whole run (personas.py): an organiser
        # page visited again after 30 minutes must not find its session expired.
        PRIVILEGED_SESSION_IDLE_SECONDS="86400",
    )
    return env


def run_python(env: dict[str, str], *args: str) -> str:
    """Run `python *args` in the site's environment; fail with its output if it fails."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"`python {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate, import the referential and the palmarès, collect static files, add personas."""
    run_python(env, "manage.py", "migrate", "--no-input", "-v0")
    run_python(env, "manage.py", "import_territories", "-v0")
    run_python(env, "manage.py", "import_palmares", "data/palmares.csv", "-v0")
    run_python(env, "manage.py", "import_transparency", "data/transparency.csv", "-v0")
    # The 2019 IntercoTOUR stages, so that the stage pages are visited with real slugs.
    run_python(env, "manage.py", "import_events", "data/events_2019.csv", "-v0")
    # An edition open for applications, with a Rennes draft (LTI-2027-0001) the applicant persona
    # can open and submitted dossiers of other structures.
    run_python(env, "manage.py", "seed_demo", "--stage", "applications", "--year", "2027", "-v0")
    # An edition in its regional selection: eligibility done, the « grand-ouest » round with its
    # jury (the "juror" persona among them), the assignment made, half the evaluations sent.
    run_python(env, "manage.py", "seed_demo", "--stage", "jury", "--year", "2028", "-v0")
    # An edition in deliberation (auditions held, decisions staged) and one published.
    run_python(env, "manage.py", "seed_demo", "--stage", "deliberation", "--year", "2029", "-v0")
    run_python(env, "manage.py", "seed_demo", "--stage", "published", "--year", "2030", "-v0")
    # The start-up contest in deliberation the same year: its regional selections are published
    # on the IntercoTOUR Île-de-France and Auvergne-Rhône-Alpes 2019 pages.
    run_python(
        env,
        "manage.py",
        "seed_demo",
        "--contest",
        "start-up-interconnectee",
        "--stage",
        "deliberation",
        "--year",
        "2029",
        "-v0",
    )
    run_python(env, "manage.py", "collectstatic", "--no-input", "-v0")
    sessions = json.loads(run_python(env, "-m", "tests.browser.personas").strip().splitlines()[-1])
    return sessions


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} in {START_TIMEOUT} s:\n{log.read_text()}")


@contextmanager
def running_site(workdir: Path, worker: str, *, email_url: str = "locmem:") -> Iterator[Site]:
    """A prepared database served by gunicorn on a free loopback port, stopped afterwards.

    `email_url` is the site's EMAIL_URL: an smtp:// URL makes its emails (sent by the pages
    and by the task worker, see Site.manage) reach a test SMTP server."""
    with fresh_database(workdir, worker) as database_url:
        env = site_environment(database_url, workdir, email_url)
        sessions = prepare_database(env)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env["SITE_URL"] = base_url  # the links of emails sent outside a request
        log = workdir / "gunicorn.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [PYTHON, "-m", "gunicorn", "palmares.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_serving(f"{base_url}/", process, log)
            yield Site(base_url=base_url, sessions=sessions, log=log, env=env)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
