"""Arrangements shared by the scoring, evaluation, progress and reminder tests (H-scoring).

A round « Sélection Bretagne » (slug bretagne) of an edition in its jury-scoring phase, with
three criteria, and helpers to add jurors, dossiers and submitted evaluations directly (tests of
behaviour go through jury.domain; these only arrange data).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from contests.models import Criterion, Edition
from jury.enums import EvaluationState
from jury.models import Assignment, CriterionScore, Evaluation, Juror, Round, RoundEntry
from tests.factories import (
    ApplicationFactory,
    ContestFactory,
    CriterionFactory,
    EditionFactory,
    PhaseFactory,
    UserFactory,
)
from tests.jury.factories import AssignmentFactory, JurorFactory, RoundEntryFactory, RoundFactory

INSUFFICIENT = "insuffisant"


@dataclass
class Setup:
    edition: Edition
    round: Round
    criteria: list[Criterion] = field(default_factory=list)

    def juror(self, name: str = "", **fields) -> Juror:
        user = fields.pop("user", None) or UserFactory(full_name=name or "Juré")
        if name:
            fields["full_name"] = name
        return JurorFactory(round=self.round, user=user, **fields)

    def dossier(self, reference: str = "", **fields) -> RoundEntry:
        if reference:
            fields["reference"] = reference
        application = ApplicationFactory(
            edition=self.edition, state=ApplicationState.SUBMITTED, **fields
        )
        return RoundEntryFactory(round=self.round, application=application)

    def assign(self, juror: Juror, entry: RoundEntry) -> Assignment:
        return AssignmentFactory(juror=juror, application=entry.application)

    def evaluate(
        self,
        juror: Juror,
        entry: RoundEntry,
        values: dict[Criterion, object],
        *,
        state: str = EvaluationState.SUBMITTED,
    ) -> Evaluation:
        """values: criterion → 0–5, or (INSUFFICIENT, comment)."""
        assignment = Assignment.objects.filter(juror=juror, application=entry.application).first()
        assignment = assignment or self.assign(juror, entry)
        evaluation = Evaluation.objects.create(
            assignment=assignment,
            state=state,
            submitted_at=timezone.now() if state == EvaluationState.SUBMITTED else None,
        )
        for criterion, value in values.items():
            if isinstance(value, tuple):
                CriterionScore.objects.create(
                    evaluation=evaluation,
                    criterion=criterion,
                    insufficient=True,
                    comment=value[1],
                )
            else:
                CriterionScore.objects.create(
                    evaluation=evaluation, criterion=criterion, score=value
                )
        return evaluation

    @property
    def kwargs(self) -> dict[str, object]:
        return {
            "contest_slug": self.edition.contest.slug,
            "year": self.edition.year,
            "round_slug": self.round.slug,
        }

    def url(self, name: str, reference: str = "") -> str:
        kwargs = self.kwargs | ({"reference": reference} if reference else {})
        return reverse(f"jury:{name}", kwargs=kwargs)


def make_setup(
    *,
    rule: str = "any",
    weights: tuple[str, ...] = ("1", "1", "1"),
    eliminatory: tuple[bool, ...] = (True, True, True),
    may_score: bool = True,
    may_see_other_scores: bool = False,
    phase_kind: str = "jury_scoring",
    year: int = 2027,
) -> Setup:
    edition = EditionFactory(
        contest=ContestFactory(name="Label Territoire Innovant"),
        year=year,
        elimination_rule=rule,
    )
    PhaseFactory(
        edition=edition,
        kind=phase_kind,
        starts_at=timezone.now() - timedelta(days=1),
        may_score=may_score,
        may_see_other_scores=may_see_other_scores,
    )
    names = ("Innovation", "Usagers", "Sobriété numérique")
    criteria = [
        CriterionFactory(
            edition=edition,
            name=names[index],
            weight=Decimal(weight),
            eliminatory=eliminatory[index],
            position=index,
        )
        for index, weight in enumerate(weights)
    ]
    round_ = RoundFactory(edition=edition, name="Sélection Bretagne", slug="bretagne")
    return Setup(edition, round_, criteria)
