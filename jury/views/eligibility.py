"""The organisers' eligibility page: each submitted dossier of an edition, its decision, and a
small form per dossier to declare it eligible, or ineligible with a reason (posted to the page);
and one action declaring eligible every undecided dossier the filters select.

Both are for organisers who run the selection (`jury.manage_selection`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications.enums import ApplicationState
from applications.models import Application
from contests.content_language import ContentSelect
from contests.models import Edition
from palmares.permissions import get_object_or_404_with_perm

from ..domain.eligibility import (
    EligibilityRefused,
    decide_eligibility,
    eligibility_candidates,
    mark_undecided_eligible,
)

PER_PAGE = 50
EDITIONS = Edition.objects.select_related("contest")
ELIGIBLE, INELIGIBLE = "eligible", "ineligible"
DECIDED, UNDECIDED = "decided", "undecided"


class EligibilityFilterForm(forms.Form):
    """Filters of the page; an invalid value is reported next to its field and ignored."""

    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
        widget=ContentSelect,
    )
    state = forms.ChoiceField(
        label=_("État"),
        choices=[
            ("", _("Tous les états")),
            (ApplicationState.SUBMITTED, ApplicationState.SUBMITTED.label),
            (ApplicationState.INELIGIBLE, ApplicationState.INELIGIBLE.label),
        ],
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("", _("Toutes")),
            (UNDECIDED, _("Sans décision")),
            (DECIDED, _("Décidés")),
            (ELIGIBLE, _("Recevables")),
            (INELIGIBLE, _("Irrecevables")),
        ],
        required=False,
    )

    def __init__(self, data, *, edition: Edition):
        data = {key: data.get(key) for key in ("theme", "state", "decision") if data.get(key)}
        super().__init__(data or None)
        self.fields["theme"].queryset = edition.themes.all()

    def filter(self, applications: QuerySet[Application]) -> QuerySet[Application]:
        if not self.is_bound:
            return applications
        self.is_valid()
        values = {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
        if "theme" in values:
            applications = applications.filter(theme=values["theme"])
        if "state" in values:
            applications = applications.filter(state=values["state"])
        decision = values.get("decision")
        if decision == UNDECIDED:
            applications = applications.filter(eligibility__isnull=True)
        elif decision == DECIDED:
            applications = applications.filter(eligibility__isnull=False)
        elif decision in (ELIGIBLE, INELIGIBLE):
            applications = applications.filter(eligibility__eligible=decision == ELIGIBLE)
        return applications


class EligibilityDecisionForm(forms.Form):
    """One dossier's decision; prefixed by its reference so that every row's ids differ."""

    decision = forms.ChoiceField(
        choices=[(ELIGIBLE, _("Recevable")), (INELIGIBLE, _("Irrecevable"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez « recevable » ou « irrecevable ».")},
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire si irrecevable)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Il est envoyé aux porteurs par courriel."),
    )

    def __init__(self, *args, reference: str, **kwargs):
        super().__init__(*args, prefix=reference, **kwargs)
        self.fields["decision"].label = _("Recevabilité du dossier %(reference)s") % {
            "reference": reference
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == INELIGIBLE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif de l'irrecevabilité."))
        return cleaned


def _row_form(application: Application) -> EligibilityDecisionForm:
    decision = getattr(application, "eligibility", None)
    initial = {}
    if decision is not None:
        initial = {"decision": ELIGIBLE if decision.eligible else INELIGIBLE}
        initial["reason"] = decision.reason
    return EligibilityDecisionForm(reference=application.reference, initial=initial)


@login_required
def eligibility(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    """The list; POST decides one dossier (its reference in the form) and comes back to the
    same filtered page."""
    edition = get_object_or_404_with_perm(
        request, "jury.manage_selection", EDITIONS, contest__slug=contest_slug, year=year
    )
    filters = EligibilityFilterForm(request.GET, edition=edition)
    applications = filters.filter(eligibility_candidates(edition))
    bound: EligibilityDecisionForm | None = None
    if request.method == "POST":
        application = get_object_or_404(
            eligibility_candidates(edition), reference=request.POST.get("reference", "")
        )
        bound = EligibilityDecisionForm(request.POST, reference=application.reference)
        if bound.is_valid():
            try:
                decide_eligibility(
                    application,
                    eligible=bound.cleaned_data["decision"] == ELIGIBLE,
                    reason=bound.cleaned_data["reason"],
                    by=request.user,
                )
            except EligibilityRefused as refusal:
                bound.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("Décision enregistrée pour le dossier %(reference)s.")
                    % {"reference": application.reference},
                )
                return redirect(request.get_full_path())

    listing = applications.select_related("lead_organisation", "theme", "eligibility").order_by(
        "reference"
    )
    page = Paginator(listing, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (row, bound if bound is not None and bound.prefix == row.reference else _row_form(row))
        for row in page
    ]
    if bound is not None and bound.errors and not any(form is bound for _row, form in rows):
        # The dossier left the filtered page meanwhile: show its row first, with the error.
        rows.insert(0, (application, bound))
    tallies = applications.aggregate(
        undecided=Count("pk", filter=Q(eligibility__isnull=True)),
        eligible=Count("pk", filter=Q(eligibility__eligible=True)),
        ineligible=Count("pk", filter=Q(eligibility__eligible=False)),
        bulk=Count("pk", filter=Q(eligibility__isnull=True, state=ApplicationState.SUBMITTED)),
    )
    return render(
        request,
        "jury/eligibility/list.html",
        {
            "edition": edition,
            "contest": edition.contest,
            "filters": filters,
            "page": page,
            "rows": rows,
            "tallies": tallies,
            "has_errors": bound is not None and bool(bound.errors),
        },
    )


@login_required
@require_POST
def eligibility_bulk(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    """Declare eligible every submitted dossier without a decision among those the filters of
    the query string select, then come back to the same filtered page."""
    edition = get_object_or_404_with_perm(
        request, "jury.manage_selection", EDITIONS, contest__slug=contest_slug, year=year
    )
    filters = EligibilityFilterForm(request.GET, edition=edition)
    undecided = filters.filter(eligibility_candidates(edition)).filter(
        state=ApplicationState.SUBMITTED, eligibility__isnull=True
    )
    done = mark_undecided_eligible(undecided.order_by("reference"), by=request.user)
    messages.success(
        request, _("%(count)s dossier(s) déclaré(s) recevable(s).") % {"count": len(done)}
    )
    page = reverse("jury:eligibility", args=[contest_slug, year])
    query = request.GET.urlencode()
    return redirect(f"{page}?{query}" if query else page)


ELIGIBILITY_URL = "organisation/concours/<slug:contest_slug>/<int:year>/recevabilite/"
urlpatterns = [
    path(ELIGIBILITY_URL, eligibility, name="eligibility"),
    path(f"{ELIGIBILITY_URL}tous-recevables/", eligibility_bulk, name="eligibility_bulk"),
]
