"""Public pages. Anyone may see them: what is public is decided in domain.py, not per visitor."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ..domain import latest_public_palmares


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/home.html", {"palmares": latest_public_palmares()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/accessibility.html")


def legal(request: HttpRequest) -> HttpResponse:
    # Cookie lifetimes are read from the settings so the page cannot drift from what is set.
    day = 24 * 3600
    context = {
        "session_days": settings.SESSION_COOKIE_AGE // day,
        "csrf_days": settings.CSRF_COOKIE_AGE // day,
    }
    return render(request, "catalogue/legal.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("accessibilite/", accessibility, name="accessibility"),
    path("mentions-legales/", legal, name="legal"),
]
