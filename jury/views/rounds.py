"""The organisers' pages of an edition's rounds: list, create, detail (and filling), edit, and
the promotions to the next round (staged by the rule, reviewed by hand, applied in one step)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from contests.models import Edition
from palmares.permissions import get_object_or_404_with_perm

from ..domain import rounds as domain
from ..enums import PromotionRule, PromotionState
from ..forms_rounds import RoundForm
from ..models import ELIMINATED_ENTRY, Juror, Round, RoundEntry
from ..rules import conflicted_application_ids

PER_PAGE = 50
EDITIONS = Edition.objects.select_related("contest")
ROUNDS = Round.objects.select_related("next_round", "event")


def _edition(request: HttpRequest, contest_slug: str, year: int) -> Edition:
    return get_object_or_404_with_perm(
        request, "jury.manage_selection", EDITIONS, contest__slug=contest_slug, year=year
    )


def _round(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> Round:
    edition = _edition(request, contest_slug, year)
    round_ = get_object_or_404(ROUNDS, edition=edition, slug=round_slug)
    round_.edition = edition
    return round_


def _context(round_: Round, **extra) -> dict:
    return {"round": round_, "edition": round_.edition, "contest": round_.edition.contest, **extra}


def _count(rows: QuerySet) -> Coalesce:
    """How many `rows` (filtered on the outer round), as an integer column."""
    counted = rows.order_by().values("round").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
def round_list(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    # One counting subquery per column: two Count(distinct=True) over one join would multiply
    # each round's entries by its jurors (290,000 rows for 1,937 dossiers and 150 jurors).
    rounds = (
        ROUNDS.filter(edition=edition)
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
    edition = _edition(request, contest_slug, year)
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
    round_ = _round(request, contest_slug, year, round_slug)
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
def round_detail(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = _round(request, contest_slug, year, round_slug)
    if request.method == "POST" and request.POST.get("action") == "fill":
        added = domain.fill_round(round_, by=request.user)
        if added:
            messages.success(
                request,
                _("%(count)s dossier(s) ajouté(s) au tour : %(references)s.")
                % {"count": len(added), "references": ", ".join(added)},
            )
        else:
            messages.info(request, _("Aucun nouveau dossier à ajouter : le tour est à jour."))
        return redirect(request.get_full_path())
    entries = round_.entries.select_related(
        "application__lead_organisation", "application__theme"
    ).order_by("application__reference")
    counts = round_.entries.aggregate(
        total=Count("pk"),
        scored=Count("pk", filter=Q(score__isnull=False)),
        eliminated=Count("pk", filter=ELIMINATED_ENTRY),
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
            hidden=conflicted_application_ids(request.user),
        ),
    )


@login_required
def promotions(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = _round(request, contest_slug, year, round_slug)
    if request.method == "POST":
        _act_on_promotions(request, round_)
        return redirect(request.get_full_path())
    # The whole round on one page, best first: reviewing promotions means comparing them all.
    # The eliminated come last (a stable sort keeps the score order within each part).
    entries = sorted(
        round_.entries.select_related(
            "application__lead_organisation", "application__theme"
        ).order_by("-score", "application__reference"),
        key=lambda entry: entry.eliminated,
    )
    states = dict(round_.promotions.values_list("application_id", "state"))
    tied: set[str] = set()
    if round_.promotion_rule == PromotionRule.TOP_N and round_.promotion_count:
        ranked = [entry for entry in entries if not entry.eliminated and entry.score is not None]
        tied = set(domain.top_n_per_theme(ranked, round_.promotion_count).tied)
    rows = [
        (entry, states.get(entry.application_id), entry.application.reference in tied)
        for entry in entries
    ]
    staged = sum(1 for state in states.values() if state == PromotionState.STAGED)
    return render(
        request,
        "jury/rounds/promotions.html",
        _context(
            round_,
            rows=rows,
            staged=staged,
            applied=len(states) - staged,
            hidden=conflicted_application_ids(request.user),
            automatic=round_.promotion_rule != PromotionRule.MANUAL,
        ),
    )


def _act_on_promotions(request: HttpRequest, round_: Round) -> None:
    """One POST action of the promotions page; the outcome goes to the messages."""
    action = request.POST.get("action")
    reference = request.POST.get("reference", "")
    try:
        if action == "stage":
            proposal = domain.stage_promotions(round_, by=request.user)
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
            if proposal.tied:
                messages.warning(
                    request,
                    _("Ex aequo au dernier rang, tous proposés : %(references)s.")
                    % {"references": ", ".join(proposal.tied)},
                )
        elif action == "add":
            domain.stage_promotion(round_, reference, by=request.user)
            messages.success(
                request, _("Dossier %(reference)s proposé.") % {"reference": reference}
            )
        elif action == "remove":
            domain.unstage_promotion(round_, reference, by=request.user)
            messages.success(
                request,
                _("Dossier %(reference)s retiré des propositions.") % {"reference": reference},
            )
        elif action == "apply":
            promoted = domain.apply_promotions(round_, by=request.user)
            messages.success(
                request,
                _("%(count)s dossier(s) promu(s) au tour « %(round)s ».")
                % {"count": len(promoted), "round": round_.next_round.name},
            )
        else:
            messages.error(request, _("Action inconnue."))
    except domain.RoundRefused as refusal:
        messages.error(request, refusal.message)


ROUNDS_URL = "organisation/concours/<slug:contest_slug>/<int:year>/tours/"
ROUND_URL = f"{ROUNDS_URL}<slug:round_slug>/"
urlpatterns = [
    path(ROUNDS_URL, round_list, name="rounds"),
    path(f"{ROUNDS_URL}nouveau/", round_create, name="round_create"),
    path(ROUND_URL, round_detail, name="round_detail"),
    path(f"{ROUND_URL}modifier/", round_update, name="round_update"),
    path(f"{ROUND_URL}promotions/", promotions, name="promotions"),
]
