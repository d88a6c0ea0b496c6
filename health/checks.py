"""What /sante/ checks: the database, the cache, the migrations, the task queue, the daily jobs.

Each check returns a `Check`: whether it passed, figures a monitor may graph (counts, ages; never
a name, an address or anything else personal) and, when it failed, one French sentence saying
what is wrong. When the database cannot be reached, the checks that read it are not run
(`ok` is None) rather than reported as a second and third failure of the same cause.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import JobRun

logger = logging.getLogger(__name__)
CACHE_PROBE_KEY = "health:probe"


@dataclass
class Check:
    ok: bool | None  # None: not run, because the database is unreachable
    figures: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, **self.figures}


def check_database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # The cause (host, credentials) goes to the logs for the operator, not to the page.
        logger.exception("health: database unreachable")
        return Check(False, problems=[_("La base de données est injoignable.")])
    return Check(True)


def check_cache() -> Check:
    # A value of our own, read back: a cache that accepts writes and loses them is broken too.
    probe = uuid.uuid4().hex
    try:
        cache = caches["default"]
        cache.set(CACHE_PROBE_KEY, probe, timeout=30)
        read_back = cache.get(CACHE_PROBE_KEY)
    except Exception:
        logger.exception("health: cache unreachable")
        return Check(False, problems=[_("Le cache est injoignable.")])
    if read_back != probe:
        return Check(False, problems=[_("Le cache ne rend pas ce qu'on y écrit.")])
    return Check(True)


def check_migrations() -> Check:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if pending:
        problem = ngettext(
            "%(count)s migration n'est pas appliquée (manage.py migrate).",
            "%(count)s migrations ne sont pas appliquées (manage.py migrate).",
            pending,
        ) % {"count": pending}
        return Check(False, {"pending": pending}, [problem])
    return Check(True, {"pending": 0})


def check_task_queue(now: datetime) -> Check:
    """The tasks ready to run and how long the oldest has been waiting for the worker.

    A task enqueued for later (publish_results --at) waits from its `run_after`, not from the
    moment it was enqueued: it is not late before it may run.
    """
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    queue = DBTaskResult.objects.ready().aggregate(queued=Count("pk"), since=Min(waiting_since))
    since = queue["since"]
    age = max(0, int((now - since).total_seconds())) if since else 0
    figures = {"queued": queue["queued"], "oldest_queued_seconds": age}
    limit = settings.HEALTH_TASK_MAX_WAIT_SECONDS
    if age > limit:
        problem = _(
            "La plus ancienne tâche en attente attend depuis %(minutes)s min (plus de "
            "%(limit)s min) : le service des tâches (manage.py db_worker) tourne-t-il ?"
        ) % {"minutes": age // 60, "limit": limit // 60}
        return Check(False, figures, [problem])
    return Check(True, figures)


def installed_at() -> datetime | None:
    """When the daily jobs' record was created (health's first migration): the site's start."""
    return MigrationRecorder.Migration.objects.filter(app="health").aggregate(at=Min("applied"))[
        "at"
    ]


def check_daily_jobs(now: datetime) -> Check:
    """Every job named in HEALTH_DAILY_JOBS succeeded within HEALTH_DAILY_JOB_MAX_AGE_HOURS.

    A job that never ran is late only once the site is older than that: a new installation (or
    `make run`) is healthy before its first night.
    """
    limit_hours = settings.HEALTH_DAILY_JOB_MAX_AGE_HOURS
    since = installed_at()
    new_site = since is not None and (now - since).total_seconds() <= limit_hours * 3600
    runs = {run.job: run for run in JobRun.objects.filter(job__in=settings.HEALTH_DAILY_JOBS)}
    jobs: dict[str, object] = {}
    problems = []
    for job in settings.HEALTH_DAILY_JOBS:
        run = runs.get(job)
        if run is None:
            jobs[job] = {"last_success": None, "age_hours": None}
            if not new_site:
                problems.append(
                    _("La tâche quotidienne « %(job)s » n'a jamais réussi.") % {"job": job}
                )
            continue
        age_hours = round((now - run.succeeded_at).total_seconds() / 3600, 1)
        jobs[job] = {
            "last_success": run.succeeded_at.isoformat(timespec="seconds"),
            "age_hours": age_hours,
        }
        if age_hours > limit_hours:
            problems.append(
                _(
                    "La tâche quotidienne « %(job)s » n'a pas réussi depuis %(hours)s h "
                    "(plus de %(limit)s h)."
                )
                % {"job": job, "hours": int(age_hours), "limit": limit_hours}
            )
    return Check(not problems, {"jobs": jobs}, problems)


def run_checks() -> dict[str, Check]:
    now = timezone.now()
    checks = {"database": check_database(), "cache": check_cache()}
    if checks["database"].ok:
        checks["migrations"] = check_migrations()
        checks["task_queue"] = check_task_queue(now)
        checks["daily_jobs"] = check_daily_jobs(now)
    else:
        checks.update(migrations=Check(None), task_queue=Check(None), daily_jobs=Check(None))
    return checks
