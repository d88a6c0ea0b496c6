"""Deadline reminders: `manage.py send_deadline_reminders`, and the same work as a task."""

import json
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.enums import MembershipState
from applications.models import ReminderSent
from contests.models import Contest
from notifications.models import OutgoingEmail
from notifications.outbox import retry_due_emails
from territories.models import Organisation
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    MembershipFactory,
    PhaseFactory,
)

REPORT = {
    "dry_run": False,
    "editions": 1,
    "applications": 0,
    "emails": 0,
    "recipients": 0,
    "already_reminded": 0,
    "without_recipients": 0,
}


def edition_closing_in(delta: timedelta, year: int, *, may_apply: bool = True):
    """An edition whose applications phase began ten days ago and ends `delta` from now."""
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=year
    )
    now = timezone.now()
    PhaseFactory(
        edition=edition,
        kind="applications_open",
        starts_at=now - timedelta(days=10),
        may_apply=may_apply,
    )
    PhaseFactory(edition=edition, kind="applications_closed", starts_at=now + delta)
    return edition


@pytest.fixture
def dossiers(rennes, brest, applicant, other_applicant, pending_applicant):
    """In an edition closing in three days: a draft of Rennes (with Brest as partner), a
    reopened dossier of Brest, a submitted one of Rennes, a draft of Épernay (no members)."""
    edition = edition_closing_in(timedelta(days=3, hours=2), 2026)
    MembershipFactory(user__email="ancien@rennes.fr", user__is_active=False, organisation=rennes)
    draft = ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet numérique",
        lead_organisation=rennes,
    )
    ApplicationPartnerFactory(application=draft, organisation=brest)
    ApplicationFactory(
        edition=edition, reference="LTI-2026-0002", lead_organisation=brest, state="reopened"
    )
    ApplicationFactory(
        edition=edition, reference="LTI-2026-0003", lead_organisation=rennes, state="submitted"
    )
    ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0004",
        lead_organisation=Organisation.objects.get(kind="commune", insee_code="51230"),
    )
    return edition


def run(*args: str) -> dict:
    """The command as cron runs it: its transactions commit, so the outbox delivers."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_deadline_reminders", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_lead_members_of_unsubmitted_dossiers_are_reminded(dossiers):
    report = run()

    # Partners' members are not reminded, nor pending or inactive members of the lead.
    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Rappel : le dossier LTI-2026-0001 n'est pas encore déposé", ["agent@rennes.fr"]),
        ("Rappel : le dossier LTI-2026-0002 n'est pas encore déposé", ["agent@brest.fr"]),
    ]
    assert report == {
        **REPORT,
        "days": 7,
        "applications": 3,
        "emails": 2,
        "recipients": 2,
        "without_recipients": 1,
    }


def test_the_reminder_gives_the_deadline_and_the_link(dossiers):
    run()

    deadline = timezone.localtime(dossiers.phases.get(kind="applications_closed").starts_at)
    assert mail.outbox[0].body == (
        "Bonjour,\n\n"
        "Le dossier LTI-2026-0001 « Guichet numérique » pour l'édition Label Territoire Innovant "
        "2026 n'est pas encore déposé.\n"
        f"La date limite de dépôt est le {deadline:%d/%m/%Y} à {deadline:%H:%M} (heure de Paris). "
        "Après cette date, le dossier ne pourra plus être déposé.\n\n"
        "Pour compléter et déposer le dossier :\n"
        "http://127.0.0.1:8000/candidatures/LTI-2026-0001/\n\n"
        "Si vous avez renoncé à candidater, vous pouvez retirer le dossier depuis la même page.\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés\n"
    )


def test_a_second_run_sends_nothing(dossiers):
    run()
    mail.outbox.clear()

    report = run()

    assert (mail.outbox, report["emails"], report["already_reminded"]) == ([], 0, 2)
    assert ReminderSent.objects.count() == 2


def test_another_days_value_is_another_reminder(dossiers):
    run("--days", "7")
    mail.outbox.clear()

    report = run("--days", "4")

    assert (report["emails"], len(mail.outbox)) == (2, 2)
    assert sorted(ReminderSent.objects.values_list("application__reference", "days_before")) == [
        ("LTI-2026-0001", 4),
        ("LTI-2026-0001", 7),
        ("LTI-2026-0002", 4),
        ("LTI-2026-0002", 7),
    ]


def test_a_member_confirmed_later_is_reminded_at_the_next_run(dossiers, pending_applicant):
    run()
    mail.outbox.clear()
    MembershipFactory(
        user__email="agent@epernay.fr",
        organisation=Organisation.objects.get(kind="commune", insee_code="51230"),
        state=MembershipState.CONFIRMED,
    )

    run()

    assert [message.to for message in mail.outbox] == [["agent@epernay.fr"]]


def test_a_deadline_further_than_the_days_is_not_reminded(dossiers):
    report = run("--days", "3")

    assert (report["editions"], report["emails"], mail.outbox) == (0, 0, [])


def test_editions_outside_their_applications_phase_are_left_alone(rennes, applicant):
    # Closed yesterday; and a phase that does not allow applying.
    for edition in (
        edition_closing_in(-timedelta(days=1), 2026),
        edition_closing_in(timedelta(days=2), 2027, may_apply=False),
    ):
        ApplicationFactory(edition=edition, lead_organisation=rennes)

    report = run()

    assert (report["editions"], mail.outbox, ReminderSent.objects.count()) == (0, [], 0)


def test_a_dry_run_counts_and_sends_nothing(dossiers):
    report = run("--dry-run")

    assert report == {
        **REPORT,
        "days": 7,
        "dry_run": True,
        "applications": 3,
        "emails": 2,
        "recipients": 2,
        "without_recipients": 1,
    }
    assert (mail.outbox, ReminderSent.objects.count()) == ([], 0)


def test_enqueue_runs_the_task_with_the_immediate_backend_of_the_tests(dossiers):
    report = run("--enqueue", "--days", "5")

    assert (report["enqueued"], report["days"], len(mail.outbox)) == (True, 5, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueue_with_the_database_backend_sends_when_the_worker_runs(
    referential_present, dossiers
):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        report = run("--enqueue")
        queued = mail.outbox.copy()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert (report["enqueued"], queued) == (True, [])
    assert [message.to for message in mail.outbox] == [["agent@rennes.fr"], ["agent@brest.fr"]]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_reminder_the_mail_server_refused_is_delivered_by_the_outbox_retry(dossiers):
    unreachable = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    with override_settings(MAILERS=unreachable):
        refused = run()
    waiting = list(OutgoingEmail.objects.values_list("status", "attempts"))

    second_run = run()
    with TestCase.captureOnCommitCallbacks(execute=True):
        retried = retry_due_emails(timezone.now() + timedelta(minutes=2))

    assert (refused["emails"], waiting, second_run["emails"], retried) == (
        2,
        [("queued", 1), ("queued", 1)],
        0,
        2,
    )
    assert [message.to for message in mail.outbox] == [["agent@rennes.fr"], ["agent@brest.fr"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "--days doit valoir au moins 1."),
        (["--dry-run", "--enqueue"], "--dry-run et --enqueue ne vont pas ensemble."),
    ],
)
def test_bad_arguments_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_deadline_reminders", *args)
