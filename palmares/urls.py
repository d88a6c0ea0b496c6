from django.contrib import admin
from django.urls import include, path

# Public URLs are French and stable (docs/architecture.md, "Public contract"); the language
# is chosen by a cookie through Django's set_language view, not by a URL prefix.
urlpatterns = [
    path("", include("catalogue.urls")),
    path("compte/", include("accounts.urls")),
    path("candidatures/", include("applications.urls")),
    path("candidater/", include("applications.views.call")),  # the public calls
    path("", include("opendata.urls")),  # /api/, /donnees/, /organisation/exports/
    path("organisation/", include("contests.urls")),
    path("evenements/", include("contests.event_urls")),  # the Forum, the IntercoTOUR stages
    path("referentiel/", include("territories.urls")),
    # Selection and jury: organisers' pages under organisation/concours/…, jurors' under jury/.
    path("", include("jury.urls")),
    # Deliberation, publication and the documents of the results.
    path("", include("awards.urls")),
    # Health, for the proxy and the monitors (JSON, 200 or 503).
    path("sante/", include("health.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin-technique/", admin.site.urls),
]
