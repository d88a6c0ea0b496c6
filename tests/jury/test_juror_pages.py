"""A juror's home (rounds and counts) and round page (assigned dossiers): dossiers in conflict
appear in neither."""

import pytest
from django.test import Client
from django.urls import reverse

from jury.enums import EvaluationState, JurorState
from tests.jury.factories import ConflictFactory

from .scoring_setup import make_setup

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup():
    return make_setup()


def _juror_with(setup, count: int):
    """A juror assigned `count` dossiers: the first submitted, the second a draft, the rest new."""
    juror = setup.juror("Claire Martin")
    innovation, usagers, sobriete = setup.criteria
    entries = [setup.dossier(f"LTI-2027-{index + 1:04d}") for index in range(count)]
    for index, entry in enumerate(entries):
        if index == 0:
            setup.evaluate(juror, entry, {innovation: 3, usagers: 3, sobriete: 3})
        elif index == 1:
            setup.evaluate(juror, entry, {innovation: 3}, state=EvaluationState.DRAFT)
        else:
            setup.assign(juror, entry)
    return juror, entries


def test_home_counts_assigned_dossiers_done_and_pending(setup):
    juror, _entries = _juror_with(setup, 3)

    response = _client(juror.user).get(reverse("jury:home"))

    [summary] = response.context["summaries"]
    assert (summary.round, summary.assigned, summary.submitted, summary.draft, summary.pending) == (
        setup.round,
        3,
        1,
        1,
        2,
    )


def test_home_leaves_out_dossiers_in_conflict(setup):
    juror, entries = _juror_with(setup, 3)
    ConflictFactory(juror=juror, application=entries[2].application)
    ConflictFactory(juror=juror, application=entries[0].application)

    response = _client(juror.user).get(reverse("jury:home"))

    [summary] = response.context["summaries"]
    assert (summary.assigned, summary.submitted, summary.pending) == (1, 0, 1)


def test_home_lists_no_round_for_a_declined_juror_or_an_applicant(setup, applicant_client):
    declined = setup.juror("Refus", state=JurorState.DECLINED)

    assert _client(declined.user).get(reverse("jury:home")).context["summaries"] == []
    assert applicant_client.get(reverse("jury:home")).context["summaries"] == []


def test_home_requires_login(visitor):
    assert visitor.get(reverse("jury:home")).status_code == 302


def test_round_page_lists_assigned_dossiers_with_their_state(setup):
    juror, entries = _juror_with(setup, 3)
    ConflictFactory(juror=juror, application=entries[2].application)

    response = _client(juror.user).get(setup.url("juror_round"))

    assert response.status_code == 200
    assert [(a.application.reference, state) for a, state in response.context["rows"]] == [
        ("LTI-2027-0001", "submitted"),
        ("LTI-2027-0002", "draft"),
    ]
    assert (response.context["done"], response.context["pending"]) == (1, 1)
    assert "LTI-2027-0003" not in response.content.decode()


def test_round_page_is_for_the_rounds_jurors_only(setup, applicant_client):
    _juror_with(setup, 1)
    other_round = make_setup(year=2028)
    stranger = other_round.juror("Autre")

    assert _client(stranger.user).get(setup.url("juror_round")).status_code == 403
    assert applicant_client.get(setup.url("juror_round")).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count(setup, count, django_assert_num_queries):
    juror, _entries = _juror_with(setup, count)
    client = _client(juror.user)

    # Session, user, jurors, assigned ids, conflicted ids, assignments.
    with django_assert_num_queries(6):
        client.get(reverse("jury:home"))


@pytest.mark.parametrize("count", [1, 3])
def test_round_page_query_count(setup, count, django_assert_num_queries):
    juror, _entries = _juror_with(setup, count)
    client = _client(juror.user)

    # Session, user, round, its accepted juror (view_juror_round), assigned ids, conflicted ids,
    # assignments with dossiers and evaluations.
    with django_assert_num_queries(7):
        client.get(setup.url("juror_round"))
