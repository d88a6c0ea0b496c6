"""A juror's evaluation: domain (drafts, submission, locking, score changes) and its page."""

from decimal import Decimal

import pytest
from django.test import Client

from contests.models import ActivityEntry
from jury.domain.evaluations import (
    CriterionMark,
    EvaluationClosed,
    EvaluationIncomplete,
    InsufficientWithoutComment,
    StaleEvaluation,
    save_evaluation,
)
from jury.enums import EvaluationState
from jury.models import CriterionScore, Evaluation, ScoreChange
from tests.jury.factories import ConflictFactory

from .scoring_setup import make_setup

pytestmark = pytest.mark.django_db

REFERENCE = "LTI-2027-0016"


@pytest.fixture
def setup():
    return make_setup()


@pytest.fixture
def juror(setup):
    return setup.juror("Claire Martin")


@pytest.fixture
def entry(setup):
    return setup.dossier(REFERENCE, title="Guichet numérique")


@pytest.fixture
def assignment(setup, juror, entry):
    return setup.assign(juror, entry)


def marks(setup, *values, comments=()):
    comments = list(comments) + [""] * (len(values) - len(comments))
    return {
        criterion.pk: CriterionMark(value, comment)
        for criterion, value, comment in zip(setup.criteria, values, comments, strict=True)
    }


# ------------------------------------------------------------------------------- domain


def test_first_draft_creates_version_1_and_logs_each_score_change(setup, juror, assignment):
    evaluation = save_evaluation(
        assignment, marks(setup, "3", "", "4"), "Bon dossier.", expected_version=0, by=juror.user
    )

    assert (evaluation.state, evaluation.version, evaluation.overall_comment) == (
        EvaluationState.DRAFT,
        1,
        "Bon dossier.",
    )
    changes = ScoreChange.objects.filter(evaluation=evaluation).order_by("criterion__position")
    assert [(c.criterion.name, c.old_value, c.new_value, c.by) for c in changes] == [
        ("Innovation", "", "3", juror.user),
        ("Sobriété numérique", "", "4", juror.user),
    ]


def test_changing_scores_logs_old_and_new_values(setup, juror, assignment):
    save_evaluation(assignment, marks(setup, "3", "2", "4"), "", expected_version=0, by=juror.user)

    save_evaluation(
        assignment,
        marks(setup, "insuffisant", "2", "", comments=["Rien de neuf."]),
        "",
        expected_version=1,
        by=juror.user,
    )

    later = ScoreChange.objects.filter(evaluation__assignment=assignment).order_by("pk")[3:]
    assert [(c.criterion.name, c.old_value, c.new_value) for c in later] == [
        ("Innovation", "3", "insuffisant"),
        ("Sobriété numérique", "4", ""),
    ]
    stored = CriterionScore.objects.get(evaluation__assignment=assignment, criterion__position=0)
    assert (stored.score, stored.insufficient, stored.comment) == (None, True, "Rien de neuf.")
    assert not CriterionScore.objects.filter(
        evaluation__assignment=assignment, criterion__position=2
    ).exists()


def test_a_save_based_on_an_older_version_is_refused(setup, juror, assignment):
    save_evaluation(assignment, marks(setup, "3", "2", "4"), "", expected_version=0, by=juror.user)
    save_evaluation(assignment, marks(setup, "4", "2", "4"), "", expected_version=1, by=juror.user)

    with pytest.raises(StaleEvaluation) as refused:
        save_evaluation(
            assignment, marks(setup, "0", "0", "0"), "", expected_version=1, by=juror.user
        )

    assert refused.value.current_version == 2
    assert list(
        CriterionScore.objects.filter(evaluation__assignment=assignment)
        .order_by("criterion__position")
        .values_list("score", flat=True)
    ) == [4, 2, 4]


def test_submit_with_a_blank_criterion_is_refused_with_its_name(setup, juror, assignment):
    with pytest.raises(EvaluationIncomplete) as refused:
        save_evaluation(
            assignment,
            marks(setup, "3", "", "4"),
            "",
            expected_version=0,
            by=juror.user,
            submit=True,
        )

    assert refused.value.message == (
        "Pour envoyer l'évaluation, notez chaque critère de 0 à 5 ou jugez-le insuffisant. "
        "Critères sans note : « Usagers »."
    )
    assert not Evaluation.objects.exists()


def test_insufficient_without_comment_is_refused_even_in_a_draft(setup, juror, assignment):
    with pytest.raises(InsufficientWithoutComment) as refused:
        save_evaluation(
            assignment, marks(setup, "insuffisant", "", ""), "", expected_version=0, by=juror.user
        )

    assert refused.value.message == (
        "Vous jugez le critère « Innovation » insuffisant : expliquez pourquoi dans le commentaire."
    )


def test_submit_stores_the_dossier_score_and_logs(setup, juror, assignment, entry):
    save_evaluation(
        assignment,
        marks(setup, "3", "insuffisant", "4", comments=["", "Aucun usager consulté."]),
        "Projet solide.",
        expected_version=0,
        by=juror.user,
        submit=True,
    )

    entry.refresh_from_db()
    assert (entry.score, entry.eliminated, entry.evaluations_submitted) == (
        Decimal("2.333"),
        True,
        1,
    )
    assert entry.elimination == [
        {"criterion": "Usagers", "jurors": 1, "comments": ["Aucun usager consulté."]}
    ]
    actions = list(ActivityEntry.objects.filter(subject=REFERENCE).values_list("action", "details"))
    assert actions == [
        (
            "evaluation_scores_changed",
            {
                "round": "bretagne",
                "juror": str(juror.reference),
                "changes": {
                    "Innovation": ["", "3"],
                    "Usagers": ["", "insuffisant"],
                    "Sobriété numérique": ["", "4"],
                },
            },
        ),
        (
            "evaluation_submitted",
            {
                "round": "bretagne",
                "juror": str(juror.reference),
                "scores": {"Innovation": "3", "Usagers": "insuffisant", "Sobriété numérique": "4"},
            },
        ),
    ]


def test_a_submitted_evaluation_cannot_change(setup, juror, assignment):
    save_evaluation(
        assignment, marks(setup, "3", "3", "3"), "", expected_version=0, by=juror.user, submit=True
    )

    with pytest.raises(EvaluationClosed):
        save_evaluation(
            assignment, marks(setup, "5", "5", "5"), "", expected_version=1, by=juror.user
        )


# --------------------------------------------------------------------------------- page


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(setup, *values, version=0, comments=(), overall=""):
    data = {"version": str(version), "overall_comment": overall, "confirm": "on"}
    comments = list(comments) + [""] * (len(values) - len(comments))
    for criterion, value, comment in zip(setup.criteria, values, comments, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


def test_assigned_juror_sees_the_dossier_and_the_form(setup, juror, assignment):
    response = _client(juror.user).get(setup.url("evaluation", REFERENCE))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Guichet numérique" in content
    assert "Envoyer l'évaluation" in content
    assert response.context["form"].initial["version"] == 0
    assert [row.criterion.name for row in response.context["form"].criterion_rows()] == [
        "Innovation",
        "Usagers",
        "Sobriété numérique",
    ]


def test_conflicted_juror_gets_404_like_a_missing_dossier(setup, juror, assignment, entry):
    ConflictFactory(juror=juror, application=entry.application)
    client = _client(juror.user)

    assert client.get(setup.url("evaluation", REFERENCE)).status_code == 404
    assert client.get(setup.url("evaluation", "LTI-2027-9999")).status_code == 404
    for name in ("evaluation", "evaluation_submit"):
        assert client.post(setup.url(name, REFERENCE), _post(setup, "3", "3", "3")).status_code == (
            404
        )
    assert not Evaluation.objects.exists()


def test_unassigned_juror_and_applicant_get_404(setup, entry, applicant_client):
    other = setup.juror("Autre juré")

    assert _client(other.user).get(setup.url("evaluation", REFERENCE)).status_code == 404
    assert applicant_client.get(setup.url("evaluation", REFERENCE)).status_code == 404


def test_juror_saves_a_draft_then_submits(setup, juror, assignment, entry):
    client = _client(juror.user)
    url = setup.url("evaluation", REFERENCE)

    response = client.post(url, _post(setup, "3", "", "4", overall="À suivre."))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(assignment=assignment)
    assert (evaluation.state, evaluation.version, evaluation.overall_comment) == (
        "draft",
        1,
        "À suivre.",
    )

    response = client.post(
        setup.url("evaluation_submit", REFERENCE), _post(setup, "3", "5", "4", version=1)
    )
    assert response.status_code == 302
    assert response["Location"] == url
    evaluation.refresh_from_db()
    assert evaluation.state == "submitted"
    entry.refresh_from_db()
    assert entry.score == Decimal("4.000")

    page = client.get(url)
    assert page.context["form"] is None
    assert "Envoyée le" in page.content.decode()
    for name in ("evaluation", "evaluation_submit"):
        refused = client.post(setup.url(name, REFERENCE), _post(setup, "0", "0", "0", version=2))
        assert (refused.status_code, refused["Location"]) == (302, url)
    evaluation.refresh_from_db()
    assert (evaluation.version, entry.score) == (2, Decimal("4.000"))
    assert [str(m) for m in client.get(url).context["messages"]] == [
        "Cette évaluation a déjà été envoyée.",
        "Cette évaluation a déjà été envoyée.",
    ]


def test_the_page_shows_both_buttons_of_one_form(setup, juror, assignment):
    response = _client(juror.user).get(setup.url("evaluation", REFERENCE))

    content = response.content.decode()
    assert f'<form class="form" method="post" action="{setup.url("evaluation", REFERENCE)}"' in (
        content
    )
    assert (
        '<button type="submit" class="button" formaction="'
        f'{setup.url("evaluation_submit", REFERENCE)}">'
        "Envoyer l'évaluation</button>"
    ) in content


def test_sending_is_post_only(setup, juror, assignment):
    response = _client(juror.user).get(setup.url("evaluation_submit", REFERENCE))

    assert response.status_code == 405
    assert not Evaluation.objects.exists()


def test_submit_incomplete_keeps_what_was_typed(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE),
        _post(setup, "3", "", "4", overall="Mon avis."),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Pour envoyer l'évaluation, notez chaque critère de 0 à 5 ou jugez-le insuffisant. "
        "Critères sans note : « Usagers »."
    ]
    assert form[f"score_{setup.criteria[0].pk}"].value() == "3"
    assert form["overall_comment"].value() == "Mon avis."
    assert not Evaluation.objects.exists()


def test_insufficient_without_comment_shows_the_criterion(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation", REFERENCE), _post(setup, "3", "insuffisant", "")
    )

    assert response.status_code == 400
    assert response.context["form"].errors[f"comment_{setup.criteria[1].pk}"] == [
        "Vous jugez le critère « Usagers » insuffisant : expliquez pourquoi dans le commentaire."
    ]


def test_stale_save_is_refused_with_a_message_and_the_typed_values(setup, juror, assignment):
    client = _client(juror.user)
    url = setup.url("evaluation", REFERENCE)
    client.post(url, _post(setup, "3", "", ""))  # version 1, from another tab

    response = client.post(url, _post(setup, "5", "5", "", overall="Ma saisie."))

    assert response.status_code == 409
    form = response.context["form"]
    assert form.non_field_errors()[0].startswith(
        "Cette évaluation a été enregistrée depuis un autre onglet"
    )
    assert form["overall_comment"].value() == "Ma saisie."
    assert form["version"].value() == "1"
    assert Evaluation.objects.get(assignment=assignment).overall_comment == ""


def test_no_form_when_the_phase_does_not_allow_scoring():
    setup = make_setup(may_score=False)
    juror = setup.juror("Claire Martin")
    setup.assign(juror, setup.dossier(REFERENCE))
    client = _client(juror.user)

    page = client.get(setup.url("evaluation", REFERENCE))
    assert page.status_code == 200
    assert page.context["form"] is None
    for name in ("evaluation", "evaluation_submit"):
        assert client.post(setup.url(name, REFERENCE), _post(setup, "3", "3", "3")).status_code == (
            403
        )
    assert not Evaluation.objects.exists()
