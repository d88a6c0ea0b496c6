"""The error tracker (Sentry SDK) sends nothing without SENTRY_DSN, and errors with it.

Each case runs the real settings in a fresh interpreter (the SDK is process-wide); the
"Sentry server" is an HTTP server on loopback that keeps what it receives.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import logging, django, sentry_sdk
django.setup()
logging.getLogger("palmares").error("Échec d'envoi du courriel %s", "LTI-2027-0001")
print(sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=10)
"""


@contextmanager
def sentry_server() -> Iterator[list[bytes]]:
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # the SDK posts envelopes to /api/<project>/envelope/
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "br":  # the SDK compresses with Brotli when it is installed
                import brotli

                body = brotli.decompress(body)
            elif encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, server.server_address[1]
    finally:
        server.shutdown()


def run_site_script(tmp_path: Path, **extra: str) -> str:
    # No proxy from the environment: the events must reach the loopback server directly.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and not key.lower().endswith("_proxy")
    }
    env.pop("SENTRY_DSN", None)
    env.update(
        DJANGO_SETTINGS_MODULE="palmares.settings",
        SECRET_KEY="error-tracker-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        **extra,
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_without_a_dsn_the_tracker_is_off_and_sends_nothing(tmp_path):
    with sentry_server() as (received, _port):
        active = run_site_script(tmp_path)

    assert active == "False"
    assert received == []


def test_with_a_dsn_an_error_log_is_sent_without_personal_data(tmp_path):
    with sentry_server() as (received, port):
        active = run_site_script(tmp_path, SENTRY_DSN=f"http://clef-publique@127.0.0.1:{port}/1")

    assert active == "True"
    events = [
        json.loads(line)
        for body in received
        for line in body.splitlines()
        if line.startswith(b"{") and b'"logentry"' in line
    ]
    assert len(events) == 1
    event = events[0]
    assert event["level"] == "error"
    assert event["logentry"]["message"] == "Échec d'envoi du courriel %s"
    assert event["environment"] == "production"
    assert "user" not in event
