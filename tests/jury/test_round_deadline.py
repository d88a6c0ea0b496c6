"""A round's end date closes its scoring (issue 15, item 4); organisers may extend it, logged."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from contests.models import ActivityEntry
from jury.domain.evaluations import CriterionMark, ScoringEnded, save_evaluation
from jury.domain.round_deadline import ExtensionRefused, extend_scoring, scoring_ended
from jury.models import Evaluation

from .scoring_setup import make_setup

pytestmark = pytest.mark.django_db

REFERENCE = "LTI-2027-0016"
CLOSED = (
    "Les évaluations du tour « Sélection Bretagne » sont closes depuis la fin du 1er mars 2026 : "
    "rien n'a été enregistré. Si vous avez besoin de plus de temps, demandez aux organisateurs "
    "de prolonger le tour."
)


@pytest.fixture
def setup():
    return make_setup()


@pytest.fixture
def juror(setup):
    return setup.juror("Claire Martin")


@pytest.fixture
def assignment(setup, juror):
    return setup.assign(juror, setup.dossier(REFERENCE, title="Guichet numérique"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(setup, *values) -> dict:
    data = {"version": "0", "overall_comment": "Mon avis.", "confirm": "on"}
    for criterion, value in zip(setup.criteria, values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = ""
    return data


def end_round(setup, ends_on: date) -> None:
    setup.round.ends_on = ends_on
    setup.round.save()


def test_the_end_date_itself_is_open_and_the_next_day_is_not(setup):
    end_round(setup, date(2027, 3, 1))
    assert scoring_ended(setup.round, today=date(2027, 3, 1)) is False
    assert scoring_ended(setup.round, today=date(2027, 3, 2)) is True


def test_a_round_without_end_date_stays_open(setup):
    assert scoring_ended(setup.round, today=date(2099, 1, 1)) is False


def test_the_domain_refuses_an_evaluation_after_the_end(setup, juror, assignment):
    end_round(setup, date(2026, 3, 1))
    marks = {c.pk: CriterionMark("3") for c in setup.criteria}
    with pytest.raises(ScoringEnded) as refused:
        save_evaluation(assignment, marks, "", expected_version=0, by=juror.user, submit=True)
    assert refused.value.message == CLOSED
    assert not Evaluation.objects.exists()


def test_the_page_refuses_after_the_end_and_keeps_what_was_typed(setup, juror, assignment):
    end_round(setup, date(2026, 3, 1))
    client = _client(juror.user)

    response = client.post(setup.url("evaluation_submit", REFERENCE), _post(setup, "3", "4", "5"))

    assert response.status_code == 403
    form = response.context["form"]
    assert form.non_field_errors() == [CLOSED]
    assert form["overall_comment"].value() == "Mon avis."
    assert "Envoyer l'évaluation</button>" not in response.content.decode()
    assert not Evaluation.objects.exists()
    page = client.get(setup.url("evaluation", REFERENCE))
    assert page.context["form"] is None
    assert "closes depuis la fin du 1er mars 2026" in page.content.decode()


def test_before_the_end_the_juror_may_send(setup, juror, assignment):
    end_round(setup, timezone.localdate())
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE), _post(setup, "3", "4", "5")
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().state == "submitted"


def test_extending_reopens_scoring_and_is_logged(setup, organiser):
    end_round(setup, date(2027, 3, 1))
    extend_scoring(setup.round, date(2027, 3, 15), by=organiser, today=date(2027, 3, 5))

    setup.round.refresh_from_db()
    assert setup.round.ends_on == date(2027, 3, 15)
    assert scoring_ended(setup.round, today=date(2027, 3, 5)) is False
    entry = ActivityEntry.objects.get(action="jury.round_scoring_extended")
    assert (entry.by, entry.subject, entry.details) == (
        organiser,
        "bretagne",
        {"before": "2027-03-01", "after": "2027-03-15"},
    )


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (date(2027, 3, 4), "Choisissez une date à partir d'aujourd'hui (5 mars 2027)."),
        (
            date(2027, 2, 20),
            "Choisissez une date à partir d'aujourd'hui (5 mars 2027).",
        ),
    ],
)
def test_an_extension_into_the_past_is_refused(setup, organiser, until, message):
    end_round(setup, date(2027, 3, 1))
    with pytest.raises(ExtensionRefused) as refused:
        extend_scoring(setup.round, until, by=organiser, today=date(2027, 3, 5))
    assert refused.value.message == message
    setup.round.refresh_from_db()
    assert setup.round.ends_on == date(2027, 3, 1)
    assert not ActivityEntry.objects.filter(action="jury.round_scoring_extended").exists()


def test_an_extension_never_shortens(setup, organiser):
    end_round(setup, date(2027, 3, 20))
    with pytest.raises(ExtensionRefused) as refused:
        extend_scoring(setup.round, date(2027, 3, 10), by=organiser, today=date(2027, 3, 5))
    assert refused.value.message == (
        "Choisissez une date après la fin actuelle des évaluations (20 mars 2027)."
    )


def test_the_organiser_extends_from_the_round_page(setup, organiser_client):
    end_round(setup, timezone.localdate() - timedelta(days=2))
    url = setup.url("round_scoring_extend")
    page = organiser_client.get(setup.url("round_detail"))
    assert f'action="{url}"' in page.content.decode()

    until = timezone.localdate() + timedelta(days=7)
    response = organiser_client.post(url, {"until": until.isoformat()}, follow=True)

    setup.round.refresh_from_db()
    assert setup.round.ends_on == until
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Les évaluations du tour sont ouvertes jusqu'au ")
    assert message.endswith(f"{until.year} inclus.")


def test_a_missing_date_is_refused_clearly(setup, organiser_client):
    end_round(setup, date(2027, 3, 1))
    response = organiser_client.post(setup.url("round_scoring_extend"), {"until": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Indiquez la nouvelle date de fin des évaluations."
    ]
    setup.round.refresh_from_db()
    assert setup.round.ends_on == date(2027, 3, 1)


def test_a_juror_may_not_extend(setup, juror, assignment):
    end_round(setup, date(2027, 3, 1))
    response = _client(juror.user).post(setup.url("round_scoring_extend"), {"until": "2099-01-01"})
    assert response.status_code == 403
    setup.round.refresh_from_db()
    assert setup.round.ends_on == date(2027, 3, 1)


def test_the_jurors_round_page_says_scoring_is_closed(setup, juror, assignment):
    url = setup.url("juror_round")
    client = _client(juror.user)
    end_round(setup, timezone.localdate())
    assert "(inclus : les évaluations se ferment le lendemain)" in client.get(url).content.decode()
    end_round(setup, date(2026, 3, 1))
    assert "(closes : demandez aux organisateurs de prolonger le tour si nécessaire)" in (
        client.get(url).content.decode()
    )
