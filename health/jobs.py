"""The daily jobs record their successful runs here; /sante/ reads them (health.checks)."""

from datetime import datetime

from django.utils import timezone

from .models import JobRun


def record_success(job: str, *, started_at: datetime) -> JobRun:
    """Record that `job` (a management command's name) just succeeded, started at `started_at`.

    Called last by each daily command, after its work is done: a run that raised records
    nothing, so the health page reports the job as late once its age passes the limit.
    """
    now = timezone.now()
    run, _created = JobRun.objects.update_or_create(
        job=job,
        defaults={
            "succeeded_at": now,
            "duration_seconds": round((now - started_at).total_seconds(), 3),
        },
    )
    return run
