"""notifications.outbox: every email stored, delivered after commit by the task queue, retried
after a growing delay, failed after its last attempt, resent on demand, never sent twice."""

import json
from datetime import timedelta
from email.message import MIMEPart
from io import StringIO
from smtplib import SMTPAuthenticationError

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import outbox
from notifications.enums import EmailStatus
from notifications.models import OutgoingAttachment, OutgoingEmail

pytestmark = pytest.mark.django_db

KIND = outbox.email_kind("tests.notice", "Avis de test")
FROM = "Palmarès <ne-pas-repondre@palmares.localhost>"
ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def notice(to: str = "agent@rennes.fr", **fields) -> EmailMessage:
    return EmailMessage("Votre dossier", "Bonjour,\n\nLe texte.", FROM, [to], **fields)


def queued(capture, message: EmailMessage | None = None) -> OutgoingEmail:
    """Queue `message` and run what happens after commit (the first attempt)."""
    with capture(execute=True):
        outgoing = outbox.queue_email(message or notice(), kind=KIND, context="LTI 2027")
    outgoing.refresh_from_db()
    return outgoing


def retry(capture, minutes: int) -> int:
    with capture(execute=True):
        return outbox.retry_due_emails(timezone.now() + timedelta(minutes=minutes))


def calendar_part() -> MIMEPart:
    part = MIMEPart()
    part.set_content(
        ICS.encode(),
        maintype="text",
        subtype="calendar",
        cte="base64",
        disposition="attachment",
        filename="audition.ics",
        params={"method": "REQUEST", "charset": "utf-8"},
    )
    return part


# --------------------------------------------------------------------------- delivery


def test_an_email_is_stored_then_delivered_after_commit_and_its_text_erased(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outgoing = outbox.queue_email(notice(), kind=KIND, context="LTI 2027")
    waiting = OutgoingEmail.objects.values_list("status", "attempts", "body").get()
    assert (waiting, mail.outbox) == ((EmailStatus.QUEUED, 0, "Bonjour,\n\nLe texte."), [])

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.body, outgoing.last_error) == (
        EmailStatus.SENT,
        1,
        "",
        "",
    )
    assert (outgoing.kind, outgoing.context, outgoing.to) == (KIND, "LTI 2027", ["agent@rennes.fr"])
    assert outgoing.sent_at is not None
    [message] = mail.outbox
    assert (message.subject, message.body, message.from_email, message.to) == (
        "Votre dossier",
        "Bonjour,\n\nLe texte.",
        FROM,
        ["agent@rennes.fr"],
    )


def test_a_rolled_back_action_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.queue_email(notice(), kind=KIND)
        transaction.set_rollback(True)

    assert (OutgoingEmail.objects.count(), mail.outbox) == (0, [])


def test_a_message_without_recipients_is_not_stored():
    assert outbox.queue_email(EmailMessage("Objet", "Texte", FROM, []), kind=KIND) is None
    assert OutgoingEmail.objects.count() == 0


def test_attachments_copies_and_html_are_sent_as_given(django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives(
        "Accusé de réception",
        "Le texte.",
        FROM,
        ["agent@rennes.fr"],
        cc=["dsi@rennes.fr"],
        bcc=["archives@rennes.fr"],
        reply_to=["organisatrice@interconnectes.fr"],
    )
    message.attach_alternative("<p>Le texte.</p>", "text/html")
    message.attach("recepisse.pdf", b"%PDF-1.7 binaire \xff\x00", "application/pdf")
    message.attach(calendar_part())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outgoing = outbox.queue_email(message, kind=KIND)
    stored_headers = dict(OutgoingEmail.objects.get().headers)
    attachments = list(OutgoingAttachment.objects.values_list("filename", "mimetype", "raw_part"))
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert attachments == [
        ("recepisse.pdf", "application/pdf", False),
        ("audition.ics", "text/calendar", True),
    ]
    [sent] = mail.outbox
    assert (sent.cc, sent.bcc, sent.reply_to, sent.alternatives) == (
        ["dsi@rennes.fr"],
        ["archives@rennes.fr"],
        ["organisatrice@interconnectes.fr"],
        [("<p>Le texte.</p>", "text/html")],
    )
    pdf, ics = sent.message().iter_attachments()
    assert (pdf.get_filename(), pdf.get_content()) == (
        "recepisse.pdf",
        b"%PDF-1.7 binaire \xff\x00",
    )
    assert (ics.get_content_type(), ics.get_param("method"), ics.get_content()) == (
        "text/calendar",
        "REQUEST",
        ICS,
    )
    # Every attempt sends the same message: its Message-ID was fixed when it was queued.
    assert sent.message()["Message-ID"] == stored_headers["Message-ID"]
    assert stored_headers["Message-ID"].endswith("@127.0.0.1>")
    assert OutgoingAttachment.objects.filter(email=outgoing).count() == 0  # erased once sent


# ----------------------------------------------------------------------------- failures


def test_a_refused_attempt_is_recorded_and_the_next_one_waits_a_minute(
    mail_server, django_capture_on_commit_callbacks
):
    outgoing = queued(django_capture_on_commit_callbacks)  # the server is down: nothing raises

    assert (outgoing.status, outgoing.attempts, outgoing.body) == (
        EmailStatus.QUEUED,
        1,
        "Bonjour,\n\nLe texte.",
    )
    assert outgoing.last_error.startswith("ConnectionRefusedError: [Errno 111]")
    assert outgoing.next_attempt_at - outgoing.last_attempt_at == pytest.approx(
        timedelta(minutes=1), abs=timedelta(seconds=1)
    )
    assert list(outbox.undelivered_emails()) == [outgoing]


def test_each_retry_waits_five_times_longer_then_the_email_fails(
    mail_server, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    outgoing = queued(django_capture_on_commit_callbacks)

    not_yet = retry(django_capture_on_commit_callbacks, minutes=0)
    second = retry(django_capture_on_commit_callbacks, minutes=2)
    outgoing.refresh_from_db()
    second_delay = outgoing.next_attempt_at - outgoing.last_attempt_at
    third = retry(django_capture_on_commit_callbacks, minutes=10)
    outgoing.refresh_from_db()

    assert (not_yet, second, third) == (0, 1, 1)
    assert second_delay == pytest.approx(timedelta(minutes=5), abs=timedelta(seconds=1))
    assert (outgoing.status, outgoing.attempts, outgoing.next_attempt_at) == (
        EmailStatus.FAILED,
        3,
        None,
    )
    assert [outbox.retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]
    assert retry(django_capture_on_commit_callbacks, minutes=60 * 24) == 0  # failed stays failed


def test_the_retry_after_the_outage_delivers_once(mail_server, django_capture_on_commit_callbacks):
    outgoing = queued(django_capture_on_commit_callbacks)
    mail_server.start()

    retried = retry(django_capture_on_commit_callbacks, minutes=2)
    again = retry(django_capture_on_commit_callbacks, minutes=60)

    outgoing.refresh_from_db()
    assert (retried, again, outgoing.status, outgoing.attempts) == (1, 0, EmailStatus.SENT, 2)
    assert [delivery.rcpt_tos for delivery in mail_server.deliveries] == [["agent@rennes.fr"]]


def test_a_task_for_an_attempt_already_made_sends_nothing(django_capture_on_commit_callbacks):
    outgoing = queued(django_capture_on_commit_callbacks)

    outcome = outbox.deliver_email.call(outgoing.pk, 1)

    assert (outcome, len(mail.outbox)) == ("skipped", 1)


def test_with_a_backend_that_defers_the_next_attempt_is_enqueued_for_later(
    mail_server, django_capture_on_commit_callbacks
):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            outgoing = outbox.queue_email(notice(), kind=KIND)
        first = DBTaskResult.objects.get()
        outcome = outbox.deliver_email.call(*first.args_kwargs["args"])

    outgoing.refresh_from_db()
    retry_task = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert (first.args_kwargs["args"], outcome) == ([outgoing.pk, 1], EmailStatus.QUEUED)
    assert (retry_task.task_path, retry_task.args_kwargs["args"], retry_task.run_after) == (
        "notifications.outbox.deliver_email",
        [outgoing.pk, 2],
        outgoing.next_attempt_at,
    )


def test_the_error_never_shows_the_mailer_password(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "username": "palmares", "password": "s3cr3t-smtp"},
        }
    }
    error = SMTPAuthenticationError(535, b"5.7.8 refused: palmares/s3cr3t-smtp")

    assert outbox.describe_error(error) == (
        "SMTPAuthenticationError: (535, b'5.7.8 refused: palmares/***')"
    )


def test_an_email_left_sending_by_a_dead_worker_is_queued_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        outgoing = outbox.queue_email(notice(), kind=KIND)
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        status=EmailStatus.SENDING, attempts=1, last_attempt_at=timezone.now()
    )

    soon = retry(django_capture_on_commit_callbacks, minutes=5)
    later = retry(django_capture_on_commit_callbacks, minutes=20)

    outgoing.refresh_from_db()
    assert (soon, later, outgoing.status, outgoing.attempts, len(mail.outbox)) == (
        0,
        1,
        EmailStatus.SENT,
        2,
        1,
    )


# ------------------------------------------------------------------------------ resend


def test_a_failed_email_may_be_resent_and_is_delivered_once(
    mail_server, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 1
    outgoing = queued(django_capture_on_commit_callbacks)
    failed = outgoing.status
    mail_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        resent = outbox.resend(outgoing)
    outgoing.refresh_from_db()

    assert (failed, resent, outgoing.status, outgoing.attempts, outgoing.max_attempts) == (
        EmailStatus.FAILED,
        True,
        EmailStatus.SENT,
        2,
        2,
    )
    assert len(mail_server.deliveries) == 1


def test_a_delivered_email_may_not_be_resent(django_capture_on_commit_callbacks):
    outgoing = queued(django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        resent = outbox.resend(outgoing)

    assert (resent, len(mail.outbox)) == (False, 1)


def test_resend_all_queues_every_undelivered_email(mail_server, django_capture_on_commit_callbacks):
    for address in ("agent@rennes.fr", "agent@brest.fr"):
        queued(django_capture_on_commit_callbacks, notice(address))
    mail_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.resend_all()

    assert (count, outbox.undelivered_emails().count()) == (2, 0)
    assert sorted(d.rcpt_tos[0] for d in mail_server.deliveries) == [
        "agent@brest.fr",
        "agent@rennes.fr",
    ]


def test_the_kind_is_shown_by_its_registered_label():
    assert (outbox.kind_label(KIND), outbox.kind_label("inconnu.type")) == (
        "Avis de test",
        "inconnu.type",
    )


def test_the_command_enqueues_what_is_due_and_prints_the_counts(
    mail_server, django_capture_on_commit_callbacks
):
    queued(django_capture_on_commit_callbacks)
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_emails", stdout=out)

    assert json.loads(out.getvalue()) == {"enqueued": 1, "queued": 1, "failed": 0}
    assert OutgoingEmail.objects.get().attempts == 2


def test_an_email_speaks_for_its_contest_from_the_sites_address():
    from notifications.outbox import from_address

    assert from_address("Start-up Interconnectée") == (
        '"Start-up Interconnectée" <ne-pas-repondre@palmares.localhost>'
    )
    assert from_address("") == "Palmarès <ne-pas-repondre@palmares.localhost>"
