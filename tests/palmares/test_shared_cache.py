"""Rate limits are shared by every process by default: without REDIS_URL the cache is a table
of the database, made by `migrate` (issue 17, #6). Before, each gunicorn worker counted alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT = (
    "from django.core.cache import cache; cache.add('shared-probe', 0); "
    "print(cache.incr('shared-probe'))"
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "palmares.settings",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "palmares.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def test_two_processes_count_in_the_same_database_cache(tmp_path):
    env = _env(tmp_path)
    _manage(env, "createcachetable")

    first = _manage(env, "shell", "-c", COUNT)
    second = _manage(env, "shell", "-c", COUNT)  # another process, as another gunicorn worker

    assert (first, second) == ("1", "2")


def test_the_default_cache_is_the_database_and_redis_when_asked(tmp_path):
    backend = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"

    default = _manage(_env(tmp_path), "shell", "-c", backend)
    redis = _manage(_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0"), "shell", "-c", backend)

    assert default == "django.core.cache.backends.db.DatabaseCache"
    assert redis == "django.core.cache.backends.redis.RedisCache"


def test_migrate_makes_the_cache_table():
    from health.migrations import __path__ as migrations

    text = (Path(migrations[0]) / "0002_cache_table.py").read_text()

    assert 'call_command("createcachetable"' in text
