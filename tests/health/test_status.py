"""/sante/: 200 when everything is fine, 503 naming each cause, as JSON, never cached."""

from datetime import timedelta

import pytest
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from django_tasks_db.models import DBTaskResult, get_date_max

from health.models import JobRun
from tests.browser.server import free_port

URL = "/sante/"
JOBS = (
    "send_deadline_reminders",
    "send_jury_reminders",
    "send_membership_digest",
    "backup",
    "purge_expired",
)


@pytest.fixture(autouse=True)
def french():
    with override("fr"):
        yield


@pytest.fixture
def jobs_ran(db):
    """Every daily job succeeded two hours ago."""
    two_hours_ago = timezone.now() - timedelta(hours=2)
    for job in JOBS:
        JobRun.objects.create(job=job, succeeded_at=two_hours_ago, duration_seconds=1.5)
    return two_hours_ago


def get(client: Client | None = None):
    return (client or Client()).get(URL, HTTP_ACCEPT_LANGUAGE="fr")


def queued_task(*, enqueued_ago: timedelta, run_after=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="applications.tasks.send_receipt_task",
        backend_name="default",
        run_after=run_after or get_date_max(),
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


def test_status_is_200_when_everything_is_fine(jobs_ran):
    response = get()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    last_success = jobs_ran.isoformat(timespec="seconds")
    assert response.json() == {
        "status": "ok",
        "problems": [],
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "migrations": {"ok": True, "pending": 0},
            "task_queue": {"ok": True, "queued": 0, "oldest_queued_seconds": 0},
            "daily_jobs": {
                "ok": True,
                "jobs": {job: {"last_success": last_success, "age_hours": 2.0} for job in JOBS},
            },
        },
    }


def test_status_refuses_a_post(jobs_ran):
    assert Client().post(URL).status_code == 405


def test_status_is_503_when_the_database_is_unreachable(db, tmp_path, caplog):
    real = connections["default"]
    settings_dict = dict(real.settings_dict)
    if real.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    connections["default"] = type(real)(settings_dict, alias="default")
    try:
        response = get()
    finally:
        connections["default"] = real

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "problems": ["La base de données est injoignable."],
        "checks": {
            "database": {"ok": False},
            "cache": {"ok": True},
            "migrations": {"ok": None},
            "task_queue": {"ok": None},
            "daily_jobs": {"ok": None},
        },
    }
    assert [r.getMessage() for r in caplog.records if r.name == "health.checks"] == [
        "health: database unreachable"
    ]


def test_status_is_503_when_the_cache_is_unreachable(jobs_ran, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    response = get()

    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == ["Le cache est injoignable."]
    assert body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["database"] == {"ok": True}


def test_status_is_503_when_the_cache_keeps_nothing(jobs_ran, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = get()

    assert response.status_code == 503
    assert response.json()["problems"] == ["Le cache ne rend pas ce qu'on y écrit."]


def test_status_is_503_when_a_migration_is_not_applied(jobs_ran):
    # The latest migration of health, so that exactly one is pending whatever came before it.
    (latest,) = [
        name
        for app, name in MigrationLoader(connections["default"]).graph.leaf_nodes()
        if app == "health"
    ]
    MigrationRecorder(connections["default"]).record_unapplied("health", latest)

    response = get()

    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == ["1 migration n'est pas appliquée (manage.py migrate)."]
    assert body["checks"]["migrations"] == {"ok": False, "pending": 1}


def test_status_is_503_when_a_queued_task_waits_too_long(jobs_ran, settings):
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 600
    queued_task(enqueued_ago=timedelta(minutes=20))
    queued_task(enqueued_ago=timedelta(minutes=1))

    response = get()

    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == [
        "La plus ancienne tâche en attente attend depuis 20 min (plus de 10 min) : le service "
        "des tâches (manage.py db_worker) tourne-t-il ?"
    ]
    queue = body["checks"]["task_queue"]
    assert (queue["ok"], queue["queued"]) == (False, 2)
    assert 1200 <= queue["oldest_queued_seconds"] <= 1205


def test_a_task_scheduled_for_later_waits_from_its_time(jobs_ran, settings):
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 600
    # Enqueued two days ago to run five minutes ago: waiting for five minutes, not two days.
    queued_task(enqueued_ago=timedelta(days=2), run_after=timezone.now() - timedelta(minutes=5))
    # Not due yet: not counted at all.
    queued_task(enqueued_ago=timedelta(days=2), run_after=timezone.now() + timedelta(hours=1))

    response = get()

    assert response.status_code == 200
    queue = response.json()["checks"]["task_queue"]
    assert (queue["ok"], queue["queued"]) == (True, 1)
    assert 300 <= queue["oldest_queued_seconds"] <= 305


def _installed(hours_ago: int) -> None:
    MigrationRecorder.Migration.objects.filter(app="health").update(
        applied=timezone.now() - timedelta(hours=hours_ago)
    )


def test_status_is_503_when_a_daily_job_never_succeeded(jobs_ran, settings):
    settings.HEALTH_DAILY_JOB_MAX_AGE_HOURS = 26
    _installed(hours_ago=30)
    JobRun.objects.filter(job="backup").delete()

    response = get()

    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == ["La tâche quotidienne « backup » n'a jamais réussi."]
    assert body["checks"]["daily_jobs"]["ok"] is False
    assert body["checks"]["daily_jobs"]["jobs"]["backup"] == {
        "last_success": None,
        "age_hours": None,
    }


def test_a_new_site_is_healthy_before_its_daily_jobs_first_ran(db, settings):
    settings.HEALTH_DAILY_JOB_MAX_AGE_HOURS = 26
    _installed(hours_ago=20)

    response = get()

    assert response.status_code == 200
    assert response.json()["checks"]["daily_jobs"]["jobs"]["backup"] == {
        "last_success": None,
        "age_hours": None,
    }


def test_status_is_503_when_a_daily_job_is_late(jobs_ran, settings):
    settings.HEALTH_DAILY_JOB_MAX_AGE_HOURS = 26
    late = timezone.now() - timedelta(hours=30)
    JobRun.objects.filter(job="send_jury_reminders").update(succeeded_at=late)

    response = get()

    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == [
        "La tâche quotidienne « send_jury_reminders » n'a pas réussi depuis 30 h (plus de 26 h)."
    ]
    assert body["checks"]["daily_jobs"]["jobs"]["send_jury_reminders"] == {
        "last_success": late.isoformat(timespec="seconds"),
        "age_hours": 30.0,
    }


def test_only_the_configured_daily_jobs_are_required(jobs_ran, settings):
    settings.HEALTH_DAILY_JOBS = ["backup"]
    JobRun.objects.exclude(job="backup").delete()

    response = get()

    assert response.status_code == 200
    assert list(response.json()["checks"]["daily_jobs"]["jobs"]) == ["backup"]
