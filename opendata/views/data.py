"""/donnees/: the page that presents the open data, and the files themselves.

Files are served from the current release (opendata.publishing), which is regenerated first when
the public palmarès changed: an embargoed edition's awards are never in them. They are public
and cookie-free: CORS open to any origin, ETag (the file's SHA-256) and Last-Modified (when its
content last changed) for conditional requests.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .. import table
from ..descriptors import publisher_name
from ..publishing import FILES, current_release


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    release = current_release()
    return render(
        request,
        "opendata/data.html",
        {
            "release": release,
            "files": [release.files[name] for name in FILES],
            "fields": table.table_schema([])["fields"],
            "publisher": publisher_name(),
        },
    )


@require_safe
def data_file(request: HttpRequest, filename: str) -> HttpResponse:
    release = current_release()
    info = release.files[filename]
    etag = f'"{info.sha256[:32]}"'
    last_modified = int(release.modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(release.path(filename).open("rb"), content_type=info.media_type)
        # Shown in the browser for the JSON files; a download for the CSV.
        if filename.endswith(".csv"):
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


FILE_NAMES = "|".join(name.replace(".", r"\.") for name in FILES)
urlpatterns = [
    path("donnees/", data_page, name="data"),
    re_path(rf"^donnees/(?P<filename>{FILE_NAMES})$", data_file, name="data_file"),
]
