"""Public pages. Anyone may see them: what is public is decided in domain.py, not per visitor."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from .. import accessibility as grid
from ..domain import latest_public_palmares
from ..legal import legal_context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/home.html", {"palmares": latest_public_palmares()})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, computed from the RGAA grid shipped with the code; who to
    contact and the recourse come from the settings."""
    conformity = grid.conformity()
    context = {
        "conformity": conformity,
        "failing": conformity.with_status(grid.FAILS),
        "not_tested": conformity.with_status(grid.NOT_TESTED),
        "passing": conformity.with_status(grid.PASSES),
        "not_applicable": conformity.with_status(grid.NOT_APPLICABLE),
        "derogations": grid.derogations(),
        "entity": settings.ACCESSIBILITY_ENTITY,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "contact_url": settings.ACCESSIBILITY_CONTACT_URL,
        "contact_address": settings.ACCESSIBILITY_CONTACT_ADDRESS,
        "recourse_form_url": settings.ACCESSIBILITY_RECOURSE_FORM_URL,
        "recourse_delegates_url": settings.ACCESSIBILITY_RECOURSE_DELEGATES_URL,
        "recourse_address": settings.ACCESSIBILITY_RECOURSE_ADDRESS,
    }
    return render(request, "catalogue/accessibility.html", context)


def legal(request: HttpRequest) -> HttpResponse:
    # Cookie lifetimes are read from the settings so the page cannot drift from what is set.
    day = 24 * 3600
    context = {
        "session_days": settings.SESSION_COOKIE_AGE // day,
        "csrf_days": settings.CSRF_COOKIE_AGE // day,
        **legal_context(),
    }
    return render(request, "catalogue/legal.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("accessibilite/", accessibility, name="accessibility"),
    path("mentions-legales/", legal, name="legal"),
]
