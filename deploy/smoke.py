"""`make prod-smoke`: the production stack of deploy/ booted whole on loopback, driven, stopped.

Debian's nginx (self-signed certificate, high ports) in front of two gunicorn instances with
the production settings (DEBUG off, HTTPS, BEHIND_PROXY, each with its own temporary
directory), a fresh PostgreSQL database, Redis, the task worker, a real SMTP server (aiosmtpd);
the daily jobs run once. Then, through nginx over HTTPS: public pages, a sign-up confirmed from
its email, a dossier submitted with a 50 MB video and its receipt, a laureate's page cached once
and served from Redis by both instances, /sante/; and a backup restored into a second database,
identical row for row. Everything started is stopped and dropped, even on failure. Exit code 1
when a check fails, each failure printed; the work directory is kept then, for its logs.
"""

import json
import os
import secrets
import signal
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import smoke_checks  # noqa: E402 - deploy/ is not a package
import smoke_stack  # noqa: E402
from smoke_stack import SmokeFailure, Stack  # noqa: E402

from tests.browser.mailbox import smtp_server  # noqa: E402
from tests.browser.server import free_port, postgres_database  # noqa: E402

POSTGRES = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BUDGET_SECONDS = 300


def prepare(stack: Stack, year: int) -> dict[str, str]:
    """The database as `make run` makes it, an edition open for applications, static files."""
    # collectstatic needs no database: it runs beside the imports.
    stack.start("collectstatic", [sys.executable, "manage.py", "collectstatic", "--no-input"])
    stack.manage("migrate", "--no-input", "-v0")
    stack.manage("import_territories", "-v0")
    stack.manage("import_palmares", "data/palmares.csv", "-v0")
    stack.manage("seed_demo", "--stage", "applications", "--year", str(year), "-v0")
    if stack.processes.pop("collectstatic").wait(timeout=300) != 0:
        raise SmokeFailure("collectstatic a échoué : " + str(stack.log("collectstatic")))
    # The new agent's commune trusts its mail domain, as an organiser would have set it up:
    # the membership is confirmed at once (the organisers' pages need a second factor).
    out = stack.manage("shell", "-c", smoke_checks.ARRANGE)
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    started = time.monotonic()
    # SIGTERM (CI's timeout, systemd) unwinds like Ctrl-C: every `finally` below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="palmares-smoke-"))
    (work / "logs").mkdir()
    checks = smoke_checks.Checks()
    year = time.localtime().tm_year + 1
    name = f"palmares_smoke_{os.getpid()}"
    try:
        with ExitStack() as services:
            mailbox = services.enter_context(smtp_server())
            redis = services.enter_context(smoke_stack.redis_url(work))
            live = services.enter_context(postgres_database(POSTGRES, name))
            restored = services.enter_context(postgres_database(POSTGRES, f"{name}_restore"))
            https_port, http_port = free_port(), free_port()
            # The caller's own settings (a PUBLIC_PAGE_CACHE_SECONDS=0, a SENTRY_DSN…) stay out.
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith("DJANGO_") and key not in smoke_stack.setting_names()
            }
            env.update(
                DJANGO_SETTINGS_MODULE="palmares.settings",
                DEBUG="0",
                SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1",
                SITE_URL=f"https://127.0.0.1:{https_port}",
                DATABASE_URL=live,
                REDIS_URL=redis,
                EMAIL_URL=mailbox.url,
                BEHIND_PROXY="1",
                STATIC_ROOT=str(work / "static"),
                MEDIA_ROOT=str(work / "media"),
                BACKUP_DIR=str(work / "backups"),
                PYTHONPATH=str(ROOT),
            )
            stack = Stack(work, env, https_port, http_port, (free_port(), free_port()))
            services.callback(stack.stop_all)
            smoke_stack.make_certificate(stack)
            checks.step("preparing the database (migrate, referential, palmarès, demo edition)")
            organisation = prepare(stack, year)
            smoke_stack.start_gunicorns(stack)
            stack.start("worker", smoke_stack.unit_command("palmares-worker.service"))
            smoke_stack.start_nginx(stack)
            smoke_stack.wait_until_serving(stack)
            checks.step("nginx, two gunicorn instances and the task worker are serving")
            smoke_checks.run_all(checks, stack, mailbox, organisation, year)
            # The restore drill compares still databases: the site is stopped first, as the
            # runbook says to do before restoring.
            stack.stop_all()
            checks.run("backup restored identical", smoke_checks.backup_drill, stack, restored)
    except SmokeFailure as failure:
        checks.failures.append(("set-up", str(failure)))
    except KeyboardInterrupt:
        checks.failures.append(("interrupted", "Ctrl-C"))
    except Exception as error:  # a server that does not answer, a missing tool…
        checks.failures.append(("set-up", "".join(traceback.format_exception(error, limit=3))))
    seconds = round(time.monotonic() - started)
    if seconds > BUDGET_SECONDS:
        # Said, not failed: a machine busy with other work is slower, the stack no worse.
        print(f"prod-smoke: {seconds} s, over the {BUDGET_SECONDS} s it usually takes", flush=True)
    return checks.report(seconds, work, keep=bool(checks.failures))


if __name__ == "__main__":
    sys.exit(main())
