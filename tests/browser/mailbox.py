"""A real SMTP server on loopback (aiosmtpd) that keeps what the browser site sends.

The site is started with EMAIL_URL=smtp://127.0.0.1:<port> (conftest's `site` fixture), so its
emails leave through Django's SMTP backend exactly as in production and arrive here, parsed.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from .server import free_port

WAIT_SECONDS = 15


class Mailbox:
    """aiosmtpd handler: every message accepted, kept parsed, readable from the test thread."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen on the port (again): a stopped aiosmtpd controller cannot restart, so a new
        one serves the same port and keeps the same messages."""
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @contextmanager
    def outage(self) -> Iterator[None]:
        """No mail server on the port for the duration of the block (connections refused), as
        when the production SMTP server is down; it listens again afterwards."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def wait_for(
        self, match: Callable[[EmailMessage], bool], timeout: float = WAIT_SECONDS
    ) -> list[EmailMessage]:
        """The messages that `match`, as soon as there is at least one (AssertionError after
        `timeout` seconds, listing what did arrive)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [message for message in self.messages() if match(message)]
            if found or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        if not found:
            arrived = [(m["To"], m["Subject"]) for m in self.messages()]
            raise AssertionError(f"No matching email in {timeout} s; arrived: {arrived}")
        return found

    def to(self, address: str, subject: str, timeout: float = WAIT_SECONDS) -> EmailMessage:
        """The one email sent to `address` with exactly `subject` (as mail clients show it: a
        subject folded right after « Subject: » unfolds with a leading space)."""
        found = self.wait_for(
            lambda m: address in str(m["To"]) and str(m["Subject"]).strip() == subject, timeout
        )
        assert len(found) == 1, f"{len(found)} emails to {address} titled {subject!r}"
        return found[0]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server on a free loopback port for the duration of the block."""
    # aiosmtpd logs every SMTP command at INFO: it would drown a failing test's report.
    log = logging.getLogger("mail.log")
    level = log.level
    log.setLevel(logging.WARNING)
    mailbox = Mailbox(free_port())
    mailbox.start()
    try:
        yield mailbox
    finally:
        mailbox.stop()
        log.setLevel(level)
