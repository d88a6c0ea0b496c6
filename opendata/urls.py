"""The open data's URLs: the public API (/api/), the files (/donnees/) and the organisers'
exports (export_views: /organisation/exports/ and a few next to the pages they export). Included
at the site's root by palmares/urls.py."""

from . import api_urls
from .views import data as data_views
from .views import exports as export_views

app_name = "opendata"
urlpatterns = [
    *data_views.urlpatterns,  # /donnees/ and its files
    *export_views.urlpatterns,  # organisers' CSV, XLSX and ZIP exports
    *api_urls.urlpatterns,  # /api/v1/… (its JSON 404 for the rest of /api/ comes last)
]
