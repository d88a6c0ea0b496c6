"""Publishing a regional round's selection on its IntercoTOUR stage's public page, or taking it
off: one POST action of the round's organiser page (jury/domain/selection_publication.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..domain import selection_publication as domain
from ..domain.rounds import RoundRefused
from .common import ROUND_PATH, organiser_round


@login_required
@require_POST
def selection_publication(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = organiser_round(request, contest_slug, year, round_slug)
    action = request.POST.get("action")
    try:
        if action == "publish":
            round_ = domain.publish_selection(round_, by=request.user)
            messages.success(
                request,
                _("La sélection est publiée sur la page de l'étape « %(event)s ».")
                % {"event": round_.event.name},
            )
        elif action == "withdraw":
            domain.withdraw_selection(round_, by=request.user)
            messages.success(request, _("La sélection n'est plus publiée sur la page de l'étape."))
        else:
            messages.error(request, _("Action inconnue."))
    except RoundRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("jury:round_detail", contest_slug, year, round_slug)


urlpatterns = [
    path(
        f"{ROUND_PATH}selection/publication/",
        selection_publication,
        name="selection_publication",
    ),
]
