"""The server's own clock on every answer of the deadline rush (bench/rush.py).

The rush classifies each submission as on time or late by when the server handled it, not by
when the client sent it: on a loaded machine a request sent before the deadline may wait in
gunicorn's queue past it. This middleware, outermost, brackets the whole handling (every other
middleware, the view, the commit) between two wall-clock stamps, in seconds since the epoch.
The clients run on the same machine, so both read the same clock.
"""

import time

from django.http import HttpRequest, HttpResponse

STARTED = "X-Rush-Started"
ENDED = "X-Rush-Ended"


class ServerClock:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.time()
        response = self.get_response(request)
        response[STARTED] = f"{started:.6f}"
        response[ENDED] = f"{time.time():.6f}"
        return response
