"""Logs are one JSON object per line, carrying the id of their request (palmares/logs.py)."""

import io
import json
import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from palmares.logs import JsonFormatter, RequestIdMiddleware

logger = logging.getLogger("tests.logs")


@pytest.fixture
def json_lines():
    """Everything logged during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_response_carries_a_new_request_id(db):
    response = Client().get("/sante/")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_proxys_request_id_is_kept(db):
    response = Client().get("/sante/", HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")

    assert response["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.mark.parametrize("sent", ['id"}, {"forged": 1', "x" * 65, "court", "é" * 10])
def test_an_unusable_request_id_is_replaced(db, sent):
    response = Client().get("/sante/", HTTP_X_REQUEST_ID=sent)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_line_logged_during_a_request_carries_its_id(json_lines):
    def view(request):
        logger.warning("Dossier %s enregistré", "LTI-2027-0001", extra={"dossier": 7})
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="abcdef0123456789")
    RequestIdMiddleware(view)(request)
    logger.warning("après la requête")

    during, after = json_lines()
    assert set(during) == {"time", "level", "logger", "message", "request_id", "dossier"}
    assert (during["level"], during["logger"]) == ("WARNING", "tests.logs")
    assert during["message"] == "Dossier LTI-2027-0001 enregistré"
    assert (during["request_id"], during["dossier"]) == ("abcdef0123456789", 7)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", during["time"])
    assert after["request_id"] is None


def test_djangos_log_of_an_answer_404_carries_the_request_id(db, json_lines):
    Client().get("/page-inexistante/", HTTP_X_REQUEST_ID="abcdef0123456789")

    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("Not Found: /page-inexistante/", "abcdef0123456789")
    ]
    assert lines[0]["status_code"] == 404
    assert "request" not in lines[0]  # the request object (cookies, user) is never written


def test_a_traceback_stays_on_one_line(json_lines):
    try:
        raise ValueError("valeur refusée")
    except ValueError:
        logger.exception("échec")

    (line,) = json_lines()
    assert line["message"] == "échec"
    assert line["exception"].startswith("Traceback (most recent call last):\n")
    assert line["exception"].endswith("ValueError: valeur refusée")
