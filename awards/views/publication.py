"""The organisers' publication page of an edition: what will be made public, when, confirm.

GET shows the preview (awards by theme and level, the other outcomes) and the form: publish now,
or at a moment chosen in Paris time (the Forum ceremony). POST publishes or schedules through
awards.publication; a refusal is shown above the form, which keeps what was typed. Once
published, the page says when and lists what was published, with links to the public pages.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Edition
from palmares.permissions import get_object_or_404_with_perm

from ..enums import DeliberationState
from ..grouping import group_awards
from ..models import Award, AwardOrganisation, Deliberation
from ..publication import (
    PublicationRefused,
    publication_preview,
    publish,
    schedule_publication,
)

PUBLISH = "awards.publish_results"
NOW, LATER = "now", "later"


class PublicationForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Moment de la publication"),
        choices=[(NOW, _("Maintenant")), (LATER, _("À la date et à l'heure choisies"))],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    publish_at = forms.DateTimeField(
        label=_("Date et heure (heure de Paris)"),
        help_text=_(
            "Par exemple la cérémonie du Forum. Seulement pour une publication programmée."
        ),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    confirm = forms.BooleanField(
        label=_(
            "Je confirme : le palmarès deviendra public et chaque candidat recevra son résultat "
            "par courriel."
        ),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("when") == LATER:
            moment = data.get("publish_at")
            if moment is None and "publish_at" not in self.errors:  # not already "invalid"
                self.add_error("publish_at", _("Indiquez la date et l'heure de la publication."))
            elif moment is not None and moment <= timezone.now():
                self.add_error("publish_at", _("Choisissez un moment à venir."))
        return data


def _published_awards(edition: Edition):
    return group_awards(
        Award.objects.filter(edition=edition)
        .select_related("level", "theme")
        .prefetch_related(
            Prefetch(
                "award_organisations",
                queryset=AwardOrganisation.objects.select_related("organisation"),
            )
        )
    )


@login_required
def publication(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404_with_perm(
        request,
        PUBLISH,
        Edition.objects.select_related("contest"),
        contest__slug=contest_slug,
        year=year,
    )
    deliberation = (
        Deliberation.objects.filter(edition=edition).select_related("edition", "round").first()
    )
    context = {"edition": edition, "contest": edition.contest, "deliberation": deliberation}
    if deliberation is None:
        return render(request, "awards/publication/publication.html", context)
    if deliberation.state == DeliberationState.PUBLISHED:
        context["themes"] = _published_awards(edition)
        return render(request, "awards/publication/publication.html", context)
    preview = publication_preview(deliberation)
    context["preview"] = preview
    if preview.blocking:  # said on the page, with no form
        return render(request, "awards/publication/publication.html", context)
    initial = (
        {"when": LATER, "publish_at": deliberation.publish_at} if deliberation.publish_at else {}
    )
    form = PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["when"] == NOW:
                awards = publish(deliberation, by=request.user)
                messages.success(
                    request,
                    _("Le palmarès est publié : %(count)d labels décernés.")
                    % {"count": len(awards)},
                )
            else:
                moment = form.cleaned_data["publish_at"]
                schedule_publication(deliberation, moment, by=request.user)
                local = timezone.localtime(moment)
                messages.success(
                    request,
                    _("La publication est programmée le %(date)s à %(time)s (heure de Paris).")
                    % {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")},
                )
            return redirect("awards:publication", contest_slug, year)
        except PublicationRefused as refused:
            form.add_error(None, str(refused))
    context["form"] = form
    return render(request, "awards/publication/publication.html", context)


urlpatterns = [
    path(
        "organisation/concours/<slug:contest_slug>/<int:year>/publication/",
        publication,
        name="publication",
    ),
]
