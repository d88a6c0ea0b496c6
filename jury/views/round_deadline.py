"""Extending a round's end of scoring: one POST action of the round's organiser page
(jury/domain/round_deadline.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from palmares.dates import long_date

from ..domain import round_deadline as domain
from .common import ROUND_PATH, round_with_perm


class ExtensionForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Nouvelle fin des évaluations"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Indiquez la nouvelle date de fin des évaluations."),
            "invalid": gettext_lazy("Indiquez une date valide, par exemple 2026-06-30."),
        },
    )


@login_required
@require_POST
def scoring_extend(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["until"]))
        return redirect("jury:round_detail", contest_slug, year, round_slug)
    try:
        round_ = domain.extend_scoring(round_, form.cleaned_data["until"], by=request.user)
    except domain.ExtensionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Les évaluations du tour sont ouvertes jusqu'au %(date)s inclus.")
            % {"date": long_date(round_.ends_on)},
        )
    return redirect("jury:round_detail", contest_slug, year, round_slug)


urlpatterns = [
    path(f"{ROUND_PATH}evaluations/prolonger/", scoring_extend, name="round_scoring_extend"),
]
