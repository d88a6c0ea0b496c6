"""The settings module: production defaults, environment parsing, `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from palmares.settings import env_bool, mailer_from_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "palmares.settings",
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "palmares.example.org",
    # What the legal page needs (catalogue.checks warns under --deploy while one is empty).
    "LEGAL_PUBLISHER_ADDRESS": "1 rue de l'Exemple, 75000 Paris",
    "LEGAL_PUBLISHER_ID": "W751234567",
    "LEGAL_PUBLICATION_DIRECTOR": "La présidence de l'association",
    "LEGAL_CONTROLLER": "L'association, 1 rue de l'Exemple, 75000 Paris",
    "LEGAL_CONTACT": "dpo@example.org",
    "LEGAL_HOST": "Hébergeur, 2 rue de l'Exemple, 75000 Paris",
    "LEGAL_BASIS": "Intérêt légitime de l'association.",
}


def _django(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(name: str, env: dict[str, str]) -> str:
    result = _django(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own notice


def test_check_deploy_is_clean_with_production_variables():
    result = _django("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_while_the_legal_page_is_incomplete():
    env = {**PRODUCTION_ENV, "LEGAL_BASIS": ""}

    result = _django("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 1
    assert "(catalogue.W001) The legal page is incomplete: LEGAL_BASIS not set." in result.stderr


def test_check_deploy_is_clean_with_async_unsafe_unset_by_the_makefile():
    # The Makefile used to export DJANGO_ALLOW_ASYNC_UNSAFE to every command it ran, and
    # `check --deploy` refuses it (async.E001). Production and `make` never set it now; the
    # tests set it for Playwright themselves (tests/settings.py).
    makefile = (ROOT / "Makefile").read_text()
    exported = [line for line in makefile.splitlines() if "DJANGO_ALLOW_ASYNC_UNSAFE" in line]
    units = "".join(path.read_text() for path in (ROOT / "deploy" / "systemd").glob("*"))
    env_template = (ROOT / "deploy" / "palmares.env.example").read_text()

    assert [line for line in exported if not line.lstrip().startswith("#")] == []
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in units + env_template
    result = _django("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert "async.E001" not in result.stderr + result.stdout


def test_check_deploy_still_refuses_async_unsafe_when_someone_sets_it():
    env = {**PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}

    result = _django("check", "--deploy", env=env)

    assert result.returncode == 1
    assert "async.E001" in result.stderr


def test_production_defaults_are_safe():
    assert _setting("DEBUG", PRODUCTION_ENV) == "False"
    assert _setting("SESSION_COOKIE_SECURE", PRODUCTION_ENV) == "True"
    assert _setting("CSRF_COOKIE_SECURE", PRODUCTION_ENV) == "True"
    assert _setting("SECURE_SSL_REDIRECT", PRODUCTION_ENV) == "True"
    assert _setting("SECURE_HSTS_SECONDS", PRODUCTION_ENV) == "31536000"
    assert _setting("PASSWORD_HASHERS[0]", PRODUCTION_ENV) == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_debug_development_allows_local_hosts_and_plain_cookies():
    env = {**PRODUCTION_ENV, "DEBUG": "1", "ALLOWED_HOSTS": ""}
    env.pop("SECRET_KEY")
    assert _setting("SESSION_COOKIE_SECURE", env) == "False"
    assert _setting("ALLOWED_HOSTS", env) == "[]"


def test_missing_secret_key_is_refused_without_debug():
    env = dict(PRODUCTION_ENV)
    env.pop("SECRET_KEY")
    result = _django("check", env=env)
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_database_url_selects_postgresql():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://user:secret@db.example.org:5433/palmares"}
    assert _setting("DATABASES['default']['ENGINE']", env) == "django.db.backends.postgresql"
    assert _setting("DATABASES['default']['PORT']", env) == "5433"


def test_sqlite_is_the_default_database():
    assert _setting("DATABASES['default']['ENGINE']", PRODUCTION_ENV) == (
        "django.db.backends.sqlite3"
    )


def test_email_url_smtp_with_tls():
    mailer = mailer_from_url("smtp://agent%40asso.fr:p%40ss@smtp.example.org:587?tls=1")
    assert mailer == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.org",
            "port": 587,
            "username": "agent@asso.fr",
            "password": "p@ss",
            "use_ssl": False,
            "use_tls": True,
            "timeout": 20,
        },
    }


def test_email_url_console_has_no_options():
    assert mailer_from_url("console:") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_email_url_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unsupported scheme 'imap'"):
        mailer_from_url("imap://mail.example.org")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("False", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_env_bool_reads_known_values_in_any_case(monkeypatch, value, expected):
    monkeypatch.setenv("PALMARES_TEST_FLAG", value)

    assert env_bool("PALMARES_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("value", [None, "", "  "])
@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_gives_the_default(monkeypatch, value, default):
    monkeypatch.delenv("PALMARES_TEST_FLAG", raising=False)
    if value is not None:
        monkeypatch.setenv("PALMARES_TEST_FLAG", value)

    assert env_bool("PALMARES_TEST_FLAG", default) is default


@pytest.mark.parametrize("value", ["ture", "2", "oui", "enabled", "y"])
def test_env_bool_refuses_an_unknown_value(monkeypatch, value):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", value)

    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("SECURE_SSL_REDIRECT", True)

    assert str(refused.value) == (
        f"SECURE_SSL_REDIRECT={value!r} is not a yes/no value: use 1/0, true/false, yes/no or "
        "on/off (any case), or leave it empty for the default."
    )


def test_a_typo_in_a_boolean_variable_stops_start_up():
    result = _django("check", env={**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "ture"})

    assert result.returncode == 1
    assert "SECURE_SSL_REDIRECT='ture' is not a yes/no value" in result.stderr


def test_a_known_false_value_in_a_boolean_variable_is_obeyed():
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "Off"}

    assert _setting("SECURE_SSL_REDIRECT", env) == "False"
