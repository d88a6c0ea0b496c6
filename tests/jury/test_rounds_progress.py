"""A round's evaluations sent out of those expected, warned before ranking for promotions.

Round « Sélection Bretagne » (scoring_setup) with Alice and Bruno, three dossiers: Alice sent
both of hers, Bruno one of his two (the other is a draft), nobody is assigned to the third.
"""

import pytest

from applications.enums import ApplicationState
from jury.domain import rounds as domain
from jury.domain.progress import evaluation_progress
from jury.enums import ConflictStatus, EvaluationState, JurorState, PromotionRule
from tests.jury.factories import ConflictFactory, JurorFactory, RoundFactory
from tests.jury.scoring_setup import make_setup

pytestmark = pytest.mark.django_db

WAITING = "Tour « Sélection Bretagne » : 3 évaluations envoyées sur 4 ; en attente : LTI-2027-0002."


def make_round():
    setup = make_setup()
    alice, bruno = setup.juror("Alice"), setup.juror("Bruno")
    first, second = setup.dossier("LTI-2027-0001"), setup.dossier("LTI-2027-0002")
    setup.dossier("LTI-2027-0003")
    marks = dict.fromkeys(setup.criteria, 4)
    for juror in (alice, bruno):
        setup.evaluate(juror, first, marks)
    setup.evaluate(alice, second, marks)
    setup.evaluate(bruno, second, marks, state=EvaluationState.DRAFT)
    return setup, alice, bruno, second


def test_progress_counts_the_evaluations_sent_and_the_dossiers_waiting():
    setup, *_ = make_round()

    progress = evaluation_progress(setup.round)

    assert (progress.sent, progress.expected, progress.waiting) == (3, 4, ["LTI-2027-0002"])
    assert not progress.complete
    assert progress.message() == WAITING


def test_progress_leaves_out_a_conflict_declared_in_another_round_of_the_edition():
    setup, _alice, bruno, second = make_round()
    earlier = RoundFactory(edition=setup.edition, slug="prealable")
    same_person = JurorFactory(round=earlier, user=bruno.user, email=bruno.email.upper())
    ConflictFactory(juror=same_person, application=second.application)

    progress = evaluation_progress(setup.round)

    assert (progress.sent, progress.expected, progress.waiting) == (3, 3, [])
    assert progress.complete


def test_progress_counts_a_dismissed_conflict_withdrawn_dossier_and_declined_juror_right():
    setup, _alice, bruno, second = make_round()
    ConflictFactory(juror=bruno, application=second.application, status=ConflictStatus.DISMISSED)
    declined = setup.juror("Chloé", state=JurorState.DECLINED)
    setup.assign(declined, second)
    withdrawn = setup.dossier("LTI-2027-0004")
    type(withdrawn.application).objects.filter(pk=withdrawn.application_id).update(
        state=ApplicationState.WITHDRAWN
    )
    setup.assign(bruno, withdrawn)

    progress = evaluation_progress(setup.round)

    assert (progress.sent, progress.expected, progress.waiting) == (3, 4, ["LTI-2027-0002"])


def test_progress_message_cuts_a_long_list():
    setup = make_setup()
    juror = setup.juror("Alice")
    for number in range(1, 13):
        setup.assign(juror, setup.dossier(f"LTI-2027-{number:04d}"))

    message = evaluation_progress(setup.round).message()

    assert message == (
        # Without a French catalogue, ngettext counts 0 as plural (as every count here does).
        "Tour « Sélection Bretagne » : 0 évaluations envoyées sur 12 ; en attente : "
        + ", ".join(f"LTI-2027-{number:04d}" for number in range(1, 11))
        + " et 2 autres."
    )


def test_staging_carries_the_progress(organiser):
    setup, *_ = make_round()
    setup.round.next_round = RoundFactory(edition=setup.edition, slug="national")
    setup.round.promotion_rule, setup.round.promotion_count = PromotionRule.TOP_N, 1

    proposal = domain.stage_promotions(setup.round, by=organiser)

    assert (proposal.progress.sent, proposal.progress.expected) == (3, 4)


def test_promotions_page_warns_before_ranking_on_incomplete_evaluations(organiser_client):
    setup, *_ = make_round()

    response = organiser_client.get(setup.url("promotions"))

    assert response.status_code == 200
    assert "le classement ci-dessous ne compte que celles qui le sont." in response.text
    assert WAITING in response.text


def test_promotions_page_says_nothing_once_every_evaluation_is_sent(organiser_client):
    setup, _alice, bruno, second = make_round()
    bruno.assignments.get(application=second.application).evaluation.delete()
    setup.evaluate(bruno, second, dict.fromkeys(setup.criteria, 3))

    response = organiser_client.get(setup.url("promotions"))

    assert response.status_code == 200
    assert "évaluations envoyées sur" not in response.text


def test_staging_by_the_rule_warns_on_incomplete_evaluations(organiser_client):
    setup, *_ = make_round()
    national = RoundFactory(edition=setup.edition, slug="national")
    type(setup.round).objects.filter(pk=setup.round.pk).update(
        next_round=national, promotion_rule=PromotionRule.TOP_N, promotion_count=1
    )

    response = organiser_client.post(setup.url("promotions_stage"), follow=True)

    assert f"Classement sur des évaluations incomplètes. {WAITING}" in response.text


def test_promotions_page_is_refused_to_a_juror(client):
    setup, alice, *_ = make_round()
    client.force_login(alice.user)

    assert client.get(setup.url("promotions")).status_code == 403
