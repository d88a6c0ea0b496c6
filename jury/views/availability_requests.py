"""Asking the applicants of an audition round for their availabilities, with a deadline: one
POST action of the auditions page (jury/domain/availability_requests.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palmares.dates import long_date

from ..domain import availability_requests as domain
from ..forms.auditions import AvailabilityRequestForm
from .auditions import AUDITIONS_URL
from .common import round_with_perm


@login_required
@require_POST
def availability_request(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    form = AvailabilityRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["deadline"]))
        return redirect("jury:auditions", contest_slug, year, round_slug)
    try:
        asked = domain.request_availability(round_, form.cleaned_data["deadline"], by=request.user)
    except domain.RequestRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _(
                "Disponibilités demandées pour %(count)s dossier(s), réponse attendue avant le "
                "%(date)s."
            )
            % {
                "count": len(asked),
                "date": long_date(round_.availability_deadline),
            },
        )
    return redirect("jury:auditions", contest_slug, year, round_slug)


urlpatterns = [
    path(
        f"{AUDITIONS_URL}disponibilites/demander/",
        availability_request,
        name="audition_availability_request",
    ),
]
