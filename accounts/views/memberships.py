"""Membership pages: ask to join a structure; decide requests; verify a structure's domains."""

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules import permissions
from rules.contrib.views import permission_required

from palmares.permissions import get_object_or_404_with_perm
from territories.domain import departement_of, explain_no_match, search_organisations
from territories.forms import OrganisationSearchForm
from territories.models import Organisation

from .. import domain
from ..enums import MembershipRequestOutcome, MembershipState
from ..forms.memberships import (
    MembershipDecisionForm,
    MembershipFilterForm,
    MembershipRequestForm,
    VerifiedDomainForm,
)
from ..models import Membership

RESULTS_PER_PAGE = 20
MEMBERSHIPS_PER_PAGE = 50


def _outcome_message(membership: Membership) -> tuple[int, str]:
    """The message level and text that say what became of a request, and why."""
    # The structure by its full name (« Commune de Brest »), as the account page lists it.
    values = {
        "organisation": membership.organisation.official_name,
        "domain": membership.email_domain,
    }
    match membership.outcome:
        case MembershipRequestOutcome.CONFIRMED_BY_DOMAIN:
            return messages.SUCCESS, _(
                "Votre adresse @%(domain)s est un domaine vérifié de la structure "
                "« %(organisation)s » : rattachement confirmé."
            ) % values
        case MembershipRequestOutcome.PENDING_EMAIL_UNCONFIRMED:
            return messages.WARNING, _(
                "Demande de rattachement à « %(organisation)s » enregistrée, en attente. "
                "Votre adresse @%(domain)s est un domaine vérifié de cette structure, mais vous "
                "ne l'avez pas encore confirmée : suivez le lien reçu par courriel et le "
                "rattachement sera confirmé aussitôt."
            ) % values
        case MembershipRequestOutcome.ALREADY_REQUESTED if (
            membership.state == MembershipState.CONFIRMED
        ):
            return messages.INFO, _("Vous êtes déjà rattaché à « %(organisation)s ».") % values
        case MembershipRequestOutcome.ALREADY_REQUESTED:
            return messages.INFO, _(
                "Vous avez déjà demandé à être rattaché à « %(organisation)s » : un organisateur "
                "doit confirmer votre rattachement ; vous recevrez un courriel."
            ) % values
    return messages.SUCCESS, _(
        "Demande de rattachement à « %(organisation)s » enregistrée. Un organisateur doit "
        "confirmer votre rattachement ; vous recevrez un courriel."
    ) % values


@login_required
@permission_required("accounts.request_membership", raise_exception=True)
@require_http_methods(["GET", "POST"])
def attach(request: HttpRequest) -> HttpResponse:
    # Where the person was going (the new dossier of a call): carried through the search and
    # the request, so they go back there rather than to their account page.
    next_url = _same_site(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        form = MembershipRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["organisation"][0])
            query = {"q": request.POST.get("q", "")} | ({"next": next_url} if next_url else {})
            return redirect(reverse("accounts:attach") + "?" + urlencode(query))
        organisation = form.cleaned_data["organisation"]
        try:
            membership = domain.request_membership(request.user, organisation)
        except domain.MembershipRefused:
            messages.error(
                request,
                _(
                    "Votre demande de rattachement à « %(organisation)s » a été refusée. "
                    "Si c'est une erreur, contactez l'équipe organisatrice du label."
                )
                % {"organisation": organisation.official_name},
            )
        else:
            messages.add_message(request, *_outcome_message(membership))
        return redirect(next_url or "accounts:account")

    search = OrganisationSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    page = None
    if query:
        paginator = Paginator(search_organisations(query, limit=None), RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    # One query for the user's memberships, so each result says whether they already asked.
    states = {
        organisation_id: MembershipState(state)
        for organisation_id, state in request.user.memberships.values_list(
            "organisation_id", "state"
        )
    }
    rows = [
        (organisation, departement_of(organisation), states.get(organisation.pk))
        for organisation in page or []
    ]
    no_match = explain_no_match(query) if page is not None and not rows else None
    return render(
        request,
        "accounts/attach.html",
        {
            "form": search,
            "query": query,
            "page": page,
            "rows": rows,
            "no_match": no_match,
            "email_confirmed": request.user.email_confirmed,
            "next": next_url,
        },
    )


def _same_site(request: HttpRequest, url: str) -> str:
    """`url` if it stays on this site, else an empty string."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


@login_required
@permission_required("accounts.list_memberships", raise_exception=True)
def membership_list(request: HttpRequest) -> HttpResponse:
    # Pending requests first: they are what someone comes here to decide.
    data = request.GET.copy()
    data.setdefault("state", MembershipState.PENDING)
    form = MembershipFilterForm(data)
    state = form.cleaned_data["state"] if form.is_valid() else MembershipState.PENDING
    memberships = domain.memberships_to_decide(request.user)
    if state:
        memberships = memberships.filter(state=state)
    page = Paginator(memberships, MEMBERSHIPS_PER_PAGE).get_page(request.GET.get("page"))
    # Asked of the rules alone (no query per row): the model backend grants nothing here.
    rows = [
        (membership, permissions.has_perm("accounts.decide_membership", request.user, membership))
        for membership in page
    ]
    return render(
        request,
        "accounts/membership_list.html",
        {
            "form": form,
            "state": state,
            "page": page,
            "rows": rows,
            "may_manage_domains": permissions.has_perm(
                "accounts.manage_verified_domains", request.user
            ),
        },
    )


def _list_url(request: HttpRequest) -> str:
    """Where to go back after a decision: the filtered list it was taken from, if safe."""
    target = request.POST.get("next") or request.GET.get("next", "")
    return _same_site(request, target) or reverse("accounts:memberships")


def _decision_message(membership: Membership) -> str:
    values = {
        "person": membership.user.email,
        "organisation": membership.organisation.official_name,
    }
    if membership.state == MembershipState.CONFIRMED:
        text = _("Le rattachement de %(person)s à « %(organisation)s » est confirmé.")
    else:
        text = _("Le rattachement de %(person)s à « %(organisation)s » est refusé.")
    return text % values + " " + _("Un courriel l'en informe.")


@login_required
@require_http_methods(["GET", "POST"])
def membership_decide(request: HttpRequest, reference: UUID) -> HttpResponse:
    membership = get_object_or_404_with_perm(
        request,
        "accounts.decide_membership",
        Membership.objects.select_related("user", "organisation"),
        reference=reference,
    )
    form = MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.set_membership_state(
                membership,
                form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except domain.InvalidTransition:
            # Someone else decided in the meantime, or the button was pressed twice.
            messages.warning(
                request,
                _("Rien n'a été modifié : ce rattachement est déjà à l'état « %(state)s ».")
                % {"state": membership.get_state_display()},
            )
        else:
            messages.success(request, _decision_message(membership))
        return redirect(_list_url(request))
    address_domain = domain.email_domain(membership.user.email)
    return render(
        request,
        "accounts/membership_decide.html",
        {
            "form": form,
            "membership": membership,
            "email_domain": address_domain,
            "domain_verified": membership.organisation.verified_domains.filter(
                domain=address_domain
            ).exists(),
            "may_manage_domains": permissions.has_perm(
                "accounts.manage_verified_domains", request.user
            ),
            "next": _list_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_domains(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404_with_perm(
        request,
        "accounts.manage_verified_domains",
        Organisation.objects.select_related("departement"),
        slug=slug,
    )
    verified = organisation.verified_domains.select_related("verified_by")
    form = VerifiedDomainForm(organisation=organisation)
    if request.method == "POST" and "remove" in request.POST:
        target = verified.filter(domain=request.POST["remove"]).first()
        if target is not None:
            domain.remove_verified_domain(target, by=request.user)
            messages.success(
                request,
                _("Le domaine %(domain)s n'est plus vérifié pour cette structure.")
                % {"domain": target.domain},
            )
        return redirect("accounts:organisation_domains", slug=organisation.slug)
    if request.method == "POST":
        form = VerifiedDomainForm(request.POST, organisation=organisation)
        if form.is_valid():
            added = domain.add_verified_domain(
                organisation, form.cleaned_data["domain"], by=request.user
            )
            messages.success(
                request,
                _(
                    "Le domaine %(domain)s est vérifié : les prochaines demandes faites avec une "
                    "adresse confirmée de ce domaine seront confirmées sans attendre."
                )
                % {"domain": added.domain},
            )
            return redirect("accounts:organisation_domains", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_domains.html",
        {
            "organisation": organisation,
            "departement": departement_of(organisation),
            "verified_domains": verified,
            "form": form,
        },
    )
