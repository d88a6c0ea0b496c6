"""What the deliberation board is computed from, loaded in a fixed number of queries.

`load_board_data` reads the deliberated round's dossiers, jurors, criteria, levels, staged
decisions and submitted scores (rules: awards.deliberation_board's docstring). The dossiers come
as plain read-only records (`BoardEntry`, `BoardDossier`), not model instances: the board ranks
every dossier of the round, 2,000 at a large edition, and building three model instances for each
(entry, dossier, theme) took most of the time of the board and of opening the deliberation.
"""

from dataclasses import dataclass

import numpy as np

from applications.enums import ApplicationState
from contests.models import Criterion, Level, Theme
from jury.domain.evaluations import round_criteria
from jury.enums import EvaluationState
from jury.models import Conflict, CriterionScore, Juror, RoundEntry

from . import aggregation
from .models import Decision, Deliberation


@dataclass(frozen=True, slots=True)
class BoardDossier:
    """Of a dossier, what the board shows and groups by."""

    pk: int
    reference: str
    title: str
    state: str
    theme_id: int | None
    theme: Theme | None

    @property
    def id(self) -> int:
        return self.pk


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """A dossier of the deliberated round, with its elimination as jury.scoring stored it."""

    application_id: int
    application: BoardDossier
    elimination: list

    @property
    def eliminated(self) -> bool:
        return bool(self.elimination)


@dataclass
class BoardData:
    """Everything the board needs, loaded once (`load_board_data`)."""

    deliberation: Deliberation
    criteria: list[Criterion]
    entries: list[BoardEntry]  # ordered by reference; index = dossier index
    jurors: list[Juror]  # every juror of the round; index = juror index
    levels: list[Level]  # best first
    decisions: dict[int, Decision]  # application id → its staged decision
    scores: aggregation.Scores


def _entries(round_) -> list[BoardEntry]:
    rows = list(
        RoundEntry.objects.filter(round=round_)
        .exclude(application__state__in=ApplicationState.dropped_out())
        .order_by("application__reference")
        .values_list(
            "application_id",
            "application__reference",
            "application__title",
            "application__state",
            "application__theme_id",
            "elimination",
        )
    )
    themes = Theme.objects.filter(pk__in={row[4] for row in rows if row[4] is not None})
    themes = {theme.pk: theme for theme in themes}
    return [
        BoardEntry(
            application_id,
            BoardDossier(application_id, reference, title, state, theme_id, themes.get(theme_id)),
            elimination,
        )
        for application_id, reference, title, state, theme_id, elimination in rows
    ]


def load_board_data(deliberation: Deliberation) -> BoardData:
    """Load the round's dossiers, jurors, criteria, levels, decisions and submitted scores."""
    round_ = deliberation.round
    criteria = round_criteria(round_)
    entries = _entries(round_)
    jurors = list(Juror.objects.filter(round=round_).order_by("full_name", "pk"))
    levels = list(Level.objects.filter(edition_id=deliberation.edition_id).order_by("rank"))
    by_id = {level.pk: level for level in levels}
    decisions = {}
    for decision in Decision.objects.filter(deliberation=deliberation).order_by():
        # The levels are already loaded: no query per decision for its two levels.
        decision.level = by_id.get(decision.level_id)
        decision.proposed_level = by_id.get(decision.proposed_level_id)
        decisions[decision.application_id] = decision
    conflicted = Conflict.objects.effective().juror_pairs(round=round_)
    dossier_index = {entry.application_id: index for index, entry in enumerate(entries)}
    juror_index = {juror.pk: index for index, juror in enumerate(jurors)}
    criterion_index = {criterion.pk: index for index, criterion in enumerate(criteria)}
    rows = CriterionScore.objects.filter(
        evaluation__state=EvaluationState.SUBMITTED,
        evaluation__assignment__juror__round=round_,
        criterion_id__in=criterion_index,
    ).values_list(
        "evaluation__assignment__application_id",
        "evaluation__assignment__juror_id",
        "criterion_id",
        "score",
        "insufficient",
    )
    triples = []
    for application_id, juror_id, criterion_id, score, insufficient in rows.order_by():
        if application_id not in dossier_index or (juror_id, application_id) in conflicted:
            continue
        if not insufficient and score is None:  # a criterion left blank: not counted
            continue
        value = 0 if insufficient else score
        triples.append(
            (
                dossier_index[application_id],
                juror_index[juror_id],
                criterion_index[criterion_id],
                value,
            )
        )
    array = np.array(triples, dtype=float).reshape(-1, 4)
    scores = aggregation.Scores(
        dossier=array[:, 0].astype(np.int64),
        juror=array[:, 1].astype(np.int64),
        criterion=array[:, 2].astype(np.int64),
        value=array[:, 3],
        weights=np.array([float(c.weight) for c in criteria], dtype=float),
        n_dossiers=len(entries),
        n_jurors=len(jurors),
    )
    return BoardData(deliberation, criteria, entries, jurors, levels, decisions, scores)
