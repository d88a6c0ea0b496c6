"""A real SMTP server on loopback that the tests stop and start (an outage, then recovery)."""

import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from tests.applications.smtp import CollectingHandler, Delivery

HOST = "127.0.0.1"


def unused_port() -> int:
    """A port nothing listens on (bound a moment by the system, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class MailServer:
    """Stopped at first: connections to its port are refused, as during an outage."""

    port: int
    handler: CollectingHandler = field(default_factory=CollectingHandler)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def deliveries(self) -> list[Delivery]:
        return self.handler.deliveries


@pytest.fixture
def mail_server(settings):
    """Django's default mailer points at the server's port, with SMTP as in production."""
    server = MailServer(unused_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": HOST, "port": server.port, "timeout": 5},
        }
    }
    try:
        yield server
    finally:
        server.stop()
