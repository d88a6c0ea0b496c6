"""The deliberation board's kept sums (awards.board_data.evaluation_sums): read once, read again
as soon as a submitted evaluation, a criterion's weight or the round's criteria change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.board_data import forget_kept_sums
from awards.deliberation import board, open_deliberation
from jury.models import Evaluation
from tests.factories import UserFactory

from .deliberation_setup import REFERENCES, make_deliberated

D = Decimal
pytestmark = pytest.mark.django_db


def _scores(deliberation) -> dict[str, Decimal | None]:
    return {row.reference: row.raw.score for row in board(deliberation, user=None).rows}


def _sum_queries(deliberation) -> int:
    with CaptureQueriesContext(connection) as queries:
        board(deliberation, user=None)
    return sum("jury_criterionscore" in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def case():
    case = make_deliberated()
    case.deliberation = open_deliberation(
        case.edition, case.round, by=UserFactory(is_organiser=True), normalised=False
    )
    return case


def test_the_scores_are_summed_once_then_kept_while_nothing_changes(case):
    forget_kept_sums()  # opening the deliberation summed them already

    assert _sum_queries(case.deliberation) == 1
    assert _sum_queries(case.deliberation) == 0
    assert _scores(case.deliberation)[REFERENCES["B"]] == D("3.333")


def test_a_deleted_evaluation_is_left_out_at_once(case):
    assert _scores(case.deliberation)[REFERENCES["B"]] == D("3.333")
    Evaluation.objects.get(
        assignment__juror=case.bruno, assignment__application=case.application("B")
    ).delete()

    # Alice's 2 and Chloé's 3 remain.
    assert _scores(case.deliberation)[REFERENCES["B"]] == D("2.500")


def test_a_newly_submitted_evaluation_counts_at_once(case):
    assert _scores(case.deliberation)[REFERENCES["C"]] == D("3.500")
    c1, c2, c3 = case.setup.criteria
    case.setup.evaluate(case.chloe, case.entries["C"], {c1: 5, c2: 5, c3: 5})

    # Alice (2·4 + 4 + 0) / 4 = 3, Bruno 4, Chloé 5.
    assert _scores(case.deliberation)[REFERENCES["C"]] == D("4.000")


def test_a_changed_weight_counts_at_once(case):
    assert _scores(case.deliberation)[REFERENCES["A"]] == D("3.667")
    c1 = case.setup.criteria[0]
    c1.weight = D("1")
    c1.save()

    # Alice (5 + 3 + 3) / 3, Bruno 4, Chloé 3.
    assert _scores(case.deliberation)[REFERENCES["A"]] == D("3.556")


def test_a_draft_evaluation_is_not_counted_and_changes_nothing_kept(case):
    assert _scores(case.deliberation)[REFERENCES["C"]] == D("3.500")
    c1, c2, c3 = case.setup.criteria
    case.setup.evaluate(case.chloe, case.entries["C"], {c1: 5, c2: 5, c3: 5}, state="draft")

    assert _sum_queries(case.deliberation) == 0
    assert _scores(case.deliberation)[REFERENCES["C"]] == D("3.500")
