"""Organisers' follow-up of a round, reminders from it, and one dossier's scores."""

from decimal import Decimal

import pytest

from contests.models import ActivityEntry
from jury.domain.evaluations import CriterionMark, save_evaluation
from jury.enums import EvaluationState
from jury.scoring import compute_entry_score
from tests.jury.factories import ConflictFactory, JurorFactory

from .scoring_setup import INSUFFICIENT, make_setup

pytestmark = pytest.mark.django_db

REFERENCE = "LTI-2027-0016"


@pytest.fixture
def setup():
    return make_setup()


def _round_with(setup, count: int):
    """Two jurors; `count` dossiers each assigned to both: A submits the first, B drafts it."""
    innovation, usagers, sobriete = setup.criteria
    a, b = setup.juror("Anne Leroy"), setup.juror("Bruno Petit")
    entries = [setup.dossier(f"LTI-2027-{index + 1:04d}") for index in range(count)]
    for index, entry in enumerate(entries):
        if index == 0:
            setup.evaluate(a, entry, {innovation: 4, usagers: 2, sobriete: 3})
            setup.evaluate(b, entry, {innovation: 1}, state=EvaluationState.DRAFT)
            compute_entry_score(entry)
        else:
            setup.assign(a, entry)
            setup.assign(b, entry)
    return (a, b), entries


def test_progress_counts_per_juror_per_dossier_and_in_total(setup, organiser_client):
    (_a, b), entries = _round_with(setup, 3)
    ConflictFactory(juror=b, application=entries[2].application)

    response = organiser_client.get(setup.url("progress"))

    assert response.status_code == 200
    assert [
        (juror.full_name, t.assigned, t.submitted, t.draft, t.not_started)
        for juror, t in response.context["juror_rows"]
    ] == [("Anne Leroy", 3, 1, 0, 2), ("Bruno Petit", 2, 0, 1, 1)]
    assert [
        (entry.application.reference, t.assigned, t.submitted, t.draft, t.not_started, hidden)
        for entry, t, hidden in response.context["dossier_rows"]
    ] == [
        ("LTI-2027-0001", 2, 1, 1, 0, False),
        ("LTI-2027-0002", 2, 0, 0, 2, False),
        ("LTI-2027-0003", 1, 0, 0, 1, False),
    ]
    total = response.context["total"]
    assert (total.assigned, total.submitted, total.draft, total.not_started) == (5, 1, 1, 3)
    assert "<td>3,000</td>" in response.content.decode()


def test_progress_is_for_organisers_only(setup, applicant_client, visitor):
    juror = setup.juror("Anne Leroy")

    assert applicant_client.get(setup.url("progress")).status_code == 403
    client = visitor
    client.force_login(juror.user)
    assert client.get(setup.url("progress")).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_progress_query_count(setup, count, organiser_client, django_assert_num_queries):
    _round_with(setup, count)

    # Session, user, round, jurors, entries (their count for the pages, then the page),
    # conflicts, assignments, conflicted ids of the organiser (assigned ids, conflicted ids).
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(11):
        organiser_client.get(setup.url("progress"))


def test_remind_emails_each_juror_with_pending_evaluations_now(
    setup, organiser, organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    (_a, b), _entries = _round_with(setup, 1)  # A submitted, B has a draft

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(setup.url("progress_remind"))

    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([b.email], "Rappel : 1 évaluation à terminer pour « Sélection Bretagne »")
    ]
    assert "LTI-2027-0001" in mailoutbox[0].body
    entry = ActivityEntry.objects.get(action="jury_reminders_sent")
    assert (entry.by, entry.subject, entry.details) == (
        organiser,
        "bretagne",
        {"jurors": [str(b.reference)]},
    )


def test_remind_is_refused_to_non_organisers(setup, applicant_client, mailoutbox):
    _round_with(setup, 1)

    assert applicant_client.post(setup.url("progress_remind")).status_code == 403
    assert mailoutbox == []


# ------------------------------------------------------------------------ a dossier's scores


def test_entry_scores_show_each_juror_the_score_the_elimination_and_history(
    setup, organiser_client
):
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier(REFERENCE)
    juror = setup.juror("Anne Leroy")
    assignment = setup.assign(juror, entry)
    values = {innovation.pk: CriterionMark("4"), usagers.pk: CriterionMark("2")}
    save_evaluation(assignment, values, "", expected_version=0, by=juror.user)
    values[usagers.pk] = CriterionMark(INSUFFICIENT, "Aucun usager consulté.")
    values[sobriete.pk] = CriterionMark("5")
    save_evaluation(assignment, values, "Bien.", expected_version=1, by=juror.user, submit=True)

    response = organiser_client.get(setup.url("entry_scores", REFERENCE))

    assert response.status_code == 200
    page = response.context
    assert page["entry"].score == Decimal("3.000")
    assert page["entry"].elimination == [
        {"criterion": "Usagers", "jurors": 1, "comments": ["Aucun usager consulté."]}
    ]
    [row] = page["jurors"]
    assert (row["juror"], row["state"]) == (juror, "submitted")
    assert [(c.criterion.name, c.old_value, c.new_value, c.by) for c in page["changes"]] == [
        ("Innovation", "", "4", juror.user),
        ("Usagers", "", "2", juror.user),
        ("Usagers", "2", "insuffisant", juror.user),
        ("Sobriété numérique", "", "5", juror.user),
    ]
    assert "Aucun usager consulté." in response.content.decode()


def test_entry_scores_404_for_an_organiser_in_conflict_as_a_juror(
    setup, organiser, organiser_client
):
    entry = setup.dossier(REFERENCE)
    organiser_as_juror = JurorFactory(round=setup.round, user=organiser, email=organiser.email)
    ConflictFactory(juror=organiser_as_juror, application=entry.application)

    assert organiser_client.get(setup.url("entry_scores", REFERENCE)).status_code == 404
    progress = organiser_client.get(setup.url("progress"))
    [(_entry, _tally, hidden)] = progress.context["dossier_rows"]
    assert hidden is True


def test_entry_scores_for_organisers_only(setup, applicant_client, organiser_client):
    setup.dossier(REFERENCE)

    assert applicant_client.get(setup.url("entry_scores", REFERENCE)).status_code == 403
    assert organiser_client.get(setup.url("entry_scores", "LTI-2027-9999")).status_code == 404
