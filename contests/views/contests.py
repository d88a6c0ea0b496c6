"""Organiser pages of a contest: create it, see it, edit it, its default levels, criteria and
distinctions,
who organises it; and its logo, public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from palmares.permissions import get_object_or_404_with_perm

from .. import domain, organisers
from ..forms.contests import ContestCriterionRows, ContestForm, ContestLevelRows
from ..forms.distinctions import ContestDistinctionRows
from ..levels import rule_statement
from ..logos import content_type
from ..models import Contest


def _contest(request: HttpRequest, perm: str, contest_slug: str) -> Contest:
    return get_object_or_404_with_perm(request, perm, Contest, slug=contest_slug)


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("contests.create_contest"):
        raise PermissionDenied
    form = ContestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        contest = organisers.create_contest(form.save(commit=False), by=request.user)
        messages.success(
            request,
            _("Le concours « %(name)s » a été créé. Indiquez maintenant ses niveaux.")
            % {"name": contest.name},
        )
        return redirect("contests:contest_levels", contest.slug)
    return render(request, "contests/contest_form.html", {"form": form, "contest": None})


@login_required
def contest_detail(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, "contests.edit_contest", contest_slug)
    context = {
        "contest": contest,
        "levels": [(level, rule_statement(level)) for level in contest.default_levels.all()],
        "criteria": contest.default_criteria.all(),
        "distinctions": contest.default_distinctions.all(),
        "editions": contest.editions.order_by("-year"),
        "lead_kinds": domain.accepted_lead_kinds(contest),
        "organisers": contest.organisers.order_by("email"),
        "may_manage_organisers": request.user.has_perm(
            "contests.manage_contest_organisers", contest
        ),
    }
    return render(request, "contests/contest_detail.html", context)


@login_required
def contest_update(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, "contests.edit_contest", contest_slug)
    form = ContestForm(request.POST or None, request.FILES or None, instance=contest)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le concours a été enregistré."))
        return redirect("contests:contest_detail", contest.slug)
    # A refused name must not show in the page's title: read it from the database again.
    contest.refresh_from_db()
    return render(request, "contests/contest_form.html", {"form": form, "contest": contest})


ROWS = {
    "levels": (
        ContestLevelRows,
        _("Niveaux par défaut"),
        _(
            "Les niveaux que chaque nouvelle édition reçoit, du plus haut (rang 1) au plus bas, "
            "et leurs règles : la note minimale pour le recevoir et le nombre de dossiers d'un "
            "même thème qui peuvent l'obtenir. Chaque édition peut ensuite les changer."
        ),
    ),
    "criteria": (
        ContestCriterionRows,
        _("Critères par défaut"),
        _(
            "Les critères que chaque nouvelle édition reçoit. Un critère éliminatoire jugé "
            "insuffisant élimine le dossier."
        ),
    ),
    "distinctions": (
        ContestDistinctionRows,
        _("Distinctions par défaut"),
        _(
            "Les distinctions que le jury peut décerner en plus d'un niveau, ou seules "
            "(mention, prix spécial, coup de cœur), dans l'ordre où les pages les citent. "
            "Chaque nouvelle édition les reçoit ; une édition déjà créée peut les reprendre."
        ),
    ),
}


@login_required
def contest_rows(request: HttpRequest, contest_slug: str, key: str) -> HttpResponse:
    """The contest's default levels, criteria or distinctions (`key`, set by the URL), as one
    formset."""
    contest = _contest(request, "contests.edit_contest", contest_slug)
    formset_class, title, intro = ROWS[key]
    formset = formset_class(request.POST or None, instance=contest, prefix=key)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(f"contests:contest_{key}", contest.slug)
    context = {
        "contest": contest,
        "formset": formset,
        "title": title,
        "intro": intro,
        "key": key,
    }
    return render(request, "contests/contest_rows.html", context)


@login_required
@require_POST
def contest_organiser_add(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, "contests.manage_contest_organisers", contest_slug)
    email = request.POST.get("email", "").strip()
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        messages.error(
            request, _("Aucun compte n'a l'adresse « %(email)s ».") % {"email": email or "—"}
        )
    else:
        try:
            organisers.keep_to_contest(contest, user, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(email)s organise désormais ce concours.") % {"email": user.email},
            )
    return redirect("contests:contest_detail", contest.slug)


@login_required
@require_POST
def contest_organiser_remove(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = _contest(request, "contests.manage_contest_organisers", contest_slug)
    user = get_object_or_404(contest.organisers, email__iexact=request.POST.get("email", ""))
    try:
        organisers.release_from_contest(contest, user, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(email)s n'organise plus ce concours.") % {"email": user.email}
        )
    return redirect("contests:contest_detail", contest.slug)


def contest_logo(request: HttpRequest, contest_slug: str) -> FileResponse:
    """Public: the logo is shown on the contest's public pages and documents."""
    contest = get_object_or_404(Contest, slug=contest_slug)
    if not contest.awarder_logo:
        raise Http404
    response = FileResponse(
        contest.awarder_logo.open("rb"), content_type=content_type(contest.awarder_logo.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
