"""Organisers' pages of a round's jurors (list, invite, take the jury of another round, edit,
re-send, remove), for those who run the selection (`jury.manage_selection`); and the invitation
page the invited person reaches from their email (accept, decline the edition's jury), where the
link's token is the only credential."""

from uuid import UUID

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
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import enrolment_proof
from accounts.landing import remember_spaces
from accounts.models import User

from ..domain import invitations
from ..domain import jurors as domain
from ..forms.jurors import InvitationSignupForm, JurorForm, TakeJuryForm
from ..models import Assignment, Conflict, Juror, JuryMember, Round
from .common import ROUND_PATH, round_with_perm
from .common import round_context as _context
from .juror_rows import juror_rows

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


def _conflicts_here(round_: Round) -> Coalesce:
    """Per juror, the person's conflicts in force with this round's dossiers (wherever found)."""
    rows = (
        Conflict.objects.effective()
        .filter(member=OuterRef("member"), application__round_entries__round=round_)
        .order_by()
        .values("member")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _list_page(request: HttpRequest, round_: Round, take_form: TakeJuryForm | None = None):
    jurors = round_.jurors.select_related("institution").annotate(
        assigned_count=_count(Assignment), conflicts_count=_conflicts_here(round_)
    )
    jurors = list(jurors)
    if take_form is None:
        take_form = TakeJuryForm(sources=domain.rounds_to_take_from(round_))
    return render(
        request,
        "jury/jurors/list.html",
        _context(round_, jurors=jurors, juror_rows=juror_rows(round_, jurors), take_form=take_form),
    )


@login_required
@require_GET
def juror_list(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    return _list_page(request, round_)


@login_required
@require_POST
def juror_take(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    """« Reprendre le jury du tour … »: seat here the jury of another round of the edition."""
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    form = TakeJuryForm(request.POST, sources=domain.rounds_to_take_from(round_))
    if not form.is_valid():
        return _list_page(request, round_, form)
    source = form.cleaned_data["source"]
    added = domain.take_jury_from(source, round_, by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s juré du tour « %(source)s » rejoint ce tour, sans nouvelle invitation.",
            "%(count)s jurés du tour « %(source)s » rejoignent ce tour, sans nouvelle invitation.",
            len(added),
        )
        % {"count": len(added), "source": source.name},
    )
    return redirect("jury:jurors", contest_slug, year, round_slug)


@login_required
@require_http_methods(["GET", "POST"])
def juror_invite(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    form = JurorForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        juror = form.save(commit=False)
        invited = domain.invite_juror(
            juror, form.cleaned_data["themes"], by=request.user, base_url=_base_url(request)
        )
        if invited:
            message = _("L'invitation a été envoyée à %(email)s.")
        elif juror.state == "accepted":
            message = _(
                "%(name)s fait déjà partie du jury de l'édition : ajouté(e) à ce tour sans "
                "nouvelle invitation."
            )
        else:
            message = _(
                "%(name)s est déjà invité(e) au jury de l'édition : son invitation vaut pour "
                "ce tour, sans nouvel envoi."
            )
        messages.success(request, message % {"email": juror.email, "name": juror.full_name})
        return redirect("jury:jurors", contest_slug, year, round_slug)
    return render(request, "jury/jurors/form.html", _context(round_, form=form))


def _juror(round_: Round, reference: UUID) -> Juror:
    return get_object_or_404(
        Juror.objects.select_related("institution", "member", "round__edition__contest"),
        round=round_,
        reference=reference,
    )


@login_required
@require_http_methods(["GET", "POST"])
def juror_update(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, juror: UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    current = _juror(round_, juror)
    form = JurorForm(request.POST or None, instance=current, round_=round_)
    if request.method == "POST" and form.is_valid():
        domain.update_juror(
            form.save(commit=False),
            form.cleaned_data["themes"],
            changed=form.changed_fields(),
            by=request.user,
        )
        messages.success(request, _("Les informations du juré ont été enregistrées."))
        return redirect("jury:jurors", contest_slug, year, round_slug)
    return render(request, "jury/jurors/form.html", _context(round_, form=form, juror=current))


@login_required
@require_POST
def juror_resend(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, juror: UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    current = _juror(round_, juror)
    try:
        invitations.resend_invitation(current, by=request.user, base_url=_base_url(request))
    except domain.JurorRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("L'invitation a été renvoyée à %(email)s ; l'ancien lien ne fonctionne plus.")
            % {"email": current.email},
        )
    return redirect("jury:juror_update", contest_slug, year, round_slug, juror)


@login_required
@require_POST
def juror_remove(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, juror: UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)
    current = _juror(round_, juror)
    try:
        domain.remove_juror(current, by=request.user)
    except domain.JurorRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("jury:juror_update", contest_slug, year, round_slug, juror)
    messages.success(request, _("%(name)s a été retiré du jury.") % {"name": current.full_name})
    return redirect("jury:jurors", contest_slug, year, round_slug)


# ------------------------------------------------------------ the invited person's page


def _invited_member(token: str) -> JuryMember | None:
    return (
        JuryMember.objects.select_related("edition__contest", "institution")
        .filter(token=token)
        .first()
    )


def _unavailable(request: HttpRequest, member: JuryMember | None) -> HttpResponse | None:
    """The page for an unknown link (404) or an invitation no longer open (410); None if open."""
    if member is None:
        return render(request, "jury/jurors/invitation_invalid.html", status=404)
    status = invitations.invitation_status(member)
    if status != invitations.InvitationStatus.OPEN:
        return render(
            request, "jury/jurors/invitation_invalid.html", {"status": status.value}, status=410
        )
    return None


def _signed_in(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _has_account(member: JuryMember) -> bool:
    return User.objects.filter(email__iexact=member.email).exists()


def _member_context(member: JuryMember, **extra) -> dict:
    edition = member.edition
    rounds = [
        juror.round
        for juror in member.jurors.select_related("round").order_by("round__position", "pk")
    ]
    return {
        "member": member,
        "edition": edition,
        "contest": edition.contest,
        "of_contest": edition.contest.with_article("de"),  # « du Label … », « des Trophées … »
        "rounds": rounds,
        **extra,
    }


def _invitation_page(
    request: HttpRequest, member: JuryMember, signup: InvitationSignupForm | None = None
) -> HttpResponse:
    """The invitation: accept with the signed-in account if it is the invited address, by
    signing in first if an account has it, else by creating the account here; or decline."""
    user = _signed_in(request)
    has_account = user is None and _has_account(member)
    if user is None and not has_account and signup is None:
        signup = InvitationSignupForm(email=member.email, initial={"full_name": member.full_name})
    # Back to the invitation page after signing in, whichever action showed it.
    page = reverse("jury:invitation", args=[member.token])
    return render(
        request,
        "jury/jurors/invitation.html",
        _member_context(
            member,
            wrong_account=user is not None and user.email.lower() != member.email.lower(),
            has_account=has_account,
            form=signup,
            sign_in_url=reverse("accounts:login") + "?" + urlencode({"next": page}),
        ),
    )


@require_GET
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    member = _invited_member(token)
    if (unavailable := _unavailable(request, member)) is not None:
        return unavailable
    return _invitation_page(request, member)


def _after_acceptance(member: JuryMember) -> HttpResponse:
    """The declarations page of the person's first round (their jury space if none is left)."""
    first = member.jurors.select_related("round").order_by("round__position", "pk").first()
    if first is None:
        return redirect("jury:home")
    return redirect("jury:declare_conflicts", *_round_args(first.round))


@require_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept with the signed-in account if it is the invited address, or with a new account
    created here; anyone else sees the invitation page again, which says what to do."""
    member = _invited_member(token)
    if (unavailable := _unavailable(request, member)) is not None:
        return unavailable
    user = _signed_in(request)
    if user is not None:
        if user.email.lower() != member.email.lower():
            return _invitation_page(request, member)
        invitations.accept_invitation(member, user)
        # The invitation's link came to this address, and is spent now: the proof a first
        # enrolment needs besides the password (accounts.enrolment_proof), no second email.
        enrolment_proof.grant(request.session, user)
        remember_spaces(request, user)  # the header now links to the jury space
        messages.success(request, _("Vous faites partie du jury. Merci !"))
        return _after_acceptance(member)
    if _has_account(member):
        return _invitation_page(request, member)
    signup = InvitationSignupForm(
        request.POST, email=member.email, initial={"full_name": member.full_name}
    )
    if not signup.is_valid():
        return _invitation_page(request, member, signup)
    new_user = invitations.accept_with_new_account(
        member,
        full_name=signup.cleaned_data["full_name"],
        password=signup.cleaned_data["password1"],
    )
    login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
    enrolment_proof.grant(request.session, new_user)  # as above: the link proved the mailbox
    messages.success(request, _("Votre compte est créé et vous faites partie du jury."))
    return _after_acceptance(member)


@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    member = _invited_member(token)
    if (unavailable := _unavailable(request, member)) is not None:
        return unavailable
    invitations.decline_invitation(member, by=_signed_in(request))
    return render(request, "jury/jurors/invitation_done.html", _member_context(member))


def _round_args(round_: Round) -> list:
    return [round_.edition.contest.slug, round_.edition.year, round_.slug]


urlpatterns = [
    path(f"{ROUND}jures/", juror_list, name="jurors"),
    path(f"{ROUND}jures/inviter/", juror_invite, name="juror_invite"),
    path(f"{ROUND}jures/reprendre/", juror_take, name="juror_take"),
    path(f"{ROUND}jures/<uuid:juror>/", juror_update, name="juror_update"),
    path(f"{ROUND}jures/<uuid:juror>/renvoyer/", juror_resend, name="juror_resend"),
    path(f"{ROUND}jures/<uuid:juror>/retirer/", juror_remove, name="juror_remove"),
    path("jury/invitation/<str:token>/", invitation, name="invitation"),
    path("jury/invitation/<str:token>/accepter/", invitation_accept, name="invitation_accept"),
    path("jury/invitation/<str:token>/decliner/", invitation_decline, name="invitation_decline"),
]
