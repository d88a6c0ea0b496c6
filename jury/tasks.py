"""Background work of the jury app, through Django's tasks API (applications.mailing does the same:
the database backend in production, run by `manage.py db_worker`; immediate in tests)."""

from django.tasks import task

from .domain.availability_requests import send_availability_reminders
from .domain.reminders import send_jury_reminders


@task()
def send_jury_reminders_task(days: int) -> dict[str, int]:
    """`send_jury_reminders` as a task (`manage.py send_jury_reminders --enqueue`)."""
    report = send_jury_reminders(days)
    report["availability"] = send_availability_reminders()
    return report
