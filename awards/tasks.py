"""Background work of the publication (Django's tasks API; run by `manage.py db_worker`)."""

from django.tasks import task

from .publication import publish_if_due, send_result_emails


@task()
def send_results(deliberation_id: int) -> int:
    """Email every applicant its result; queued when the publication commits."""
    return send_result_emails(deliberation_id)


@task()
def publish_scheduled(deliberation_id: int) -> bool:
    """Publish at the chosen moment (queued with run_after by schedule_publication).

    Idempotent: publishes only a deliberation still validated, not published, whose publish_at
    has come; returns whether it published.
    """
    return publish_if_due(deliberation_id) is not None
