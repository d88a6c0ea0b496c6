"""The organisers' pages of an edition's rounds: list, create, detail (and filling), edit, and
the promotions to the next round (staged by the rule, reviewed by hand, applied in one step).

Every page and action is for organisers who run the selection (`jury.manage_selection`)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from contests.models import Edition
from palmares.paging import back_to_list
from palmares.permissions import get_object_or_404_with_perm

from ..domain import rounds as domain
from ..enums import PromotionRule, PromotionState
from ..forms.rounds import RoundForm
from ..models import ELIMINATED_ENTRY, Juror, Round, RoundEntry
from ..rules import conflicted_application_ids
from .common import round_with_perm
from .promotions_page import promotions_page

PER_PAGE = 50
PROMOTIONS_LIST = ("theme", "state", "page")  # what a promotion's form carries back
EDITIONS = Edition.objects.select_related("contest")
ROUNDS = Round.objects.select_related("edition__contest", "next_round", "event")


def _context(round_: Round, **extra) -> dict:
    return {"round": round_, "edition": round_.edition, "contest": round_.edition.contest, **extra}


def _count(rows: QuerySet) -> Coalesce:
    """How many `rows` (filtered on the outer round), as an integer column."""
    counted = rows.order_by().values("round").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
def round_list(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404_with_perm(
        request, "jury.manage_selection", EDITIONS, contest__slug=contest_slug, year=year
    )
    # One counting subquery per column: two Count(distinct=True) over one join would multiply
    # each round's entries by its jurors (290,000 rows for 1,937 dossiers and 150 jurors).
    rounds = (
        Round.objects.select_related("next_round", "event")
        .filter(edition=edition)
        .annotate(
            entries_total=_count(RoundEntry.objects.filter(round=OuterRef("pk"))),
            jurors_total=_count(Juror.objects.filter(round=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("regions", to_attr="region_list"))
        .order_by("position", "name")
    )
    return render(
        request,
        "jury/rounds/list.html",
        {"edition": edition, "contest": edition.contest, "rounds": rounds},
    )


def _save(request: HttpRequest, form: RoundForm) -> Round:
    round_ = domain.save_round(
        form.save(commit=False),
        regions=form.cleaned_data["regions"],
        criteria=form.cleaned_data["criteria"],
        by=request.user,
    )
    return round_


@login_required
def round_create(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404_with_perm(
        request, "jury.manage_selection", EDITIONS, contest__slug=contest_slug, year=year
    )
    form = RoundForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        round_ = _save(request, form)
        messages.success(request, _("Le tour « %(name)s » a été créé.") % {"name": round_.name})
        return redirect("jury:round_detail", contest_slug, year, round_.slug)
    return render(
        request,
        "jury/rounds/form.html",
        {"edition": edition, "contest": edition.contest, "form": form, "round": None},
    )


@login_required
def round_update(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    # The form edits a copy: a rejected slug must not leak into the page's title and links.
    form = RoundForm(request.POST or None, instance=copy.copy(round_), edition=round_.edition)
    if request.method == "POST" and form.is_valid():
        round_ = _save(request, form)
        messages.success(
            request, _("Le tour « %(name)s » a été enregistré.") % {"name": round_.name}
        )
        return redirect("jury:round_detail", contest_slug, year, round_.slug)
    return render(request, "jury/rounds/form.html", _context(round_, form=form))


@login_required
@require_GET
def round_detail(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    entries = round_.entries.select_related(
        "application__lead_organisation", "application__theme"
    ).order_by("application__reference")
    # Counted over what the viewer may see: a dossier in conflict with them is neither scored
    # nor eliminated here (its row says « masquée »), or the counts would tell its result.
    hidden = conflicted_application_ids(request.user)
    visible = ~Q(application_id__in=hidden) if hidden else Q()
    counts = round_.entries.aggregate(
        total=Count("pk"),
        scored=Count("pk", filter=Q(score__isnull=False) & visible),
        eliminated=Count("pk", filter=ELIMINATED_ENTRY & visible),
    )
    promotions = round_.promotions.aggregate(
        staged=Count("pk", filter=Q(state=PromotionState.STAGED)),
        applied=Count("pk", filter=Q(state=PromotionState.APPLIED)),
    )
    return render(
        request,
        "jury/rounds/detail.html",
        _context(
            round_,
            regions=round_.regions.all(),
            criteria=round_.criteria.all(),
            page=Paginator(entries, PER_PAGE).get_page(request.GET.get("page")),
            counts=counts,
            promotions=promotions,
            hidden=hidden,
        ),
    )


@login_required
@require_POST
def round_fill(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    added = domain.fill_round(round_, by=request.user)
    if added:
        messages.success(
            request,
            _("%(count)s dossier(s) ajouté(s) au tour : %(references)s.")
            % {"count": len(added), "references": ", ".join(added)},
        )
    else:
        messages.info(request, _("Aucun nouveau dossier à ajouter : le tour est à jour."))
    return redirect("jury:round_detail", contest_slug, year, round_slug)


@login_required
@require_GET
def promotions(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    return promotions_page(request, round_)


@login_required
@require_POST
def promotions_stage(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    """Propose the dossiers the round's rule promotes (every tie at the last rank included)."""
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    try:
        proposal = domain.stage_promotions(round_, by=request.user)
    except domain.RoundRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("jury:promotions", contest_slug, year, round_slug)
    if round_.promotion_rule == PromotionRule.MANUAL:
        messages.info(
            request,
            _("Règle « au choix des organisateurs » : proposez les dossiers un par un."),
        )
    else:
        messages.success(
            request,
            _("%(count)s dossier(s) proposé(s) selon la règle du tour.")
            % {"count": len(proposal.references)},
        )
    if proposal.progress and not proposal.progress.complete:
        messages.warning(
            request,
            _("Classement sur des évaluations incomplètes. %(progress)s")
            % {"progress": proposal.progress.message()},
        )
    if proposal.tied:
        messages.warning(
            request,
            _("Ex aequo au dernier rang, tous proposés : %(references)s.")
            % {"references": ", ".join(proposal.tied)},
        )
    return redirect("jury:promotions", contest_slug, year, round_slug)


@login_required
@require_POST
def promotion_add(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    reference = request.POST.get("reference", "")
    try:
        domain.stage_promotion(round_, reference, by=request.user)
    except domain.RoundRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Dossier %(reference)s proposé.") % {"reference": reference})
    url = reverse("jury:promotions", args=[contest_slug, year, round_slug])
    return redirect(back_to_list(request, url, PROMOTIONS_LIST))


@login_required
@require_POST
def promotion_remove(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    reference = request.POST.get("reference", "")
    try:
        domain.unstage_promotion(round_, reference, by=request.user)
    except domain.RoundRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Dossier %(reference)s retiré des propositions.") % {"reference": reference},
        )
    url = reverse("jury:promotions", args=[contest_slug, year, round_slug])
    return redirect(back_to_list(request, url, PROMOTIONS_LIST))


@login_required
@require_POST
def promotions_apply(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(
        request, "jury.manage_selection", contest_slug, year, round_slug, ROUNDS
    )
    try:
        promoted = domain.apply_promotions(round_, by=request.user)
    except domain.RoundRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(count)s dossier(s) promu(s) au tour « %(round)s ».")
            % {"count": len(promoted), "round": round_.next_round.name},
        )
    return redirect("jury:promotions", contest_slug, year, round_slug)


ROUNDS_URL = "organisation/concours/<slug:contest_slug>/<int:year>/tours/"
ROUND_URL = f"{ROUNDS_URL}<slug:round_slug>/"
urlpatterns = [
    path(ROUNDS_URL, round_list, name="rounds"),
    path(f"{ROUNDS_URL}nouveau/", round_create, name="round_create"),
    path(ROUND_URL, round_detail, name="round_detail"),
    path(f"{ROUND_URL}modifier/", round_update, name="round_update"),
    path(f"{ROUND_URL}remplir/", round_fill, name="round_fill"),
    path(f"{ROUND_URL}promotions/", promotions, name="promotions"),
    path(f"{ROUND_URL}promotions/selon-la-regle/", promotions_stage, name="promotions_stage"),
    path(f"{ROUND_URL}promotions/proposer/", promotion_add, name="promotion_add"),
    path(f"{ROUND_URL}promotions/retirer/", promotion_remove, name="promotion_remove"),
    path(f"{ROUND_URL}promotions/appliquer/", promotions_apply, name="promotions_apply"),
]
