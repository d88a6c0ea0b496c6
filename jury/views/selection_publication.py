"""Publishing a regional round's selection on its IntercoTOUR stage's public page, or taking it
off: two POST actions of the round's organiser page (jury/domain/selection_publication.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..domain import selection_publication as domain
from ..domain.rounds import RoundRefused
from .common import ROUND_PATH, round_with_perm


@login_required
@require_POST
def selection_publish(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    try:
        round_ = domain.publish_selection(round_, by=request.user)
    except RoundRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("La sélection est publiée sur la page de l'étape « %(event)s ».")
            % {"event": round_.event.name},
        )
    return redirect("jury:round_detail", contest_slug, year, round_slug)


@login_required
@require_POST
def selection_withdraw(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    try:
        domain.withdraw_selection(round_, by=request.user)
    except RoundRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("La sélection n'est plus publiée sur la page de l'étape."))
    return redirect("jury:round_detail", contest_slug, year, round_slug)


urlpatterns = [
    path(f"{ROUND_PATH}selection/publier/", selection_publish, name="selection_publish"),
    path(f"{ROUND_PATH}selection/retirer/", selection_withdraw, name="selection_withdraw"),
]
