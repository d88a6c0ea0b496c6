"""Logs as one JSON object per line, each carrying the id of the request it belongs to.

`RequestIdMiddleware` gives every request an id: the one nginx sends in `X-Request-ID` (its
`$request_id`, also written in its access log, so one id follows a request through both logs),
or a new one; it is echoed back in the response's `X-Request-ID`, for a person reporting a
problem to quote. `JsonFormatter` writes each record as one line — time, level, logger,
message, request id, the record's `extra` fields, the traceback — that journald, Loki or `jq`
read without guessing where a multi-line traceback ends.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from the proxy: nginx's 32 hex digits, a UUID, or any short plain token.
# Anything else (too long, spaces, quotes) is replaced, so a log line never carries it.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# The attributes every LogRecord has; the others come from `extra=` and are written as fields.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# `extra` fields never written: Django's request object (not data, and full of personal data).
_LEFT_OUT = frozenset({"request"})


class RequestIdMiddleware:
    """Set the request's id (request.request_id and the logs' context); echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _request_id(record: logging.LogRecord) -> str | None:
    # Django logs a 4xx/5xx answer ("django.request") after the middleware chain has returned;
    # such records carry the request itself.
    request = getattr(record, "request", None)
    return getattr(request, "request_id", None) or current_request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line; values JSON cannot hold are written as strings."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _LEFT_OUT and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
