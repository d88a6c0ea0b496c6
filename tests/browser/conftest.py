"""Browser fixtures: a production-like site per worker, and Debian's Chromium via Playwright."""

import os
import uuid
from pathlib import Path

import pytest

from .mailbox import Mailbox, smtp_server
from .server import Site, running_site

# Debian's chromium (apt), never a browser downloaded by Playwright.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def mailbox() -> Mailbox:
    """The SMTP server the site sends its emails to (real SMTP, on loopback)."""
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture(scope="session")
def site(tmp_path_factory, mailbox: Mailbox) -> Site:
    # One site per xdist worker: its own database and port.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    workdir = tmp_path_factory.mktemp(f"browser-site-{worker}")
    with running_site(workdir, worker, email_url=mailbox.url) as site:
        yield site


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Module scope, not session: while sync Playwright runs it keeps an asyncio loop running in
    # this thread, and Django refuses ORM calls from other tests of the worker during that time.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def run_id(request) -> str:
    """Shared by every worker of one pytest run, so budget lines can be grouped by run."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["testrunuid"] if workerinput else uuid.uuid4().hex
