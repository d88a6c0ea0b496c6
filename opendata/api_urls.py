from django.urls import path, re_path
from django.views.generic import RedirectView

from . import http
from .views import api as views

# Stable public URLs (docs/architecture.md, "Public contract"), under /api/v1/.
urlpatterns = [
    path("api/", RedirectView.as_view(pattern_name="opendata:api_docs")),
    path("api/v1/", views.docs, name="api_docs"),
    path("api/v1/openapi.json", views.openapi, name="openapi"),
    path("api/v1/contests", views.contests, name="contests"),
    path("api/v1/laureates", views.laureates, name="laureates"),
    path("api/v1/editions", views.editions, name="editions"),
    path("api/v1/themes", views.themes, name="themes"),
    path("api/v1/organisations", views.organisations, name="organisations"),
    path("api/v1/organisations/<str:siren>", views.organisation, name="organisation"),
    path("api/v1/events", views.events, name="events"),
    # Last: any other address under /api/ answers a JSON 404, not the site's HTML page.
    re_path(r"^api/(?P<path>.*)$", http.not_found),
]
