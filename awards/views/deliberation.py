"""The deliberation pages: open it, the board per theme with its what-if, change a decision,
re-stage the proposals, the president's validation.

Who may do what is `awards/rules.py`. The board drops the rows of the dossiers the viewer is in
conflict with (awards.deliberation_board); the decision page of such a dossier answers 404, as
if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contests.models import Edition, Theme
from jury.enums import JurorState
from jury.rules import conflicted_application_ids
from palmares.paging import page_of, render_page_or_region
from palmares.permissions import get_object_or_404_with_perm

from .. import aggregation, level_rules
from .. import deliberation as domain
from ..board_page import STATES, board_page
from ..enums import DeliberationState
from ..forms import DecisionForm, OpenDeliberationForm, WhatIfForm
from ..models import Decision, Deliberation
from ..rules import conflict_screen

PREFIX = "organisation/concours/<slug:contest_slug>/<int:year>/deliberation/"
DELIBERATIONS = Deliberation.objects.select_related("edition__contest", "round", "validated_by")


def _edition(contest_slug: str, year: int) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("contest"), contest__slug=contest_slug, year=year
    )


VALIDATION_REFUSED = _(
    "Seule la présidence du jury du tour délibéré valide le palmarès : l'équipe organisatrice "
    "conduit la délibération mais ne la décide pas."
)


def _presidents(deliberation: Deliberation) -> list[str]:
    """The names of the deliberated round's jury presidents (who alone validate)."""
    jurors = deliberation.round.jurors.filter(is_president=True, state=JurorState.ACCEPTED)
    return list(jurors.order_by("full_name").values_list("full_name", flat=True))


def _deliberation(request: HttpRequest, perm: str, contest_slug: str, year: int) -> Deliberation:
    return get_object_or_404_with_perm(
        request, perm, DELIBERATIONS, edition__contest__slug=contest_slug, edition__year=year
    )


def _context(deliberation: Deliberation, **extra) -> dict:
    edition = deliberation.edition
    return {
        "deliberation": deliberation,
        "edition": edition,
        "contest": edition.contest,
        "round": deliberation.round,
        **extra,
    }


def _open(request: HttpRequest, edition: Edition) -> HttpResponse:
    """No deliberation yet: organisers open it; anyone else finds nothing here."""
    if not request.user.has_perm("awards.open_deliberation", edition):
        raise Http404
    form = OpenDeliberationForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            settings = dict(form.cleaned_data)
            domain.open_deliberation(edition, settings.pop("round"), by=request.user, **settings)
        except domain.DeliberationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("La délibération est ouverte : les niveaux proposés ont été calculés."),
            )
            return redirect("awards:deliberation", edition.contest.slug, edition.year)
    levels = list(edition.levels.order_by("rank"))
    context = {
        "edition": edition,
        "contest": edition.contest,
        "form": form,
        # Said before opening: proposals without rules give the best level to every dossier.
        "rule_statements": level_rules.statements(levels),
        "unruled_level": level_rules.unruled_best_level(levels),
    }
    return render(request, "awards/deliberation/open.html", context)


@login_required
def board(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(contest_slug, year)
    deliberation = Deliberation.objects.filter(edition=edition).select_related(
        "round", "validated_by", "published_by"
    )
    deliberation = deliberation.first()
    if deliberation is None:
        return _open(request, edition)
    deliberation.edition = deliberation.round.edition = edition
    if not request.user.has_perm("awards.view_board", deliberation):
        raise PermissionDenied
    data = domain.load_board_data(deliberation)
    the_board = domain.board(deliberation, user=request.user, data=data)
    form = WhatIfForm(
        request.GET if "method" in request.GET else None,
        deliberation=deliberation,
        jurors=the_board.jurors,
    )
    changes = None
    if form.is_bound and form.is_valid():
        changes = domain.what_if(deliberation, user=request.user, data=data, **form.settings)
        domain.mark_changes(the_board, changes)
    is_open = deliberation.state == DeliberationState.OPEN
    user = request.user
    may_validate = is_open and user.has_perm("awards.validate_deliberation", deliberation)
    context = _context(
        deliberation,
        board=the_board,
        shown=board_page(request, the_board),
        states=STATES,
        form=form,
        changes=changes,
        method_description=aggregation.METHOD_DESCRIPTION,
        rule_statements=level_rules.statements(the_board.levels),
        unruled_level=level_rules.unruled_best_level(the_board.levels),
        beyond_rules=level_rules.mark_board(the_board),
        may_edit_levels=user.has_perm("contests.manage_edition", edition),
        is_open=is_open,
        # Whoever sees the board may change its decisions (awards.rules): one check for the
        # page, not one per row, since the rows in conflict are gone and veiled rows carry none.
        may_change_decisions=is_open,
        may_stage=is_open and user.has_perm("awards.stage_decisions", deliberation),
        may_validate=may_validate,
        # Organisers run the deliberation but do not validate it: the board says who does.
        presidents=_presidents(deliberation) if is_open and not may_validate else [],
        may_minutes=user.has_perm("awards.view_minutes", deliberation),
    )
    return render_page_or_region(
        request, "awards/deliberation/board.html", "awards/deliberation/board_region.html", context
    )


@login_required
@require_POST
def stage(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    deliberation = _deliberation(request, "awards.stage_decisions", contest_slug, year)
    try:
        staging = domain.stage_decisions(deliberation, by=request.user)
    except domain.DeliberationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Propositions recalculées : %(created)s nouvelle(s) décision(s), "
                "%(updated)s mise(s) à jour, %(removed)s retirée(s)."
            )
            % {
                "created": len(staging.created),
                "updated": len(staging.updated),
                "removed": len(staging.removed),
            },
        )
    return redirect("awards:deliberation", contest_slug, year)


@login_required
def decision(request: HttpRequest, contest_slug: str, year: int, reference: str) -> HttpResponse:
    deliberation = _deliberation(request, "awards.view_board", contest_slug, year)
    the_decision = get_object_or_404(
        Decision.objects.select_related("application__theme", "proposed_level", "level"),
        deliberation=deliberation,
        application__reference=reference,
    )
    # A dossier in conflict with the viewer: as if it did not exist.
    if the_decision.application_id in conflicted_application_ids(request.user):
        raise Http404
    the_decision.deliberation = deliberation
    if not request.user.has_perm("awards.amend_decision", the_decision):
        raise PermissionDenied
    if deliberation.state != DeliberationState.OPEN:
        messages.error(request, domain.DeliberationFrozen().message)
        return redirect("awards:deliberation", contest_slug, year)
    form = DecisionForm(
        request.POST or None,
        decision=the_decision,
        may_decide_distinctions=request.user.has_perm("awards.decide_distinctions", the_decision),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the level and the distinctions, or neither
                domain.change_decision(
                    the_decision,
                    form.cleaned_data["level"],
                    form.cleaned_data["reason"],
                    by=request.user,
                )
                if form.distinctions_changed:
                    domain.set_distinctions(
                        the_decision, list(form.cleaned_data["distinctions"]), by=request.user
                    )
        except domain.DeliberationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("La décision sur le dossier %(reference)s est enregistrée.")
                % {"reference": reference},
            )
            _warn_beyond_rules(request, deliberation, the_decision)
            return redirect("awards:deliberation", contest_slug, year)
    levels = deliberation.edition.levels.order_by("rank")
    return render(
        request,
        "awards/deliberation/decision.html",
        _context(
            deliberation,
            decision=the_decision,
            form=form,
            rule_statements=level_rules.statements(levels),
        ),
    )


def _warn_beyond_rules(request: HttpRequest, deliberation: Deliberation, decision) -> None:
    """Say what the decision just saved goes beyond, counting only the dossiers the user sees
    (a juror in conflict learns nothing of a hidden dossier's level from it)."""
    visible = level_rules.decided_levels(
        deliberation, hidden=conflicted_application_ids(request.user)
    )
    for breach in level_rules.breaches(visible).get(decision.application_id, []):
        messages.warning(
            request,
            _("Décision au-delà des règles des niveaux (%(reference)s) : %(message)s")
            % {"reference": decision.application.reference, "message": breach.message},
        )


@login_required
def validate(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    deliberation = get_object_or_404(
        DELIBERATIONS, edition__contest__slug=contest_slug, edition__year=year
    )
    if not request.user.has_perm("awards.validate_deliberation", deliberation):
        # Organisers (a technical administrator among them) reach this address too: the
        # refusal says who decides rather than a bare « accès refusé ».
        raise PermissionDenied(VALIDATION_REFUSED)
    if deliberation.state != DeliberationState.OPEN:
        messages.error(request, domain.DeliberationFrozen().message)
        return redirect("awards:deliberation", contest_slug, year)
    error = ""
    if request.method == "POST":
        try:
            domain.validate(deliberation, by=request.user)
        except domain.DeliberationError as refusal:
            error = refusal.message
        else:
            messages.success(
                request, _("Le palmarès est validé : les décisions ne peuvent plus changer.")
            )
            return redirect("awards:deliberation", contest_slug, year)
    # The president's screen (awards.rules): neither the dossiers in conflict nor their themes.
    screen = conflict_screen(request.user, deliberation.edition_id)
    decisions = Decision.objects.filter(deliberation=deliberation).exclude(
        application_id__in=screen.hidden
    )
    themes = [pk for pk in screen.veiled_themes if pk is not None]
    if themes:
        decisions = decisions.exclude(application__theme_id__in=themes)
    if None in screen.veiled_themes:
        decisions = decisions.exclude(application__theme__isnull=True)
    decisions = (
        decisions.select_related("application__theme", "level", "proposed_level")
        .prefetch_related("distinctions")
        .order_by(
            "application__theme__position",
            F("level__rank").asc(nulls_last=True),
            "application__reference",
        )
    )
    hidden = conflicted_application_ids(request.user)
    beyond = level_rules.breaches(level_rules.decided_levels(deliberation, hidden=hidden))
    beyond_rules = [
        (reference, beyond[application_id])
        for application_id, reference in decisions.filter(
            application_id__in=list(beyond)
        ).values_list("application_id", "application__reference")
    ]
    # The decisions a page at a time (2,000 at scale), with the count of each level decided
    # over all of them: what the president arrests is the whole list, the totals say it.
    levels = (
        decisions.order_by(F("level__rank").asc(nulls_last=True))
        .values_list("level__name")
        .annotate(count=Count("pk"))
    )
    page = page_of(request, decisions)
    return render(
        request,
        "awards/deliberation/validate.html",
        _context(
            deliberation,
            decisions=page.object_list,
            page=page,
            level_counts=list(levels),
            error=error,
            beyond_rules=beyond_rules,
            veiled_themes=Theme.objects.filter(pk__in=themes).order_by("position"),
            veils_no_theme=None in screen.veiled_themes,
        ),
    )


urlpatterns = [
    path(PREFIX, board, name="deliberation"),
    path(f"{PREFIX}propositions/", stage, name="stage"),
    path(f"{PREFIX}decisions/<str:reference>/", decision, name="decision"),
    path(f"{PREFIX}valider/", validate, name="validate"),
]
