"""The organisers' publication page of an edition: what will be made public, when, confirm.

GET shows the preview (awards by theme and level, the other outcomes), the rounds whose
evaluations are incomplete, the dossiers no round examined (each with its own form: outcome and
reason, one POST URL per dossier) and the form: publish now, or at a moment chosen in Paris time
(the Forum ceremony). POST publishes or schedules through awards.publication; a refusal is shown
above the form, which keeps what was typed. A scheduled publication can be cancelled (its own
POST URL). Once published, the page says when and by whom, and lists what was published, with
links to the public pages.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contests.models import Edition
from palmares.paging import back_to_list
from palmares.permissions import get_object_or_404_with_perm

from ..enums import DeliberationState, UnexaminedOutcome
from ..grouping import group_awards
from ..models import Award, AwardOrganisation, Deliberation
from ..publication import (
    PublicationRefused,
    UnexaminedRefused,
    blocking_reasons,
    cancel_scheduled_publication,
    decide_all_undecided,
    decide_unexamined,
    publication_preview,
    publish,
    schedule_publication,
    unexamined_applications,
)

PUBLISH = "awards.publish_results"
NOW, LATER = "now", "later"
ALL = "tous"  # the prefix of the form giving every undecided dossier the same outcome
# Dossiers no round examined per page: each comes with its form, the page's heaviest part.
PER_PAGE = 20


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
            "Par exemple l'heure de la remise des prix. Seulement pour une publication programmée."
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


class UnexaminedForm(forms.Form):
    """The outcome of one dossier no round examined (prefixed by its reference on the page)."""

    outcome = forms.ChoiceField(
        label=_("Issue"),
        choices=UnexaminedOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'issue du dossier.")},
    )
    reason = forms.CharField(
        label=_("Motif communiqué aux candidats"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Envoyé tel quel avec leur résultat et affiché sur la page de leur dossier."),
        error_messages={
            "required": _("Indiquez le motif : il sera communiqué aux candidats avec le résultat.")
        },
    )


def _published_awards(edition: Edition):
    return group_awards(
        Award.objects.filter(edition=edition)
        .select_related("level", "theme")
        .prefetch_related(
            Prefetch(
                "award_organisations",
                queryset=AwardOrganisation.objects.select_related("organisation"),
            ),
            "distinctions",
        )
    )


def _edition(request: HttpRequest, perm: str, contest_slug: str, year: int) -> Edition:
    return get_object_or_404_with_perm(
        request,
        perm,
        Edition.objects.select_related("contest"),
        contest__slug=contest_slug,
        year=year,
    )


def _deliberation(edition: Edition) -> Deliberation | None:
    return (
        Deliberation.objects.filter(edition=edition)
        .select_related("edition", "round", "published_by", "publish_scheduled_by")
        .first()
    )


def _page(
    request: HttpRequest,
    edition: Edition,
    deliberation: Deliberation | None,
    *,
    form: PublicationForm | None = None,
    bound_unexamined: UnexaminedForm | None = None,
) -> HttpResponse:
    """The page in the deliberation's state; `form` and `bound_unexamined` (one dossier's, or
    the one for all, prefix ALL) keep what was typed in a refused submission."""
    context = {
        "edition": edition,
        "contest": edition.contest,
        "deliberation": deliberation,
        "unexamined_errors": bool(bound_unexamined is not None and bound_unexamined.errors),
    }
    if deliberation is None:
        return render(request, "awards/publication/publication.html", context)
    if deliberation.state == DeliberationState.PUBLISHED:
        context["themes"] = _published_awards(edition)
        return render(request, "awards/publication/publication.html", context)
    preview = publication_preview(deliberation)
    context["preview"] = preview
    page = _unexamined_page(request, preview.unexamined, bound_unexamined)
    context["unexamined_page"] = page
    context["unexamined"] = [
        (
            row,
            bound_unexamined
            if bound_unexamined is not None and bound_unexamined.prefix == row.application.reference
            else UnexaminedForm(
                prefix=row.application.reference,
                initial={"outcome": row.decision.outcome, "reason": row.decision.reason}
                if row.decision
                else {},
            ),
        )
        for row in page.object_list
    ]
    # One form for all the undecided ones, when there are several (often one cause for all).
    if sum(1 for row in preview.unexamined if row.decision is None) > 1:
        context["unexamined_all"] = (
            bound_unexamined
            if bound_unexamined is not None and bound_unexamined.prefix == ALL
            else UnexaminedForm(prefix=ALL)
        )
    if not preview.blocking:  # otherwise the page says why, with no form
        initial = (
            {"when": LATER, "publish_at": deliberation.publish_at}
            if deliberation.publish_at
            else {}
        )
        context["form"] = form or PublicationForm(initial=initial)
    return render(request, "awards/publication/publication.html", context)


def _unexamined_page(request: HttpRequest, rows: list, bound: UnexaminedForm | None) -> Page:
    """The dossiers no round examined, a page of forms at a time (hundreds at a large edition
    weighed half a megabyte): the page `?page=` names, or the one holding the dossier whose
    refused form is shown again."""
    paginator = Paginator(rows, PER_PAGE)
    references = [row.application.reference for row in rows]
    if bound is not None and bound.prefix in references:
        return paginator.get_page(references.index(bound.prefix) // PER_PAGE + 1)
    return paginator.get_page(request.GET.get("page") or request.POST.get("page"))


@login_required
def publication(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, PUBLISH, contest_slug, year)
    deliberation = _deliberation(edition)
    if (
        request.method != "POST"
        or deliberation is None
        or deliberation.state == DeliberationState.PUBLISHED
        or blocking_reasons(deliberation)  # said on the page, which has no form then
    ):
        return _page(request, edition, deliberation)
    form = PublicationForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["when"] == NOW:
                awards = publish(deliberation, by=request.user)
                messages.success(
                    request,
                    ngettext(
                        "Le palmarès est publié : %(count)d lauréat.",
                        "Le palmarès est publié : %(count)d lauréats.",
                        len(awards),
                    )
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
    return _page(request, edition, deliberation, form=form)


@login_required
@require_POST
def cancel_schedule(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, PUBLISH, contest_slug, year)
    deliberation = _deliberation(edition)
    if deliberation is None:
        raise Http404
    try:
        cancel_scheduled_publication(deliberation, by=request.user)
    except PublicationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("La publication programmée est annulée : rien ne sera publié."))
    return redirect("awards:publication", contest_slug, year)


@login_required
@require_POST
def decide_unexamined_dossier(
    request: HttpRequest, contest_slug: str, year: int, reference: str
) -> HttpResponse:
    """The outcome of one dossier no round examined; a refusal re-renders the page with what
    was typed in that dossier's form."""
    edition = _edition(request, PUBLISH, contest_slug, year)
    deliberation = _deliberation(edition)
    if deliberation is None:
        raise Http404
    application = next(
        (a for a in unexamined_applications(deliberation) if a.reference == reference), None
    )
    if application is None:
        raise Http404
    form = UnexaminedForm(request.POST, prefix=reference)
    if form.is_valid():
        try:
            decide_unexamined(
                deliberation,
                application,
                form.cleaned_data["outcome"],
                form.cleaned_data["reason"],
                by=request.user,
            )
        except UnexaminedRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "L'issue du dossier %(reference)s est enregistrée ; elle s'appliquera à la "
                    "publication."
                )
                % {"reference": reference},
            )
            url = reverse("awards:publication", args=[contest_slug, year])
            return redirect(back_to_list(request, url, ("page",)))
    return _page(request, edition, deliberation, bound_unexamined=form)


@login_required
@require_POST
def decide_all_unexamined(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    """The same outcome and reason for every dossier no round examined still undecided."""
    edition = _edition(request, PUBLISH, contest_slug, year)
    deliberation = _deliberation(edition)
    if deliberation is None:
        raise Http404
    form = UnexaminedForm(request.POST, prefix=ALL)
    if form.is_valid():
        try:
            references = decide_all_undecided(
                deliberation,
                form.cleaned_data["outcome"],
                form.cleaned_data["reason"],
                by=request.user,
            )
        except UnexaminedRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Issue enregistrée pour %(count)d dossiers : %(references)s.")
                % {"count": len(references), "references": ", ".join(references)},
            )
            return redirect("awards:publication", contest_slug, year)
    return _page(request, edition, deliberation, bound_unexamined=form)


PREFIX = "organisation/concours/<slug:contest_slug>/<int:year>/publication/"
urlpatterns = [
    path(PREFIX, publication, name="publication"),
    path(f"{PREFIX}annuler-la-programmation/", cancel_schedule, name="publication_cancel"),
    path(f"{PREFIX}dossiers-non-examines/", decide_all_unexamined, name="unexamined_decide_all"),
    path(
        f"{PREFIX}dossiers-non-examines/<str:reference>/",
        decide_unexamined_dossier,
        name="unexamined_decide",
    ),
]
