"""Other jurors' scores: hidden until one's own evaluation is submitted and the phase allows it;
never for a juror in conflict; anonymous until the deliberation."""

import pytest
from django.test import Client

from tests.jury.factories import ConflictFactory

from .scoring_setup import INSUFFICIENT, make_setup

pytestmark = pytest.mark.django_db

REFERENCE = "LTI-2027-0016"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _arrange(**phase):
    setup = make_setup(**phase)
    innovation, usagers, sobriete = setup.criteria
    entry = setup.dossier(REFERENCE)
    me = setup.juror("Claire Martin")
    setup.assign(me, entry)
    setup.evaluate(
        setup.juror("Paul Durand"),
        entry,
        {innovation: 4, usagers: (INSUFFICIENT, "Aucun usager."), sobriete: 2},
    )
    return setup, entry, me


def test_hidden_before_ones_own_evaluation_is_submitted():
    setup, _entry, me = _arrange(may_see_other_scores=True)
    client = _client(me.user)

    page = client.get(setup.url("evaluation", REFERENCE))
    assert page.context["may_see_others"] is False
    assert "Voir les notes des autres jurés" not in page.content.decode()
    assert client.get(setup.url("other_scores", REFERENCE)).status_code == 403


def test_visible_after_submission_when_the_phase_allows_anonymously():
    setup, entry, me = _arrange(may_see_other_scores=True)
    innovation, usagers, sobriete = setup.criteria
    setup.evaluate(me, entry, {innovation: 3, usagers: 3, sobriete: 3})
    client = _client(me.user)

    assert client.get(setup.url("evaluation", REFERENCE)).context["may_see_others"] is True
    response = client.get(setup.url("other_scores", REFERENCE))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["name"] == "Juré 1"
    assert [(c.name, s.score, s.insufficient, s.comment) for c, s in row["scores"]] == [
        ("Innovation", 4, False, ""),
        ("Usagers", None, True, "Aucun usager."),
        ("Sobriété numérique", 2, False, ""),
    ]
    assert "Paul Durand" not in response.content.decode()


def test_names_are_shown_during_the_deliberation():
    setup, entry, me = _arrange(
        may_see_other_scores=True, may_score=False, phase_kind="deliberation"
    )
    innovation, usagers, sobriete = setup.criteria
    setup.evaluate(me, entry, {innovation: 3, usagers: 3, sobriete: 3})

    response = _client(me.user).get(setup.url("other_scores", REFERENCE))

    assert [row["name"] for row in response.context["rows"]] == ["Paul Durand"]


def test_hidden_after_submission_when_the_phase_does_not_allow():
    setup, entry, me = _arrange(may_see_other_scores=False)
    innovation, usagers, sobriete = setup.criteria
    setup.evaluate(me, entry, {innovation: 3, usagers: 3, sobriete: 3})

    assert _client(me.user).get(setup.url("other_scores", REFERENCE)).status_code == 403


def test_never_for_a_juror_in_conflict():
    setup, entry, me = _arrange(may_see_other_scores=True)
    innovation, usagers, sobriete = setup.criteria
    setup.evaluate(me, entry, {innovation: 3, usagers: 3, sobriete: 3})
    ConflictFactory(juror=me, application=entry.application)

    assert _client(me.user).get(setup.url("other_scores", REFERENCE)).status_code == 404


def test_a_conflicted_jurors_evaluation_is_not_shown_to_others():
    setup, entry, me = _arrange(may_see_other_scores=True)
    innovation, usagers, sobriete = setup.criteria
    setup.evaluate(me, entry, {innovation: 3, usagers: 3, sobriete: 3})
    paul = setup.round.jurors.get(full_name="Paul Durand")
    ConflictFactory(juror=paul, application=entry.application)

    response = _client(me.user).get(setup.url("other_scores", REFERENCE))

    assert response.context["rows"] == []
