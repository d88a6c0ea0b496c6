"""The round ↔ solver adapter (jury.domain.assign), the assign_jury command and the page."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from contests import activity
from contests.models import ActivityEntry
from jury.assignment import Infeasible
from jury.domain.assign import AssignmentRefused, add_assignment, assign_round, remove_assignment
from jury.enums import AssignmentSource, EvaluationState, JurorState
from jury.models import Assignment
from tests.factories import ContestFactory, EditionFactory, ThemeFactory, UserFactory

from .factories import (
    AssignmentFactory,
    ConflictFactory,
    EvaluationFactory,
    JurorFactory,
    RoundEntryFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """Two dossiers (mobility, data), three jurors: two of institution A, one generalist of B."""
    edition = EditionFactory(contest=ContestFactory(slug="label"), year=2027)
    mobility = ThemeFactory(edition=edition, name="Mobilité")
    data = ThemeFactory(edition=edition, name="Données")
    round_ = RoundFactory(edition=edition, slug="national")
    d1 = RoundEntryFactory(
        round=round_, application__theme=mobility, application__state="submitted"
    )
    d2 = RoundEntryFactory(round=round_, application__theme=data, application__state="submitted")
    j1 = JurorFactory(round=round_, full_name="A1", institution_name="A")
    j1.themes.set([mobility])
    j2 = JurorFactory(round=round_, full_name="A2", institution_name="A")
    j2.themes.set([data])
    j3 = JurorFactory(round=round_, full_name="B", institution_name="B")
    return round_, (d1, d2), (j1, j2, j3)


def pairs(round_) -> set[tuple[str, str]]:
    return set(
        Assignment.objects.filter(juror__round=round_).values_list(
            "application__reference", "juror__full_name"
        )
    )


def test_the_optimum_puts_each_expert_on_their_theme_with_the_generalist(case):
    round_, (d1, d2), _jurors = case
    outcome = assign_round(round_, per_dossier=2)
    assert pairs(round_) == {
        (d1.application.reference, "A1"),
        (d1.application.reference, "B"),
        (d2.application.reference, "A2"),
        (d2.application.reference, "B"),
    }
    assert (outcome.created, outcome.removed, outcome.kept) == (4, 0, 0)
    assert outcome.objective == 3.0
    assert outcome.optimal is True
    assert set(Assignment.objects.values_list("source", flat=True)) == {AssignmentSource.SOLVER}
    entry = ActivityEntry.objects.get(action="jury.assignment_run")
    assert entry.subject == "national"
    assert entry.details["created"] == 4
    assert activity.verify() is None


def test_a_hand_made_assignment_is_kept_and_the_rest_fits_around_it(case):
    # A2 (data) put on the mobility dossier by hand. A2 on both would be worth 1.5 more, but
    # 4 evaluations for 3 jurors make a fair share of 1 to 2 each: A1 takes the data dossier.
    round_, (d1, d2), (_j1, j2, _j3) = case
    AssignmentFactory(juror=j2, application=d1.application, source=AssignmentSource.MANUAL)
    outcome = assign_round(round_, per_dossier=2)
    assert pairs(round_) == {
        (d1.application.reference, "A2"),
        (d1.application.reference, "B"),
        (d2.application.reference, "A1"),
        (d2.application.reference, "B"),
    }
    assert outcome.objective == 1.0
    assert (outcome.created, outcome.kept) == (3, 1)
    assert outcome.departures == []


def test_running_again_keeps_started_evaluations_and_replaces_the_rest(case):
    round_, (d1, _d2), (j1, _j2, _j3) = case
    assign_round(round_, per_dossier=2)
    started = Assignment.objects.get(juror=j1, application=d1.application)
    EvaluationFactory(assignment=started, state=EvaluationState.DRAFT)
    outcome = assign_round(round_, per_dossier=2)
    assert (outcome.created, outcome.removed, outcome.kept) == (0, 0, 4)
    assert Assignment.objects.filter(pk=started.pk).exists()


def test_an_unavoidable_shared_institution_is_assigned_and_reported(case):
    # B is in conflict with the data dossier: only A1 and A2, of one institution, are left.
    round_, (d1, d2), (_j1, _j2, j3) = case
    ConflictFactory(juror=j3, application=d2.application)
    outcome = assign_round(round_, per_dossier=2)
    assert pairs(round_) == {
        (d1.application.reference, "A1"),
        (d1.application.reference, "B"),
        (d2.application.reference, "A1"),
        (d2.application.reference, "A2"),
    }
    assert outcome.departures == [
        f"Dossier {d2.application.reference} : A1 et A2 sont de la même institution ; les "
        "conflits d'intérêts et les limites de charge ne permettaient pas de l'éviter."
    ]


def test_a_conflict_is_never_assigned_and_an_impossible_round_changes_nothing(case):
    round_, (_d1, d2), (j1, _j2, j3) = case
    ConflictFactory(juror=j3, application=d2.application)
    ConflictFactory(juror=j1, application=d2.application)
    with pytest.raises(Infeasible) as error:
        assign_round(round_, per_dossier=2)
    assert error.value.causes[0] == (
        f"Dossier {d2.application.reference} : seul 1 juré est sans conflit, il en faut 2."
    )
    assert pairs(round_) == set()


def test_jurors_who_have_not_accepted_are_not_assigned(case):
    round_, (d1, d2), (_j1, _j2, j3) = case
    j3.state = JurorState.INVITED
    j3.save()
    outcome = assign_round(round_, per_dossier=1)
    assert pairs(round_) == {(d1.application.reference, "A1"), (d2.application.reference, "A2")}
    assert outcome.jurors == 2


def test_adding_by_hand_follows_the_rules(case):
    round_, (d1, d2), (j1, j2, j3) = case
    organiser = UserFactory(is_organiser=True)
    add_assignment(round_, j1, d1, by=organiser)
    with pytest.raises(AssignmentRefused) as same_institution:
        add_assignment(round_, j2, d1, by=organiser)
    assert str(same_institution.value) == (
        f"Un autre juré de « A » évalue déjà le dossier {d1.application.reference}."
    )
    ConflictFactory(juror=j3, application=d2.application)
    with pytest.raises(AssignmentRefused) as conflict:
        add_assignment(round_, j3, d2, by=organiser)
    assert str(conflict.value) == (
        f"B est en conflit d'intérêts avec le dossier {d2.application.reference}."
    )
    with pytest.raises(AssignmentRefused) as twice:
        add_assignment(round_, j1, d1, by=organiser)
    assert str(twice.value) == f"A1 évalue déjà le dossier {d1.application.reference}."
    assert pairs(round_) == {(d1.application.reference, "A1")}


def test_a_submitted_evaluation_cannot_be_taken_away(case):
    _round, (d1, d2), (j1, _j2, _j3) = case
    assignment = AssignmentFactory(juror=j1, application=d1.application)
    EvaluationFactory(assignment=assignment, state=EvaluationState.SUBMITTED)
    with pytest.raises(AssignmentRefused):
        remove_assignment(assignment, by=None)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    draft = AssignmentFactory(juror=j1, application=d2.application)
    EvaluationFactory(assignment=draft)
    remove_assignment(draft, by=None)
    assert not Assignment.objects.filter(pk=draft.pk).exists()


def test_the_command_prints_the_outcome_and_reports_causes(case, capsys):
    _round, (_d1, d2), (j1, _j2, j3) = case
    call_command("assign_jury", "label/2027", "national", "--per-dossier", "2")
    line = json.loads(capsys.readouterr().out)
    assert (line["created"], line["objective"], line["optimal"]) == (4, 3.0, True)
    with pytest.raises(CommandError) as unknown:
        call_command("assign_jury", "label/2027", "bretagne")
    assert str(unknown.value) == "Aucun tour « bretagne » dans label/2027 (tours : national)."
    ConflictFactory(juror=j3, application=d2.application)
    ConflictFactory(juror=j1, application=d2.application)
    Assignment.objects.all().delete()
    with pytest.raises(CommandError) as impossible:
        call_command("assign_jury", "2027", "national", "--per-dossier", "2")
    assert str(impossible.value).startswith("Affectation impossible :\n- ")


def url(round_, name: str = "jury:assignment") -> str:
    edition = round_.edition
    return reverse(name, args=[edition.contest.slug, edition.year, round_.slug])


def test_only_organisers_open_the_assignment_page(case, organiser_client, applicant_client, client):
    round_ = case[0]
    assert organiser_client.get(url(round_)).status_code == 200
    assert applicant_client.get(url(round_)).status_code == 403
    assert client.get(url(round_)).status_code == 302
    assert pairs(round_) == set()


def test_only_organisers_change_the_assignment(case, organiser_client, applicant_client):
    round_, (d1, _d2), (j1, _j2, _j3) = case
    reference = d1.application.reference
    run = {"run-per_dossier": 2}
    add = {"add-reference": reference, "add-juror": str(j1.reference)}

    assert applicant_client.post(url(round_, "jury:assignment_run"), run).status_code == 403
    assert applicant_client.post(url(round_, "jury:assignment_add"), add).status_code == 403
    assert pairs(round_) == set()
    assert organiser_client.post(url(round_, "jury:assignment_add"), add).status_code == 302
    remove = {"reference": reference, "juror": str(j1.reference)}
    assert applicant_client.post(url(round_, "jury:assignment_remove"), remove).status_code == 403
    assert pairs(round_) == {(reference, "A1")}


@pytest.mark.parametrize(
    "name", ["jury:assignment_run", "jury:assignment_add", "jury:assignment_remove"]
)
def test_the_assignment_actions_are_post_only(case, organiser_client, name):
    assert organiser_client.get(url(case[0], name)).status_code == 405


def test_the_assignment_page_takes_no_post(case, organiser_client):
    response = organiser_client.post(url(case[0]), {"run-per_dossier": 2})

    assert response.status_code == 405
    assert pairs(case[0]) == set()


def test_the_page_runs_the_solver_and_shows_the_causes_of_an_impossible_round(
    case, organiser_client
):
    round_, (_d1, d2), (j1, _j2, j3) = case
    response = organiser_client.post(url(round_, "jury:assignment_run"), {"run-per_dossier": 2})
    assert response.status_code == 302
    assert response["Location"] == url(round_)
    assert len(pairs(round_)) == 4
    ConflictFactory(juror=j3, application=d2.application)
    ConflictFactory(juror=j1, application=d2.application)
    Assignment.objects.all().delete()
    response = organiser_client.post(url(round_, "jury:assignment_run"), {"run-per_dossier": 2})
    assert response.status_code == 422
    assert "Affectation impossible, rien n'a été modifié :" in response.content.decode()
    assert pairs(round_) == set()


def test_the_page_adds_and_removes_by_hand(case, organiser_client):
    round_, (d1, _d2), (j1, _j2, _j3) = case
    reference = d1.application.reference
    response = organiser_client.post(
        url(round_, "jury:assignment_add"),
        {"add-reference": reference, "add-juror": str(j1.reference)},
    )
    assert response.status_code == 302
    assert pairs(round_) == {(reference, "A1")}
    response = organiser_client.post(
        url(round_, "jury:assignment_remove"), {"reference": reference, "juror": str(j1.reference)}
    )
    assert response.status_code == 302
    assert response["Location"] == url(round_)
    assert pairs(round_) == set()


@pytest.mark.parametrize("juror", ["", "pas-une-reference"])
def test_removing_an_unknown_pair_is_404(case, organiser_client, juror):
    round_, (d1, _d2), (j1, _j2, _j3) = case
    reference = d1.application.reference
    add_assignment(round_, j1, d1, by=UserFactory(is_organiser=True))

    response = organiser_client.post(
        url(round_, "jury:assignment_remove"), {"reference": reference, "juror": juror}
    )

    assert response.status_code == 404
    assert pairs(round_) == {(reference, "A1")}


def test_a_refused_hand_made_assignment_keeps_the_choice_on_the_page(case, organiser_client):
    round_, (d1, _d2), (_j1, _j2, j3) = case
    reference = d1.application.reference
    ConflictFactory(juror=j3, application=d1.application)

    response = organiser_client.post(
        url(round_, "jury:assignment_add"),
        {"add-reference": reference, "add-juror": str(j3.reference)},
    )

    assert response.status_code == 200
    assert response.context["add_form"].data["add-juror"] == str(j3.reference)
    assert response.context["add_form"].non_field_errors() == [
        f"B est en conflit d'intérêts avec le dossier {reference}."
    ]
    assert pairs(round_) == set()


def test_the_page_costs_the_same_queries_for_one_and_three_dossiers(
    organiser_client, django_assert_max_num_queries
):
    round_ = RoundFactory()
    juror = JurorFactory(round=round_)
    for count in (1, 3):
        while round_.entries.count() < count:
            entry = RoundEntryFactory(round=round_, application__state="submitted")
            AssignmentFactory(juror=juror, application=entry.application)
        with django_assert_max_num_queries(16):
            assert organiser_client.get(url(round_)).status_code == 200


def test_the_cause_names_the_dossier_that_cannot_be_served(case):
    round_, (_d1, d2), (j1, j2, j3) = case
    for juror in (j1, j2, j3):
        ConflictFactory(juror=juror, application=d2.application)
    with pytest.raises(Infeasible) as error:
        assign_round(round_, per_dossier=2)
    assert error.value.causes[0] == (
        f"Dossier {d2.application.reference} : aucun juré n'est sans conflit, il en faut 2."
    )
