"""The site's URLs plus `_bench/bonjour/`, for bench/throughput.py only (never in palmares.urls).

Both this module and _throughput_settings.py start with "_" so that `make bench` does not run
them as benchmarks.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bonjour(request: HttpRequest) -> HttpResponse:
    # The smallest Django answer: what any page costs before its own queries and template.
    return HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("_bench/bonjour/", bonjour),
    path("", include("palmares.urls")),
]
