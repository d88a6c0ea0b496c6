"""The promotions page of a round (its actions are in jury.views.rounds): the round's dossiers
best first, a page at a time, filtered by theme or by promotion state.

The ranking is computed over the whole round before filtering and paging, so that page 2 holds
the next dossiers of the same order and the counts (proposed, applied, ties) stay exact.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpRequest, HttpResponse

from contests.models import Theme
from palmares.paging import page_of, render_page_or_region

from ..domain import rounds as domain
from ..domain.progress import evaluation_progress
from ..enums import PromotionRule, PromotionState
from ..models import ELIMINATED_ENTRY, Round
from ..rules import conflicted_application_ids
from .common import round_context

NOT_STAGED = "none"  # the state filter's value for the dossiers neither proposed nor applied
STATE_CHOICES = [*PromotionState.choices, (NOT_STAGED, "")]


@dataclass(frozen=True, slots=True)
class RankedDossier:
    """Of a dossier, what the ranking and the rows show."""

    pk: int
    reference: str
    title: str
    theme_id: int | None
    theme: Theme | None


@dataclass(frozen=True, slots=True)
class RankedEntry:
    """A dossier of the round with its score: plain records, not 2,000 × 3 model instances
    (entry, dossier, theme), which took most of the page's time at a large edition."""

    application_id: int
    application: RankedDossier
    score: Decimal | None
    eliminated: bool


def ranked_entries(round_: Round, hidden: set[int], themes: list[Theme]) -> list[RankedEntry]:
    """Best first; the eliminated come last (a stable sort keeps the score order within each
    part); after them, by reference, the dossiers in conflict with the viewer, whose place in
    the ranking would tell their score (ties are read among the others, for the same reason)."""

    def place(entry) -> tuple:
        if entry.application_id in hidden:
            return (True, False, entry.application.reference)
        return (False, entry.eliminated, "")

    by_id = {theme.pk: theme for theme in themes}  # the edition's: its dossiers' themes
    rows = (
        round_.entries.annotate(
            eliminated_here=ExpressionWrapper(ELIMINATED_ENTRY, output_field=BooleanField())
        )
        .order_by("-score", "application__reference")
        .values_list(
            "application_id",
            "application__reference",
            "application__title",
            "application__theme_id",
            "score",
            "eliminated_here",
        )
    )
    entries = [
        RankedEntry(
            pk,
            RankedDossier(pk, reference, title, theme_id, by_id.get(theme_id)),
            score,
            bool(eliminated),
        )
        for pk, reference, title, theme_id, score, eliminated in rows
    ]
    return sorted(entries, key=place)


def _filters(request: HttpRequest, themes: list[Theme]) -> tuple[Theme | None, str]:
    """The theme and the state asked for; anything else is no filter."""
    theme = next((t for t in themes if str(t.pk) == request.GET.get("theme", "")), None)
    state = request.GET.get("state", "")
    return theme, state if state in {value for value, _label in STATE_CHOICES} else ""


def promotions_page(request: HttpRequest, round_: Round) -> HttpResponse:
    hidden = conflicted_application_ids(request.user)
    themes = list(Theme.objects.filter(edition=round_.edition).order_by("position", "pk"))
    entries = ranked_entries(round_, hidden, themes)
    states = dict(round_.promotions.values_list("application_id", "state"))
    tied: set[str] = set()
    if round_.promotion_rule == PromotionRule.TOP_N and round_.promotion_count:
        ranked = [
            entry
            for entry in entries
            if not entry.eliminated
            and entry.score is not None
            and entry.application_id not in hidden
        ]
        tied = set(domain.top_n_per_theme(ranked, round_.promotion_count).tied)
    theme, state = _filters(request, themes)
    rows = [
        (entry, states.get(entry.application_id), entry.application.reference in tied)
        for entry in entries
        if (theme is None or entry.application.theme_id == theme.pk)
        and (not state or states.get(entry.application_id, NOT_STAGED) == state)
    ]
    page = page_of(request, rows)
    staged = sum(1 for value in states.values() if value == PromotionState.STAGED)
    context = round_context(
        round_,
        progress=evaluation_progress(round_),
        rows=page.object_list,
        page=page,
        dossiers=len(entries),
        themes=themes,
        theme=theme,
        state=state,
        filtered=theme is not None or bool(state),
        staged=staged,
        applied=len(states) - staged,
        hidden=hidden,
        automatic=round_.promotion_rule != PromotionRule.MANUAL,
    )
    return render_page_or_region(
        request, "jury/rounds/promotions.html", "jury/rounds/promotions_region.html", context
    )
