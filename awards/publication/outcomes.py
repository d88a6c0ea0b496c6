"""Which dossiers publication concludes, and how; what it will make public."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext, ngettext

from applications.enums import ApplicationState
from applications.models import Application, ApplicationPartner
from contests.models import Distinction, Edition, Level, Theme
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
        for decision in deliberation.decisions.select_related("level").prefetch_related(
            "distinctions"
        )
    }


def is_awarded(decision: Decision | None) -> bool:
    """A level, a distinction, or both: the dossier is a laureate (« a distinction alone »).
    The decision's distinctions must be prefetched."""
    return decision is not None and (
        decision.level_id is not None or bool(decision.distinctions.all())
    )


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

    A decision with a level or a distinction: awarded. Otherwise a dossier eliminated in a
    round and still "submitted" is eliminated; one no round examined gets the organisers' outcome
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
            is_awarded(decision),
            application.pk in eliminated,
            closing.outcome if closing is not None else None,
        )
        if state in (ApplicationState.AWARDED, ApplicationState.ELIMINATED):
            closing = None
        outcomes.append(Outcome(application, state, decision, closing))
    return outcomes


def _outcome_state(
    state: str, awarded: bool, eliminated: bool, closing: str | None
) -> ApplicationState:
    """The one rule of `dossier_outcomes`, on a dossier's state, whether its decision gives a
    level or a distinction, whether a round eliminated it and the organisers' outcome if no
    round examined it."""
    if awarded:
        return ApplicationState.AWARDED
    if eliminated and state == ApplicationState.SUBMITTED:
        return ApplicationState.ELIMINATED
    if closing is not None:
        return ApplicationState(closing)
    return ApplicationState.NOT_AWARDED


@dataclass
class _Counts:
    awarded: Counter  # laureates by (theme id, level id); level None: a distinction alone
    others: Counter  # the other outcomes by theme id
    states: Counter  # every outcome
    distinctions: Counter  # laureates by distinction id


def _outcome_counts(deliberation: Deliberation) -> _Counts:
    """The outcomes `dossier_outcomes` gives, counted without loading a dossier. The preview
    counts 2,000 dossiers at a large edition; loading them with their organisations took most
    of its time."""
    # Unordered: the models' ordering by reference would join the dossiers for nothing.
    levels = dict(deliberation.decisions.order_by().values_list("application_id", "level_id"))
    distinguished: dict[int, list[int]] = {}
    links = Decision.distinctions.through.objects.filter(decision__deliberation=deliberation)
    for application_id, distinction_id in links.order_by().values_list(
        "decision__application_id", "distinction_id"
    ):
        distinguished.setdefault(application_id, []).append(distinction_id)
    eliminated = eliminated_application_ids(deliberation.edition)
    closings = dict(
        deliberation.unexamined_decisions.order_by().values_list("application_id", "outcome")
    )
    rows = Application.objects.filter(
        edition=deliberation.edition, state__in=ApplicationState.in_competition()
    ).values_list("pk", "state", "theme_id")
    counts = _Counts(Counter(), Counter(), Counter(), Counter())
    for pk, state, theme_id in rows.order_by():
        level_id = levels.get(pk)
        awarded = level_id is not None or pk in distinguished
        outcome = _outcome_state(state, awarded, pk in eliminated, closings.get(pk))
        counts.states[outcome] += 1
        if outcome == ApplicationState.AWARDED:
            counts.awarded[(theme_id, level_id)] += 1
            counts.distinctions.update(distinguished.get(pk, ()))
        else:
            counts.others[theme_id] += 1
    return counts


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
    # Laureates of a distinction alone (no level), and each distinction's laureates: (name, n).
    distinction_only: int = 0
    distinctions: list[tuple[str, int]] = field(default_factory=list)
    unexamined: list[UnexaminedRow] = field(default_factory=list)
    # The edition's rounds whose expected evaluations are not all sent.
    incomplete: list[EvaluationProgress] = field(default_factory=list)


def publication_preview(deliberation: Deliberation) -> Preview:
    counts = _outcome_counts(deliberation)
    awarded, others, states = counts.awarded, counts.others, counts.states
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
    distinctions = Distinction.objects.filter(pk__in=counts.distinctions).order_by(
        "position", "name"
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
        distinction_only=sum(n for (_theme, level), n in awarded.items() if level is None),
        distinctions=[(each.name, counts.distinctions[each.pk]) for each in distinctions],
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
    # Asked of the database: loading the 2,000 decisions of a large edition with their
    # dossiers to keep the few awarded ones out of competition cost most of the preview.
    stray = sorted(
        set(
            deliberation.decisions.exclude(application__state__in=ApplicationState.in_competition())
            .filter(Q(level__isnull=False) | Q(distinctions__isnull=False))
            .order_by()
            .values_list("application__reference", flat=True)
        )
    )
    if stray:
        return [
            gettext(
                "Ces dossiers ont un niveau ou une distinction mais ne sont plus en compétition "
                "(retirés ?) : %s."
            )
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
