"""Public pages. Anyone may see them: what is public is decided in domain.py, not per visitor."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from contests.models import Contest

from .. import accessibility as grid
from ..domain import latest_public_palmares
from ..legal import legal_context


def home(request: HttpRequest) -> HttpResponse:
    palmares = latest_public_palmares()
    # The site's configured contest presents itself from its data (no query when it has a
    # palmarès: the edition comes with its contest).
    contest = (
        palmares.edition.contest
        if palmares
        else Contest.objects.filter(slug=settings.PUBLIC_PALMARES_CONTEST).first()
    )
    return render(request, "catalogue/home.html", {"palmares": palmares, "contest": contest})


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
        "topics": conformity.topics,
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


def accessibility_topic(request: HttpRequest, topic: int) -> HttpResponse:
    """One RGAA topic's criteria, their status and what checks them (the statement's detail)."""
    conformity = grid.conformity()
    chosen = conformity.topic(str(topic))
    if chosen is None:
        raise Http404
    context = {"topic": chosen, "topics": conformity.topics}
    return render(request, "catalogue/accessibility_topic.html", context)


def legal(request: HttpRequest) -> HttpResponse:
    # Cookie lifetimes are read from the settings so the page cannot drift from what is set.
    day = 24 * 3600
    context = {
        "session_days": settings.SESSION_COOKIE_AGE // day,
        "csrf_days": settings.CSRF_COOKIE_AGE // day,
        **legal_context(),
    }
    # The site's publisher: the organisation that awards its configured contest (its data).
    context["publisher"] = (
        Contest.objects.filter(slug=settings.PUBLIC_PALMARES_CONTEST)
        .values_list("awarder_name", flat=True)
        .first()
    )
    return render(request, "catalogue/legal.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("accessibilite/", accessibility, name="accessibility"),
    path("accessibilite/criteres/<int:topic>/", accessibility_topic, name="accessibility_topic"),
    path("mentions-legales/", legal, name="legal"),
]
