"""Request and response guards below every app: the request body cap and Permissions-Policy.

Imports no app. The body cap refuses a request whose declared Content-Length exceeds
MAX_REQUEST_BODY_BYTES before anything reads it (Django would otherwise stream a 1 GB body to a
temporary file first); a body sent without Content-Length (chunked) is bounded by Django's
own limits and by the upload handler of the video (applications/upload_handlers.py). nginx
refuses larger bodies before they reach us (client_max_body_size, deploy/nginx/palmares.conf).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Every powerful browser feature off: the site uses none of them (issue 17, ASVS 14.4).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
)


def declared_length(request: HttpRequest) -> int | None:
    """The request's Content-Length as an int, or None when absent or unreadable."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class SecurityHeadersMiddleware:
    """Refuse bodies over the cap with a 413; add Permissions-Policy to every response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is not None and length > settings.MAX_REQUEST_BODY_BYTES:
            response = HttpResponse(
                _(
                    "La requête est trop volumineuse (%(size)d Mo, limite %(limit)d Mo). "
                    "Réduisez le fichier puis réessayez."
                )
                % {
                    "size": length // 1_000_000,
                    "limit": settings.MAX_REQUEST_BODY_BYTES // 1_000_000,
                },
                status=413,
                content_type="text/plain; charset=utf-8",
            )
            # The body is left unread: close the connection rather than drain it.
            response["Connection"] = "close"
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
