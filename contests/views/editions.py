"""Organiser pages: the contests dashboard and the configuration of an edition."""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.domain import memberships_to_decide
from accounts.enums import MembershipState
from palmares.permissions import get_object_or_404_with_perm

from .. import call, domain, phases
from ..distinctions import take_contest_distinctions
from ..enums import CAPABILITY_FLAGS
from ..forms.distinctions import DistinctionRows
from ..forms.editions import (
    CriterionRows,
    EditionCopyForm,
    EditionCreateForm,
    EditionForm,
    PhaseRows,
    ThemeRows,
)
from ..forms.levels import LevelRows
from ..hooks import edition_counts
from ..models import Contest, Criterion, Edition, Phase, Theme
from ..rules import kept_to_contest_ids

# Editions as every page of an edition needs them.
EDITIONS = Edition.objects.select_related("contest", "forum")


def _edition(
    request: HttpRequest, perm: str, contest_slug: str, year: int, queryset=EDITIONS
) -> Edition:
    return get_object_or_404_with_perm(
        request, perm, queryset, contest__slug=contest_slug, year=year
    )


def _count(model, **filters) -> Coalesce:
    """A per-edition row count as a subquery: joining three relations would multiply rows."""
    rows = (
        model.objects.filter(edition=OuterRef("pk"), **filters)
        .order_by()
        .values("edition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class EditionSummary:
    edition: Edition
    phase: Phase | None
    counts: list[int]  # the registered counts' (contests.hooks), in their order


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("contests.view_dashboard"):
        raise PermissionDenied
    counts = edition_counts()
    editions = Edition.objects.annotate(
        themes_total=_count(Theme),
        criteria_total=_count(Criterion),
        **{count.key: _count(count.model) for count in counts},
    ).prefetch_related("phases")
    contests = Contest.objects.prefetch_related(Prefetch("editions", queryset=editions))
    if kept := kept_to_contest_ids(request.user):
        contests = contests.filter(pk__in=kept)  # an organiser kept to their contests
    now = timezone.now()
    rows = [
        (
            contest,
            [
                EditionSummary(
                    edition,
                    domain.current_phase(edition, now),
                    [getattr(edition, count.key) for count in counts],
                )
                for edition in contest.editions.all()
            ],
        )
        for contest in contests
    ]
    # The requests that block applicants until someone confirms them (accounts.membership_notices).
    pending_memberships = (
        memberships_to_decide(request.user).filter(state=MembershipState.PENDING).count()
    )
    return render(
        request,
        "contests/dashboard.html",
        {"rows": rows, "counts": counts, "pending_memberships": pending_memberships},
    )


@login_required
def edition_create(request: HttpRequest, contest_slug: str) -> HttpResponse:
    contest = get_object_or_404_with_perm(
        request, "contests.create_edition", Contest, slug=contest_slug
    )
    latest = contest.editions.order_by("-year").values_list("year", flat=True).first()
    initial_year = (latest or timezone.localdate().year) + 1
    form = EditionCreateForm(request.POST or None, contest=contest, initial={"year": initial_year})
    if request.method == "POST" and form.is_valid():
        try:
            edition = domain.create_edition(
                contest,
                form.cleaned_data["year"],
                by=request.user,
                with_defaults=form.cleaned_data["with_defaults"],
            )
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _(
                    "L'édition %(year)s a été créée. Son appel à candidatures n'est pas publié : "
                    "ouvrez-le depuis la page « Appel à candidatures » quand il est prêt."
                )
                % {"year": edition.year},
            )
            return redirect("contests:edition_detail", contest.slug, edition.year)
    context = {
        "contest": contest,
        "form": form,
        "default_levels": contest.default_levels.all(),
        "default_criteria_count": contest.default_criteria.count(),
    }
    return render(request, "contests/edition_create.html", context)


def _capability_labels(phase: Phase) -> list[str]:
    return [
        Phase._meta.get_field(flag).verbose_name
        for flag in CAPABILITY_FLAGS
        if getattr(phase, flag)
    ]


@login_required
def edition_detail(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(
        request,
        "contests.manage_edition",
        contest_slug,
        year,
        queryset=EDITIONS.prefetch_related("phases"),
    )
    context = {
        "edition": edition,
        "contest": edition.contest,
        "phases": [(phase, _capability_labels(phase)) for phase in edition.phases.all()],
        "current_phase": domain.current_phase(edition),
        "call_published": call.is_published(edition),
        "themes": edition.themes.all(),
        "criteria": edition.criteria.all(),
        "levels": edition.levels.all(),
        "counts": [
            (count.term, count.model._default_manager.filter(edition=edition).count())
            for count in edition_counts()
        ],
        # Read-only here: a contest's lead natures are set on its own page (contest_update).
        "lead_kinds": domain.accepted_lead_kinds(edition.contest),
    }
    return render(request, "contests/edition_detail.html", context)


@login_required
def edition_update(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, "contests.manage_edition", contest_slug, year)
    # The form edits a copy: a rejected year must not leak into the page's title and links.
    form = EditionForm(request.POST or None, instance=copy.copy(edition))
    if request.method == "POST" and form.is_valid():
        try:
            edition = domain.update_edition(
                form.save(commit=False), form.forum_details(), by=request.user
            )
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, _("L'édition a été enregistrée."))
            return redirect("contests:edition_detail", edition.contest.slug, edition.year)
    return render(
        request,
        "contests/edition_update.html",
        {"edition": edition, "contest": edition.contest, "form": form},
    )


@dataclass(frozen=True)
class RowsPage:
    formset_class: type
    title: str
    intro: str
    row_label: str
    new_row_label: str
    # Each stored row's box is titled by its name (levels) rather than « row_label n ».
    titled_by_name: bool = False


ROWS_PAGES = {
    "themes": RowsPage(
        ThemeRows,
        _("Thèmes"),
        _("Les thèmes dans lesquels les dossiers concourent et les labels sont décernés."),
        _("Thème"),
        _("Nouveau thème"),
    ),
    "criteria": RowsPage(
        CriterionRows,
        _("Critères"),
        _("Un critère éliminatoire jugé insuffisant élimine le dossier."),
        _("Critère"),
        _("Nouveau critère"),
    ),
    "levels": RowsPage(
        LevelRows,
        _("Niveaux"),
        _(
            "Les niveaux de label décernés, du plus haut (rang 1) au plus bas, et leurs règles. "
            "À la délibération, chaque dossier non éliminé se voit proposer le meilleur niveau "
            "dont il atteint la note minimale, tant que son thème n'a pas atteint le nombre "
            "maximal de dossiers de ce niveau ; sinon le niveau suivant."
        ),
        _("Niveau"),
        _("Nouveau niveau"),
        titled_by_name=True,
    ),
    "distinctions": RowsPage(
        DistinctionRows,
        _("Distinctions"),
        _(
            "Ce que le jury peut décerner en plus d'un niveau, ou seul : mention, prix spécial, "
            "coup de cœur. Un projet distingué sans niveau est lauréat de sa seule distinction."
        ),
        _("Distinction"),
        _("Nouvelle distinction"),
        titled_by_name=True,
    ),
    "phases": RowsPage(
        PhaseRows,
        _("Phases"),
        _(
            "Le calendrier de l'édition, dans l'ordre du cycle de vie. Chaque phase dure jusqu'au "
            "début de la suivante ; ses cases à cocher disent ce qu'elle permet."
        ),
        _("Phase"),
        _("Nouvelle phase"),
    ),
}


@login_required
def edition_rows(request: HttpRequest, contest_slug: str, year: int, key: str) -> HttpResponse:
    """Themes, criteria, levels or distinctions of an edition (`key`, set by the URL), as a
    formset."""
    edition = _edition(request, "contests.manage_edition", contest_slug, year)
    page = ROWS_PAGES[key]
    formset = page.formset_class(request.POST or None, instance=edition, prefix=key)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(f"contests:edition_{key}", edition.contest.slug, edition.year)
    context = {"edition": edition, "contest": edition.contest, "formset": formset, "page": page}
    if key == "distinctions":
        held = {row.code for row in edition.distinctions.all()}
        context["contest_distinctions"] = [
            row for row in edition.contest.default_distinctions.all() if row.code not in held
        ]
    return render(request, "contests/edition_rows.html", context)


@login_required
@require_POST
def edition_take_distinctions(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    """Copy into the edition the contest's distinctions it lacks (created before they were set)."""
    edition = _edition(request, "contests.manage_edition", contest_slug, year)
    added = take_contest_distinctions(edition)
    messages.success(
        request,
        _("%(count)s distinction(s) du concours ajoutée(s) à l'édition.") % {"count": len(added)},
    )
    return redirect("contests:edition_distinctions", edition.contest.slug, edition.year)


@login_required
def edition_phases(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    """The phases of an edition, as a formset saved by contests.phases.set_phases (logged)."""
    edition = _edition(request, "contests.manage_edition", contest_slug, year)
    page = ROWS_PAGES["phases"]
    formset = page.formset_class(request.POST or None, instance=edition, prefix="phases")
    if request.method == "POST" and formset.is_valid():
        phases.set_phases(edition, formset.phase_rows(), by=request.user)
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect("contests:edition_phases", edition.contest.slug, edition.year)
    return render(
        request,
        "contests/edition_rows.html",
        {"edition": edition, "contest": edition.contest, "formset": formset, "page": page},
    )


@login_required
def edition_copy(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, "contests.copy_edition", contest_slug, year)
    form = EditionCopyForm(request.POST or None, source=edition, initial={"year": edition.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            new_edition = domain.copy_edition(edition, form.cleaned_data["year"], by=request.user)
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _(
                    "L'édition %(year)s a été créée à partir de l'édition %(source)s. Son appel "
                    "à candidatures n'est pas publié : ouvrez-le depuis la page « Appel à "
                    "candidatures » quand il est prêt."
                )
                % {"year": new_edition.year, "source": edition.year},
            )
            return redirect("contests:edition_detail", edition.contest.slug, new_edition.year)
    return render(
        request,
        "contests/edition_copy.html",
        {"edition": edition, "contest": edition.contest, "form": form},
    )
