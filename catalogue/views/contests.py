"""/concours/: every contest the platform runs, with its public palmarès and figures.

Public: what is counted is decided by contests' embargo rule (catalogue.domain.public_contests).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from contests.presentation import awarded_by, contest_query

from ..domain import public_contests


def contest_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (contest, awarded_by(contest), contest_query(contest.slug)) for contest in public_contests()
    ]
    return render(request, "catalogue/contests.html", {"rows": rows})


urlpatterns = [
    path("concours/", contest_list, name="contests"),
]
