"""The applicants' pages: my dossiers, create, read, withdraw (the form itself: applicant_edit).

Access: a dossier is fetched by its public reference, then `applications.view_dossier`
decides. Anyone who may not see it gets a 404, never a 403: references follow a sequence, and a
403 would tell a member of another collectivité that dossier LTI-2026-0007 exists. Who may see a
dossier but not do an action (a submitted dossier is no longer editable) gets a clear message.
"""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.enums import MembershipState
from accounts.membership_notices import confirmer_label
from accounts.rules import confirmed_organisation_ids
from contests.domain import current_phase, edition_allows
from contests.models import Edition
from palmares.dates import long_datetime
from territories.enums import OrganisationKind

from .. import domain
from ..enums import ApplicationState
from ..forms import LeadOrganisationForm, WithdrawForm
from ..hooks import dossier_sections
from ..models import Application, ApplicationPartner, Transition

# References look like "LTI-2026-0001": the pattern keeps other modules' paths free.
REFERENCE = r"(?P<reference>[A-Z0-9]+-\d{4}-\d{4,})"

APPLICATIONS = Application.objects.select_related(
    "edition__contest", "lead_organisation", "theme", "eligibility"
).prefetch_related(
    "edition__phases",
    Prefetch(
        "application_partners",
        queryset=ApplicationPartner.objects.select_related("organisation"),
    ),
)


def application_or_404(
    request: HttpRequest, reference: str, perm: str | None = None
) -> Application:
    """The dossier if the user may see it (404 otherwise); PermissionDenied if they may see it
    but not do `perm`."""
    application = get_object_or_404(APPLICATIONS, reference=reference)
    if not request.user.has_perm("applications.view_dossier", application):
        raise Http404
    if perm and not request.user.has_perm(perm, application):
        raise PermissionDenied
    return application


# ------------------------------------------------------------------------------ my dossiers


def _next_steps(application: Application, now) -> str:
    """What the applicants are expected to do next, in one sentence."""
    deadline = domain.submission_deadline(application.edition)
    match application.state:
        case ApplicationState.DRAFT if deadline and now < deadline:
            return _("Complétez le dossier et déposez-le avant le %(date)s (heure de Paris).") % {
                "date": long_datetime(deadline)
            }
        case ApplicationState.DRAFT:
            return _("Le dépôt des dossiers est clos : ce brouillon ne peut plus être déposé.")
        case ApplicationState.REOPENED if application.reopened_until:
            return _(
                "L'équipe organisatrice a rouvert le dossier : modifiez-le, puis déposez-le "
                "avant le %(date)s (heure de Paris)."
            ) % {"date": long_datetime(application.reopened_until)}
        case ApplicationState.REOPENED:
            return _("L'équipe organisatrice a rouvert le dossier : modifiez-le, puis déposez-le.")
        case ApplicationState.SUBMITTED:
            return _(
                "Dossier déposé : l'équipe organisatrice l'examine. Rien à faire pour l'instant."
            )
        case ApplicationState.SHORTLISTED:
            return _("Dossier retenu pour l'audition : préparez votre présentation.")
        case ApplicationState.WITHDRAWN:
            return _("Dossier retiré : rien à faire.")
    return _("Rien à faire pour l'instant.")


def _upcoming_phases(edition: Edition, now, count: int = 2) -> list:
    return sorted(
        (p for p in edition.phases.all() if p.starts_at > now), key=lambda p: p.starts_at
    )[:count]


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    organisations = confirmed_organisation_ids(request.user)
    applications = (
        APPLICATIONS.filter(
            Q(lead_organisation_id__in=organisations)
            | Q(application_partners__organisation_id__in=organisations)
        )
        .distinct()
        .order_by("-edition__year", "reference")
    )
    now = timezone.now()
    rows = [
        {
            "application": application,
            "next_steps": _next_steps(application, now),
            "upcoming": _upcoming_phases(application.edition, now),
        }
        for application in applications
    ]
    open_editions = [
        edition
        for edition in Edition.objects.filter(is_historical=False)
        .select_related("contest")
        .prefetch_related("phases")
        if edition_allows(edition, "may_apply", now)
    ]
    return render(
        request,
        "applications/applicant/my_applications.html",
        {
            "rows": rows,
            "open_editions": [
                {"edition": edition, "deadline": domain.submission_deadline(edition)}
                for edition in open_editions
            ],
            "has_organisation": bool(organisations),
            "pending_requests": _pending_requests(request.user) if not organisations else [],
        },
    )


def _pending_requests(user) -> list[tuple[str, str]]:
    """Blocked until a request is confirmed: each pending structure and who will confirm it
    (accounts.membership_notices)."""
    return [
        (membership.organisation.official_name, confirmer_label(membership))
        for membership in user.memberships.filter(state=MembershipState.PENDING).select_related(
            "organisation", "user"
        )
    ]


# ---------------------------------------------------------------------------------- create


@login_required
def create(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.select_related("contest").prefetch_related("phases"),
        contest__slug=contest_slug,
        year=year,
    )
    # Only the structures whose nature the contest accepts as lead (contest.lead_kinds).
    organisations = domain.lead_organisations(request.user, edition)
    if not request.user.has_perm("applications.create_application", edition) or not organisations:
        kinds = domain.accepted_lead_kinds(edition.contest)
        context = {
            "edition": edition,
            "has_organisation": bool(confirmed_organisation_ids(request.user)),
            "has_accepted_organisation": bool(organisations),
            "accepted_kinds": domain.accepted_kinds_text(edition.contest),
            # Whether to offer « Déclarez votre entreprise » beside « Rattachez votre compte ».
            "accepts_companies": not kinds or OrganisationKind.STARTUP in kinds,
            "phase_open": edition_allows(edition, "may_apply"),
            # A new agent lands here from the call: say what their request waits for, and
            # bring them back here once attached (`next` through the attachment form).
            "pending_requests": _pending_requests(request.user),
            "attach_url": reverse("accounts:attach")
            + "?"
            + urlencode({REDIRECT_FIELD_NAME: request.path}),
        }
        return render(request, "applications/applicant/cannot_create.html", context, status=403)
    form = LeadOrganisationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = domain.create_application(
                edition, form.cleaned_data["organisation"], by=request.user
            )
        except domain.LeadRefused as refusal:
            form.add_error("organisation", refusal.message)
        else:
            messages.success(
                request,
                _("Dossier %(reference)s créé : remplissez-le, il est enregistré comme brouillon.")
                % {"reference": application.reference},
            )
            return redirect("applications:edit", reference=application.reference)
    if not form.is_bound and organisations:
        form.initial["organisation"] = organisations[0].slug
    return render(request, "applications/applicant/create.html", {"edition": edition, "form": form})


# ---------------------------------------------------------------------------------- detail


def detail(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = application_or_404(request, reference)
    user = request.user
    is_organiser = user.has_perm("applications.manage_applications", application.edition)
    context = {
        "application": application,
        "criterion_answers": application.criterion_answers.select_related("criterion").order_by(
            "criterion__position", "criterion__name"
        ),
        "answers": application.answers.select_related("question").order_by(
            "question__position", "question__pk"
        ),
        "attachments": application.attachments.all(),
        "transitions": (
            Transition.objects.filter(application=application).select_related("by")
            if is_organiser
            else None
        ),
        "is_organiser": is_organiser,
        "may_change": user.has_perm("applications.edit_dossier", application),
        "may_withdraw": user.has_perm("applications.withdraw_application", application),
        "may_reopen": user.has_perm("applications.reopen_application", application),
        "phase": current_phase(application.edition),
        "deadline": domain.submission_deadline(application.edition),
        # What higher apps show of the dossier (awards: its result, once published).
        "sections": dossier_sections(application),
    }
    return render(request, "applications/applicant/detail.html", context)


# ---------------------------------------------------------------------------------- withdraw


@login_required
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_or_404(request, reference, "applications.withdraw_application")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        domain.withdraw_application(
            application, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Le dossier %(reference)s est retiré.") % {"reference": reference}
        )
        return redirect("applications:detail", reference=reference)
    return render(
        request,
        "applications/applicant/withdraw.html",
        {"application": application, "form": form},
    )


urlpatterns = [
    path("", my_applications, name="my_applications"),
    path("nouveau/<slug:contest_slug>/<int:year>/", create, name="create"),
    re_path(rf"^{REFERENCE}/$", detail, name="detail"),
    re_path(rf"^{REFERENCE}/retirer/$", withdraw, name="withdraw"),
]
