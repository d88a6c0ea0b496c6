"""Which dossiers publication concludes, and how; what it will make public."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext, ngettext

from applications.enums import ApplicationState
from applications.models import Application, ApplicationPartner
from contests.models import Edition, Level, Theme
from jury.domain.progress import EvaluationProgress, evaluation_progress
from jury.models import Round, RoundEntry

from ..enums import DeliberationState, UnexaminedOutcome
from ..models import Decision, Deliberation, UnexaminedDecision
from .unexamined import UnexaminedRow, ineligible_refusal, unexamined_rows


class PublicationRefused(Exception):
    """Publication (or its scheduling) is not possible; the message says why, in French."""


@dataclass(frozen=True)
class Outcome:
    """What publication does to one dossier of the edition."""

    application: Application
    state: str  # AWARDED, NOT_AWARDED, ELIMINATED, or INELIGIBLE (decided, never examined)
    decision: Decision | None
    # The organisers' decision on a dossier no round examined, whose reason the transition keeps.
    closing: UnexaminedDecision | None = None


def _decisions(deliberation: Deliberation) -> dict[int, Decision]:
    return {
        decision.application_id: decision
        for decision in deliberation.decisions.select_related("level")
    }


def eliminated_application_ids(edition: Edition) -> set[int]:
    """Dossiers eliminated in any round of the edition (an insufficient criterion)."""
    return set(
        RoundEntry.objects.filter(round__edition=edition)
        .eliminated()
        .order_by()
        .values_list("application_id", flat=True)
    )


def dossier_outcomes(deliberation: Deliberation) -> list[Outcome]:
    """The outcome of every dossier still in competition, by reference.

    A decision with a level: awarded. Otherwise a dossier eliminated in a round and still
    "submitted" is eliminated; one no round examined gets the organisers' outcome
    (`unexamined`: not awarded or ineligible, with its reason); any other one is not awarded
    (decided without a level, or never promoted to the deliberated round).
    """
    decisions = _decisions(deliberation)
    eliminated = eliminated_application_ids(deliberation.edition)
    closings = {
        closing.application_id: closing for closing in deliberation.unexamined_decisions.all()
    }
    applications = (
        Application.objects.filter(
            edition=deliberation.edition, state__in=ApplicationState.in_competition()
        )
        .select_related("lead_organisation", "theme")
        .prefetch_related(
            Prefetch(
                "application_partners",
                queryset=ApplicationPartner.objects.select_related("organisation"),
            )
        )
        .order_by("reference")
    )
    outcomes = []
    for application in applications:
        decision = decisions.get(application.pk)
        closing = closings.get(application.pk)
        state = _outcome_state(
            application.state,
            decision.level_id if decision is not None else None,
            application.pk in eliminated,
            closing.outcome if closing is not None else None,
        )
        if state in (ApplicationState.AWARDED, ApplicationState.ELIMINATED):
            closing = None
        outcomes.append(Outcome(application, state, decision, closing))
    return outcomes


def _outcome_state(
    state: str, level_id: int | None, eliminated: bool, closing: str | None
) -> ApplicationState:
    """The one rule of `dossier_outcomes`, on a dossier's state, its decided level, whether a
    round eliminated it and the organisers' outcome if no round examined it."""
    if level_id is not None:
        return ApplicationState.AWARDED
    if eliminated and state == ApplicationState.SUBMITTED:
        return ApplicationState.ELIMINATED
    if closing is not None:
        return ApplicationState(closing)
    return ApplicationState.NOT_AWARDED


def _outcome_counts(deliberation: Deliberation) -> tuple[Counter, Counter, Counter]:
    """The outcomes `dossier_outcomes` gives, counted without loading a dossier: (awarded by
    (theme id, level id), the others by theme id, every outcome). The preview counts 2,000
    dossiers at a large edition; loading them with their organisations took most of its time."""
    # Unordered: the models' ordering by reference would join the dossiers for nothing.
    levels = dict(deliberation.decisions.order_by().values_list("application_id", "level_id"))
    eliminated = eliminated_application_ids(deliberation.edition)
    closings = dict(
        deliberation.unexamined_decisions.order_by().values_list("application_id", "outcome")
    )
    rows = Application.objects.filter(
        edition=deliberation.edition, state__in=ApplicationState.in_competition()
    ).values_list("pk", "state", "theme_id")
    awarded: Counter = Counter()
    others: Counter = Counter()
    states: Counter = Counter()
    for pk, state, theme_id in rows.order_by():
        level_id = levels.get(pk)
        outcome = _outcome_state(state, level_id, pk in eliminated, closings.get(pk))
        states[outcome] += 1
        if outcome == ApplicationState.AWARDED:
            awarded[(theme_id, level_id)] += 1
        else:
            others[theme_id] += 1
    return awarded, others, states


@dataclass(frozen=True)
class ThemeCounts:
    theme: Theme | None
    by_level: list[int]  # in the order of Preview.levels
    not_awarded: int


@dataclass(frozen=True)
class Preview:
    """What publication will make public: awards by theme and level, and the other outcomes."""

    levels: list[Level]
    rows: list[ThemeCounts]
    totals: list[int]
    awards: int
    not_awarded: int
    eliminated: int
    blocking: list[str] = field(default_factory=list)  # French messages
    ineligible: int = 0  # dossiers never examined, declared ineligible by the organisers
    unexamined: list[UnexaminedRow] = field(default_factory=list)
    # The edition's rounds whose expected evaluations are not all sent.
    incomplete: list[EvaluationProgress] = field(default_factory=list)


def publication_preview(deliberation: Deliberation) -> Preview:
    awarded, others, states = _outcome_counts(deliberation)
    levels = list(deliberation.edition.levels.order_by("rank"))
    themes = list(deliberation.edition.themes.order_by("position", "name"))
    rows = [
        ThemeCounts(theme, [awarded[(theme.pk, level.pk)] for level in levels], others[theme.pk])
        for theme in themes
    ]
    if any(key[0] is None for key in awarded) or others[None]:
        rows.append(
            ThemeCounts(None, [awarded[(None, level.pk)] for level in levels], others[None])
        )
    unexamined = unexamined_rows(deliberation)
    return Preview(
        levels=levels,
        rows=rows,
        totals=[sum(row.by_level[index] for row in rows) for index in range(len(levels))],
        awards=states[ApplicationState.AWARDED],
        not_awarded=states[ApplicationState.NOT_AWARDED],
        eliminated=states[ApplicationState.ELIMINATED],
        blocking=blocking_reasons(deliberation, unexamined=unexamined),
        ineligible=states[ApplicationState.INELIGIBLE],
        unexamined=unexamined,
        incomplete=incomplete_rounds(deliberation.edition),
    )


def incomplete_rounds(edition: Edition) -> list[EvaluationProgress]:
    """The edition's rounds, in order, whose expected evaluations are not all sent."""
    rounds = Round.objects.filter(edition=edition).order_by("position", "pk")
    progress = (evaluation_progress(round_) for round_ in rounds)
    return [each for each in progress if not each.complete]


def blocking_reasons(
    deliberation: Deliberation, *, unexamined: list[UnexaminedRow] | None = None
) -> list[str]:
    """Why the deliberation cannot be published now, if anything stops it (`unexamined`: the
    rows of `unexamined_rows`, when the caller has them already)."""
    if deliberation.state == DeliberationState.PUBLISHED:
        return [gettext("Le palmarès est déjà publié.")]
    if deliberation.state != DeliberationState.VALIDATED:
        return [gettext("La présidence du jury n'a pas encore validé le palmarès.")]
    # A dossier withdrawn (or otherwise concluded) after validation cannot be labelled.
    stray = sorted(
        decision.application.reference
        for decision in deliberation.decisions.select_related("application")
        if decision.level_id is not None
        and decision.application.state not in ApplicationState.in_competition()
    )
    if stray:
        return [
            gettext("Ces dossiers ont un niveau mais ne sont plus en compétition (retirés ?) : %s.")
            % ", ".join(stray)
        ]
    return _unexamined_reasons(
        unexamined if unexamined is not None else unexamined_rows(deliberation)
    )


def _unexamined_reasons(rows: list[UnexaminedRow]) -> list[str]:
    """The dossiers no round examined whose outcome the organisers have not decided, or decided
    ineligible though they can no longer be."""
    undecided = [row.application.reference for row in rows if row.decision is None]
    if undecided:
        return [
            ngettext(
                "Aucun tour n'a examiné le dossier %(references)s : décidez de son issue, "
                "avec un motif, avant de publier.",
                "Aucun tour n'a examiné %(count)d dossiers (%(references)s) : décidez de "
                "l'issue de chacun, avec un motif, avant de publier.",
                len(undecided),
            )
            % {"count": len(undecided), "references": ", ".join(undecided)}
        ]
    return [
        refusal
        for row in rows
        if row.decision.outcome == UnexaminedOutcome.INELIGIBLE
        and (refusal := ineligible_refusal(row.application))
    ]
