"""deploy/ agrees with the code: every setting in the environment template, the upload limit
in nginx, every unit's command, a timer for each daily job /sante/ waits for."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from applications.uploads import MAX_VIDEO_BYTES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS_READ = re.compile(
    r"""(?:env_bool|env_int|env_list|os\.environ\.get|os\.environ\[)\(?\s*"([A-Z_]+)\""""
)
GUNICORN_READ = re.compile(r"""os\.environ\.get\("([A-Z_]+)\"""")


def template_names() -> set[str]:
    text = (DEPLOY / "palmares.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def unit_commands() -> dict[str, list[str]]:
    commands = {}
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        (line,) = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
        commands[unit.name] = shlex.split(line.removeprefix("ExecStart="))
    return commands


def test_the_environment_template_lists_every_setting():
    read = set(SETTINGS_READ.findall((ROOT / "palmares" / "settings.py").read_text()))
    read |= set(GUNICORN_READ.findall((DEPLOY / "gunicorn.conf.py").read_text()))

    assert sorted(read - template_names()) == []
    assert sorted(template_names() - read) == []


def test_nginx_accepts_the_largest_upload_and_not_much_more():
    site = (DEPLOY / "nginx" / "palmares.conf").read_text()
    (megabytes,) = re.findall(r"client_max_body_size (\d+)m;", site)

    assert MAX_VIDEO_BYTES < int(megabytes) * 1024 * 1024 < 1.1 * MAX_VIDEO_BYTES


def test_every_unit_runs_an_existing_command():
    commands = unit_commands()

    assert commands["palmares-web.service"][:3] == [
        "/srv/palmares/.venv/bin/gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
    ]
    managed = [
        c[2] for c in commands.values() if c[:2] == ["/srv/palmares/.venv/bin/python", "manage.py"]
    ]
    assert sorted(managed) == [
        "backup",
        "db_worker",
        "purge_expired",
        "send_deadline_reminders",
        "send_jury_reminders",
        "send_membership_digest",
    ]
    assert set(managed) <= set(get_commands())


def test_each_daily_job_the_health_page_waits_for_has_a_timer():
    timed = {
        commands[2]
        for unit, commands in unit_commands().items()
        if (DEPLOY / "systemd" / unit.replace(".service", ".timer")).exists()
    }

    assert timed == set(settings.HEALTH_DAILY_JOBS)


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", f"import palmares.settings as s; print({expression})"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "k" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_secret_key_fallbacks_come_from_the_environment():
    result = _settings_value(
        "s.SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS="ancienne, plus-ancienne"
    )

    assert result.stdout.strip() == "['ancienne', 'plus-ancienne']"


def test_logs_are_json_in_production_and_text_with_debug():
    assert _settings_value("s.LOG_FORMAT").stdout.strip() == "json"
    assert _settings_value("s.LOG_FORMAT", DEBUG="1").stdout.strip() == "text"


def test_an_unknown_log_format_is_refused():
    result = _settings_value("s.LOG_FORMAT", LOG_FORMAT="xml")

    assert result.returncode == 1
    assert "LOG_FORMAT: expected json or text, got 'xml'" in result.stderr
