from django.contrib import admin
from django.urls import include, path

from accounts.views.admin_login import admin_login

from . import wellknown

# Public URLs are French and stable (docs/architecture.md, "Public contract"); the language
# is chosen by a cookie through Django's set_language view, not by a URL prefix.
urlpatterns = [
    path("", include("catalogue.urls")),
    path("compte/", include("accounts.urls")),
    path("candidatures/", include("applications.urls")),
    path("candidater/", include("applications.views.call")),  # the public calls
    path("", include("opendata.urls")),  # /api/, /donnees/, /organisation/exports/
    path("organisation/", include("contests.urls")),
    # Ceremonies and regional stages; then the public logo of who awards a contest.
    path("evenements/", include("contests.event_urls")),
    path("logos/", include("contests.logo_urls")),
    path("referentiel/", include("territories.urls")),
    # Selection and jury: organisers' pages under organisation/concours/…, jurors' under jury/.
    path("", include("jury.urls")),
    # Deliberation, publication and the documents of the results.
    path("", include("awards.urls")),
    # Health, for the proxy and the monitors (JSON, 200 or 503).
    path("sante/", include("health.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", wellknown.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", wellknown.security_txt, name="security_txt"),
    # The technical admin signs in through the site's own sign-in page: the same throttling
    # and second factor as the organisers (accounts/views/admin_login.py). Before admin.site.
    path("admin-technique/login/", admin_login),
    path("admin-technique/", admin.site.urls),
]
