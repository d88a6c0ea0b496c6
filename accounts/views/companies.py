"""Declare one's company (a start-up): the structure is created with its SIREN, and its
creator becomes its référent (accounts.companies.declare_company says why)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from territories.domain import departement_of

from .. import companies
from ..enums import MembershipState
from ..forms.companies import CompanyForm


def _declared_message(membership) -> str:
    name = membership.organisation.name
    if membership.state == MembershipState.CONFIRMED:
        return _(
            "L'entreprise « %(name)s » est déclarée et vous en êtes le référent, confirmé par "
            "votre adresse à son domaine : vous pouvez déposer un dossier en son nom. L'équipe "
            "organisatrice vérifiera ses informations lors de l'examen de la recevabilité."
        ) % {"name": name}
    return _(
        "L'entreprise « %(name)s » est déclarée. L'équipe organisatrice doit confirmer que vous "
        "en êtes le référent avant que vous puissiez déposer un dossier en son nom ; vous "
        "recevrez un courriel de sa décision."
    ) % {"name": name}


# Declaring a company is asking to act for a structure, as on the attach page: anyone signed in.
@login_required
@permission_required("accounts.request_membership", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = companies.declare_company(request.user, **form.cleaned_data)
        except companies.CompanyExists as exists:
            existing = exists.organisation
            # Nothing was created: the SIREN field says why, the page offers to join instead.
            form.add_error(
                "siren",
                _("Ce numéro SIREN est déjà celui de « %(name)s » : l'entreprise existe déjà.")
                % {"name": existing.name},
            )
        else:
            messages.success(request, _declared_message(membership))
            return redirect("accounts:account")
    state = None
    if existing is not None:
        membership = request.user.memberships.filter(organisation=existing).first()
        state = MembershipState(membership.state) if membership else None
    return render(
        request,
        "accounts/company_form.html",
        {
            "form": form,
            "existing": existing,
            "existing_departement": departement_of(existing) if existing else None,
            "existing_state": state,
        },
    )
