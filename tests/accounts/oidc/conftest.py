"""A real OpenID Connect provider on loopback (provider.mjs, panva's oidc-provider under node).

`make test` installs it (`make oidc-provider`); when node or the package is missing, the tests
that need it FAIL, they are never skipped.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from accounts import oidc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CLIENT_ID = "palmares-tests"
CLIENT_SECRET = "secret-du-client-de-test-palmares"
REDIRECT_URI = "http://testserver/compte/connexion/proconnect/retour/"
POST_LOGOUT_REDIRECT_URI = "http://testserver/compte/deconnexion/proconnect/retour/"
START_TIMEOUT_SECONDS = 20


@pytest.fixture(scope="session")
def oidc_issuer() -> str:
    """Start the provider once per test process; yield its issuer URL; stop it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the OpenID Connect tests (Debian's nodejs).")
    if not (ROOT / "vendor" / "oidc-provider" / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: run `make oidc-provider` (part of make test).")
    environment = {
        **os.environ,
        "OIDC_TEST_PORT": "0",
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": REDIRECT_URI,
        "OIDC_TEST_POST_LOGOUT_REDIRECT_URI": POST_LOGOUT_REDIRECT_URI,
    }
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [node, str(HERE / "provider.mjs")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        issuer = _wait_until_ready(process)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen) -> str:
    line = process.stdout.readline().strip()
    if not line.startswith("ready "):
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {line}\n{process.stderr.read()}")
    issuer = line.removeprefix("ready ")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
            if response.status_code == 200:
                return issuer
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the OIDC provider did not answer at {issuer}")
        time.sleep(0.1)


@pytest.fixture
def oidc_settings(settings, oidc_issuer):
    """Palmarès configured for the loopback provider."""
    settings.OIDC_PROVIDER_URL = oidc_issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_SCOPES = "openid email given_name usual_name siret idp_id"
    settings.OIDC_PROVIDER_NAME = "ProConnect"
    settings.OIDC_TRUST_EMAIL = True
    return settings


@pytest.fixture(autouse=True)
def forget_clients():
    """Each test reads the provider's discovery afresh (as a new process would)."""
    oidc._clients.clear()
    yield
    oidc._clients.clear()
