"""Organisers' pages of a round's jurors (list, invite, edit, re-send, remove) and the invitation
page the invited person reaches from their email."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User

from ..domain import jurors as domain
from ..enums import ConflictStatus
from ..forms.jurors import InvitationSignupForm, JurorForm
from ..models import Assignment, Conflict, Juror, Round
from .common import ROUND_PATH, organiser_round
from .common import round_context as _context

MANAGE = "jury.manage_selection"
ROUND = ROUND_PATH


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _count(model, **filters) -> Coalesce:
    """A per-juror row count as a subquery (two joins would multiply the rows)."""
    rows = (
        model.objects.filter(juror=OuterRef("pk"), **filters)
        .order_by()
        .values("juror")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@login_required
def juror_list(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = organiser_round(request, contest_slug, year, round_slug)
    jurors = (
        round_.jurors.select_related("institution")
        .prefetch_related("themes")
        .annotate(
            assigned_count=_count(Assignment),
            conflicts_count=_count(Conflict, status__in=ConflictStatus.effective()),
        )
    )
    return render(request, "jury/jurors/list.html", _context(round_, jurors=jurors))


@login_required
@require_http_methods(["GET", "POST"])
def juror_invite(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = organiser_round(request, contest_slug, year, round_slug)
    form = JurorForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        juror = domain.invite_juror(
            form.save(commit=False),
            form.cleaned_data["themes"],
            by=request.user,
            base_url=_base_url(request),
        )
        messages.success(
            request,
            _("L'invitation a été envoyée à %(email)s.") % {"email": juror.email},
        )
        return redirect("jury:jurors", contest_slug, year, round_slug)
    return render(request, "jury/jurors/form.html", _context(round_, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def juror_update(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, juror
) -> HttpResponse:
    round_ = organiser_round(request, contest_slug, year, round_slug)
    juror = get_object_or_404(
        Juror.objects.select_related("institution", "round__edition__contest"),
        round=round_,
        reference=juror,
    )
    list_url = reverse("jury:jurors", args=[contest_slug, year, round_slug])
    action = request.POST.get("action", "save")
    if request.method == "POST" and action in {"resend", "remove"}:
        try:
            if action == "resend":
                domain.resend_invitation(juror, by=request.user, base_url=_base_url(request))
                messages.success(
                    request,
                    _("L'invitation a été renvoyée à %(email)s ; l'ancien lien ne fonctionne plus.")
                    % {"email": juror.email},
                )
                return redirect(request.path)
            domain.remove_juror(juror, by=request.user)
        except domain.JurorRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        messages.success(request, _("%(name)s a été retiré du jury.") % {"name": juror.full_name})
        return redirect(list_url)
    form = JurorForm(request.POST or None, instance=juror, round_=round_)
    if request.method == "POST" and form.is_valid():
        domain.update_juror(
            form.save(commit=False),
            form.cleaned_data["themes"],
            changed=form.changed_fields(),
            by=request.user,
        )
        messages.success(request, _("Les informations du juré ont été enregistrées."))
        return redirect(list_url)
    return render(request, "jury/jurors/form.html", _context(round_, form=form, juror=juror))


def _invitation_page(request, juror, **extra) -> HttpResponse:
    round_ = juror.round
    return render(request, "jury/jurors/invitation.html", _context(round_, juror=juror, **extra))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept or decline an invitation: with the signed-in account if it is the invited address,
    by signing in first if an account has it, else by creating the account here."""
    juror = (
        Juror.objects.select_related("round__edition__contest", "institution")
        .filter(token=token)
        .first()
    )
    if juror is None:
        return render(request, "jury/jurors/invitation_invalid.html", status=404)
    status = domain.invitation_status(juror)
    if status != domain.InvitationStatus.OPEN:
        return render(
            request, "jury/jurors/invitation_invalid.html", {"status": status.value}, status=410
        )
    user = request.user if request.user.is_authenticated else None
    wrong_account = user is not None and user.email.lower() != juror.email.lower()
    has_account = user is None and User.objects.filter(email__iexact=juror.email).exists()
    signup = None
    if user is None and not has_account:
        signup = InvitationSignupForm(
            request.POST if request.POST.get("action") == "accept" else None,
            email=juror.email,
            initial={"full_name": juror.full_name},
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decline":
            domain.decline_invitation(juror, by=user)
            return render(request, "jury/jurors/invitation_done.html", _context(juror.round))
        if action == "accept" and user is not None and not wrong_account:
            domain.accept_invitation(juror, user)
            messages.success(request, _("Vous faites partie du jury. Merci !"))
            return redirect("jury:declare_conflicts", *_round_args(juror.round))
        if action == "accept" and signup is not None and signup.is_valid():
            new_user = domain.accept_with_new_account(
                juror,
                full_name=signup.cleaned_data["full_name"],
                password=signup.cleaned_data["password1"],
            )
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Votre compte est créé et vous faites partie du jury."))
            return redirect("jury:declare_conflicts", *_round_args(juror.round))
    sign_in_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
    return _invitation_page(
        request,
        juror,
        wrong_account=wrong_account,
        has_account=has_account,
        form=signup,
        sign_in_url=sign_in_url,
    )


def _round_args(round_: Round) -> list:
    return [round_.edition.contest.slug, round_.edition.year, round_.slug]


urlpatterns = [
    path(f"{ROUND}jures/", juror_list, name="jurors"),
    path(f"{ROUND}jures/inviter/", juror_invite, name="juror_invite"),
    path(f"{ROUND}jures/<uuid:juror>/", juror_update, name="juror_update"),
    path("jury/invitation/<str:token>/", invitation, name="invitation"),
]
