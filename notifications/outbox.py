"""The outbox: the one way an email leaves the platform.

`queue_email` stores the message in the caller's transaction (a rolled-back action sends
nothing) and, after commit, enqueues `deliver_email` on the task queue (django-tasks-db's worker
in production, the immediate backend in tests). No request ever talks to the mail server, and the
mail server's trouble never reaches the caller: a failed attempt is recorded, then tried again
after a growing delay (`run_after`, when the backend can defer) up to EMAIL_MAX_ATTEMPTS times,
after which the email shows as failed to the organisers, who may queue it again (`resend`).

Backends that cannot defer (the immediate backend) leave a failed attempt queued with its
`next_attempt_at`; `retry_due_emails` (command `retry_emails`, also a safety net for a worker
that died mid-send) enqueues what is due.

Each delivery task names the attempt it makes, and claims the email only if that attempt is the
next one: two tasks for one email (a retry and an organiser's « Renvoyer ») never both send it.
"""

import email
import email.policy
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import Message
from email.utils import make_msgid, parseaddr
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.functional import Promise

from .enums import EmailStatus
from .models import OutgoingAttachment, OutgoingEmail

logger = logging.getLogger(__name__)

# The first retry waits a minute, each next one five times longer (1, 5, 25, 125 minutes with
# five attempts): a short outage is bridged in minutes, a long one is not hammered.
FIRST_RETRY_DELAY = timedelta(minutes=1)
RETRY_GROWTH = 5
# A worker killed while sending leaves its email « sending »; after this it is queued again
# (SMTP connections time out well before).
STALE_SENDING = timedelta(minutes=15)
ERROR_LENGTH = 1000

# Emails that did not reach the mail server yet despite at least one attempt: failed ones,
# and queued ones waiting for their next attempt after a failure.
UNDELIVERED = Q(status=EmailStatus.FAILED) | Q(status=EmailStatus.QUEUED, attempts__gt=0)

_KINDS: dict[str, Promise | str] = {}


def email_kind(code: str, label: Promise | str) -> str:
    """Register what the emails of `code` are about, as organisers read it; return the code.

    The sending apps call it at import, so this low app never imports them."""
    _KINDS[code] = label
    return code


def kind_label(code: str) -> str:
    return str(_KINDS.get(code, code))


def from_address(name: str) -> str:
    """The site's sending address under `name` (the contest an email speaks for), so that
    inboxes show « Label Territoire Innovant » rather than the platform's name."""
    if not name:
        return settings.DEFAULT_FROM_EMAIL
    # Quoted, unencoded: Django encodes the header when it sends (non-ASCII names included).
    display = name.replace("\\", "").replace('"', "")
    return f'"{display}" <{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}>'


def queue_email(message: EmailMessage, *, kind: str, context: str = "") -> OutgoingEmail | None:
    """Store `message` in the outbox and have the task queue deliver it.

    Effects: one OutgoingEmail with its attachments, written in the caller's transaction, with a
    Message-ID of its own so that every attempt sends the same message; after commit, the first
    attempt is enqueued (if the queue refuses it, the email stays queued for
    `retry_due_emails`). Nothing is sent here and nothing raises for the mail server's sake.
    `kind` is a code registered with `email_kind`; `context` a label for the organisers' list
    (e.g. the edition). A message without recipients is not stored: returns None.
    """
    if not message.recipients():
        return None
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    if "message-id" not in {name.lower() for name in headers}:
        # The site's own domain: no DNS look-up inside a request.
        domain = urlsplit(settings.SITE_URL).hostname or "palmares.localhost"
        headers["Message-ID"] = make_msgid(domain=domain)
    with transaction.atomic():
        outgoing = OutgoingEmail.objects.create(
            kind=kind,
            context=str(context)[:200],
            from_email=str(message.from_email),
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            headers=headers,
            subject=str(message.subject),
            body=str(message.body),
            html_body=_html_body(message),
            max_attempts=settings.EMAIL_MAX_ATTEMPTS,
            next_attempt_at=timezone.now(),
        )
        OutgoingAttachment.objects.bulk_create(_stored_attachments(outgoing, message))
    _enqueue_after_commit(outgoing.pk, 1)
    return outgoing


def _html_body(message: EmailMessage) -> str:
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype != "text/html" or html:
            raise ValueError(f"The outbox keeps one text/html alternative, not {mimetype}.")
        html = str(content)
    return html


def _stored_attachments(outgoing: OutgoingEmail, message: EmailMessage) -> Iterator:
    for position, attachment in enumerate(message.attachments):
        if isinstance(attachment, Message):
            # Kept whole: its headers may carry what matters (« method=REQUEST » of an .ics).
            yield OutgoingAttachment(
                email=outgoing,
                position=position,
                filename=attachment.get_filename() or "",
                mimetype=attachment.get_content_type(),
                content=attachment.as_bytes(policy=email.policy.default),
                raw_part=True,
            )
        else:
            filename, content, mimetype = attachment
            yield OutgoingAttachment(
                email=outgoing,
                position=position,
                filename=filename or "",
                mimetype=mimetype,
                content=content.encode() if isinstance(content, str) else bytes(content),
            )


def rebuilt_message(outgoing: OutgoingEmail) -> EmailMessage:
    """The Django message `outgoing` was made from, as the mailer sends it."""
    fields = {
        "subject": outgoing.subject,
        "body": outgoing.body,
        "from_email": outgoing.from_email,
        "to": outgoing.to,
        "cc": outgoing.cc,
        "bcc": outgoing.bcc,
        "reply_to": outgoing.reply_to,
        "headers": outgoing.headers,
    }
    message = EmailMultiAlternatives(**fields) if outgoing.html_body else EmailMessage(**fields)
    if outgoing.html_body:
        message.attach_alternative(outgoing.html_body, "text/html")
    for attachment in outgoing.attachments.all():
        content = bytes(attachment.content)
        if attachment.raw_part:
            message.attach(email.message_from_bytes(content, policy=email.policy.default))
        else:
            message.attach(attachment.filename or None, content, attachment.mimetype)
    return message


def _enqueue(email_id: int, attempt: int, run_after: datetime | None = None) -> None:
    """Enqueue one attempt; a queue that refuses it is logged, and the email stays queued
    (retry_due_emails picks it up)."""
    try:
        delivery = deliver_email.using(run_after=run_after) if run_after else deliver_email
        delivery.enqueue(email_id, attempt)
    except Exception:
        logger.exception("could not enqueue the delivery of email %s", email_id)


def _enqueue_after_commit(email_id: int, attempt: int) -> None:
    transaction.on_commit(partial(_enqueue, email_id, attempt))


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return FIRST_RETRY_DELAY * RETRY_GROWTH ** (attempts - 1)


def describe_error(error: BaseException) -> str:
    """The error as organisers may read it: its type and message, without the mailer's
    password (some servers echo what they were sent), cut to a reasonable length."""
    text = f"{type(error).__name__}: {error}"
    for mailer in getattr(settings, "MAILERS", {}).values():
        password = str(mailer.get("OPTIONS", {}).get("password") or "")
        if password:
            text = text.replace(password, "***")
    return text[:ERROR_LENGTH]


@task()
def deliver_email(email_id: int, attempt: int) -> str:
    """Make the `attempt`-th attempt at sending one outgoing email; return the outcome.

    Effects: claim the email (queued, with `attempt - 1` attempts made; a duplicate or stale
    task finds nothing to claim and stops: "skipped"); send it through Django's default mailer,
    outside any transaction; on success mark it sent and erase its text and attachments (their
    links act as passwords); on failure record the error and either schedule the next attempt
    after a growing delay or, its attempts spent, mark it failed. Never raises.
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.QUEUED, attempts=attempt - 1
    ).update(status=EmailStatus.SENDING, attempts=attempt, last_attempt_at=now)
    if not claimed:
        return "skipped"
    outgoing = OutgoingEmail.objects.get(pk=email_id)
    try:
        mailers.default.send_messages([rebuilt_message(outgoing)])
    except Exception as error:
        return _record_failure(outgoing, error)
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=EmailStatus.SENT,
            sent_at=timezone.now(),
            next_attempt_at=None,
            body="",
            html_body="",
        )
        OutgoingAttachment.objects.filter(email_id=email_id).delete()
    return EmailStatus.SENT


def _record_failure(outgoing: OutgoingEmail, error: Exception) -> str:
    error_text = describe_error(error)
    logger.warning(
        "email %s (%s), attempt %s of %s failed: %s",
        outgoing.reference,
        outgoing.kind,
        outgoing.attempts,
        outgoing.max_attempts,
        error_text,
    )
    if outgoing.attempts >= outgoing.max_attempts:
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(
            status=EmailStatus.FAILED, last_error=error_text, next_attempt_at=None
        )
        return EmailStatus.FAILED
    next_attempt_at = timezone.now() + retry_delay(outgoing.attempts)
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        status=EmailStatus.QUEUED, last_error=error_text, next_attempt_at=next_attempt_at
    )
    # A backend that cannot defer would run the next attempt at once, against the same
    # outage: the email waits for retry_due_emails instead.
    if deliver_email.get_backend().supports_defer:
        _enqueue(outgoing.pk, outgoing.attempts + 1, run_after=next_attempt_at)
    return EmailStatus.QUEUED


def retry_due_emails(now: datetime | None = None) -> int:
    """Enqueue the next attempt of every queued email whose time has come; return how many.

    Effects: an email left « sending » for longer than STALE_SENDING (its worker died) is
    queued again first. Emails whose next attempt is already enqueued are harmless: the
    duplicate task finds nothing to claim.
    """
    now = now or timezone.now()
    OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING
    ).update(status=EmailStatus.QUEUED, next_attempt_at=now)
    due = list(
        OutgoingEmail.objects.filter(status=EmailStatus.QUEUED)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .order_by("pk")
        .values_list("pk", "attempts")
    )
    for email_id, attempts in due:
        _enqueue(email_id, attempts + 1)
    return len(due)


def undelivered_emails() -> QuerySet[OutgoingEmail]:
    """The emails organisers should know about: failed, or waiting to be tried again."""
    return OutgoingEmail.objects.filter(UNDELIVERED)


def resend(outgoing: OutgoingEmail) -> bool:
    """Try an undelivered email again now, with a fresh series of attempts (« Renvoyer »).

    Effects: the email is queued, due now, with EMAIL_MAX_ATTEMPTS more attempts allowed; its
    next attempt is enqueued after commit. False (nothing done) if it was delivered meanwhile.
    """
    with transaction.atomic():
        current = (
            OutgoingEmail.objects.select_for_update()
            .filter(UNDELIVERED, pk=outgoing.pk)
            .values_list("attempts", flat=True)
            .first()
        )
        if current is None:
            return False
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(
            status=EmailStatus.QUEUED,
            max_attempts=F("attempts") + settings.EMAIL_MAX_ATTEMPTS,
            next_attempt_at=timezone.now(),
        )
        _enqueue_after_commit(outgoing.pk, current + 1)
    return True


def resend_all() -> int:
    """`resend` every undelivered email; return how many were queued again."""
    return sum(resend(outgoing) for outgoing in undelivered_emails().order_by("pk"))
