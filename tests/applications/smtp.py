"""A real SMTP server on the loopback interface (aiosmtpd), for the tests that send email.

Use the `smtp_server` fixture: it starts the server on a free port, points Django's default
mailer at it with the SMTP backend (as production does) and collects every message received.
"""

import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage as ReceivedMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Delivery:
    """One message as the server received it: the envelope and the raw bytes."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> ReceivedMessage:
        return email.message_from_bytes(self.data, policy=default_policy)


@dataclass
class CollectingHandler:
    deliveries: list[Delivery] = field(default_factory=list)

    # aiosmtpd calls the handler's handle_DATA once a message is received.
    async def handle_DATA(self, server, session, envelope) -> str:
        self.deliveries.append(
            Delivery(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


@dataclass
class SMTPServer:
    host: str
    port: int
    handler: CollectingHandler

    @property
    def deliveries(self) -> list[Delivery]:
        return self.handler.deliveries


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    host = "127.0.0.1"
    handler = CollectingHandler()
    controller = Controller(handler, hostname=host, port=_free_port(host))
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": host, "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield SMTPServer(host, controller.port, handler)
    finally:
        controller.stop()
