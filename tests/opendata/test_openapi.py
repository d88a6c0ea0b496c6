"""The OpenAPI schema: valid OpenAPI 3.1, describes every API URL, and the API keeps to it
(schemathesis generates requests from the schema and checks every answer)."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from opendata import api_urls
from opendata.openapi import openapi_schema

pytestmark = pytest.mark.django_db

# Named API patterns that are not JSON resources of the schema.
NOT_DESCRIBED = {"api_docs"}


def test_schema_is_valid_openapi_31():
    schema = openapi_schema("http://testserver")

    OPENAPI_31_VALIDATOR.validate(schema)  # raises on the first error
    assert schema["openapi"] == "3.1.0"


def test_every_api_url_is_described():
    described = set(openapi_schema("http://testserver")["paths"])
    patterns = [
        pattern
        for pattern in api_urls.urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in NOT_DESCRIBED
    ]
    routes = {
        "/" + str(pattern.pattern).replace("<str:", "{").replace(">", "}") for pattern in patterns
    }

    assert routes == described
    assert len(patterns) == 8


def test_served_schema_is_the_module_one(visitor):
    response = visitor.get("/api/v1/openapi.json")

    assert json.loads(response.content) == openapi_schema("http://testserver")


@pytest.fixture
def api_schema(palmares, settings):
    """The served schema, against the WSGI application, with this test's database."""
    settings.API_RATE_LIMIT = 1_000_000  # the fuzzing is not an attack
    # As Django's test client does: a request must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# schemathesis leaves out the schema's own address; every other operation is exercised.
OPERATIONS = {
    "GET /api/v1/contests",
    "GET /api/v1/laureates",
    "GET /api/v1/editions",
    "GET /api/v1/themes",
    "GET /api/v1/organisations",
    "GET /api/v1/organisations/{siren}",
    "GET /api/v1/events",
}
MAX_EXAMPLES = 25  # per operation and mode: the whole run stays under a minute


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_keeps_to_its_schema(api_schema, mode):
    """schemathesis' pytest plugin (from_fixture) does not run under pytest 9, so each operation's
    strategy is driven by Hypothesis here; every default check runs on every answer (no server
    error, status, headers and body as documented, invalid input refused)."""
    calls: dict[str, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        if (
            mode == GenerationMode.NEGATIVE
            and not operation.path_parameters
            and not (operation.query)
        ):
            continue  # nothing to make invalid (the schema itself)

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Uncompressed: the WSGI test transport does not undo the site's gzip.
            case.call_and_validate(
                headers={"Accept-Encoding": "identity"},
                # Filters are checked against the referential and the palmarès: « region=99 »
                # has the form of a code and names nothing, so it gets a 400 by contract
                # (tests/opendata/test_laureates.py), which this check would call a failure.
                excluded_checks=[positive_data_acceptance],
            )
            calls[case.operation.label] = calls.get(case.operation.label, 0) + 1

        check()

    assert {operation.label for operation in operations} == OPERATIONS
    print(f"schemathesis {mode.value}: {sum(calls.values())} requests", calls)
