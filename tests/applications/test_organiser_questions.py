"""Organisers define an edition's extra questions as a formset."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from applications.models import Question
from contests.models import Contest
from tests.factories import AnswerFactory, ApplicationFactory, EditionFactory, QuestionFactory

URL = reverse(
    "applications:edition_questions",
    kwargs={"contest_slug": "label-territoire-innovant", "year": 2026},
)
FIELDS = ("label", "help_text", "kind", "choices", "required", "visibility", "position")


@pytest.fixture
def edition(db):
    return EditionFactory(contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026)


def formset_data(*rows: dict, initial: int = 0) -> dict[str, object]:
    data: dict[str, object] = {
        "questions-TOTAL_FORMS": len(rows),
        "questions-INITIAL_FORMS": initial,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        defaults = {"kind": "short_text", "visibility": "jury", "position": index}
        data.update(
            {f"questions-{index}-{key}": value for key, value in {**defaults, **row}.items()}
        )
    return data


def stored(edition) -> list[tuple]:
    return list(Question.objects.filter(edition=edition).values_list(*FIELDS))


def test_organiser_adds_a_choice_question_and_a_number_question(organiser_client, edition):
    response = organiser_client.post(
        URL,
        formset_data(
            {
                "label": "Quel public ?",
                "kind": "multiple_choice",
                "choices": " Habitants \n\nAgents\r\nEntreprises  ",
                "required": "on",
                "visibility": "published",
                "position": 1,
            },
            {"label": "Nombre d'usagers", "help_text": "Par an.", "kind": "number", "position": 2},
        ),
    )

    assertRedirects(response, URL)
    assert stored(edition) == [
        (
            "Quel public ?",
            "",
            "multiple_choice",
            "Habitants\nAgents\nEntreprises",
            True,
            "published",
            1,
        ),
        ("Nombre d'usagers", "Par an.", "number", "", False, "jury", 2),
    ]


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_choice_question_needs_at_least_two_choices(organiser_client, edition, kind):
    response = organiser_client.post(
        URL, formset_data({"label": "Quel public ?", "kind": kind, "choices": "Habitants"})
    )

    assert response.context["formset"].errors == [
        {"choices": ["Une question à choix demande au moins deux choix, un par ligne."]}
    ]
    assert stored(edition) == []
    # What was typed is kept.
    assertContains(response, ">\nHabitants</textarea>")


@pytest.mark.parametrize("kind", ["short_text", "long_text", "number", "file"])
def test_other_kinds_may_not_have_choices(organiser_client, edition, kind):
    response = organiser_client.post(
        URL, formset_data({"label": "Votre budget", "kind": kind, "choices": "Oui\nNon"})
    )

    assert response.context["formset"].errors == [
        {
            "choices": [
                "Seules les questions à choix unique ou multiple ont des choix : videz ce champ "
                "ou changez le type de réponse."
            ]
        }
    ]


def test_a_choice_may_not_be_repeated(organiser_client, edition):
    response = organiser_client.post(
        URL,
        formset_data({"label": "Public", "kind": "single_choice", "choices": "Oui\nNon\nOui"}),
    )

    assert response.context["formset"].errors == [
        {"choices": ["Ce choix figure plusieurs fois : « Oui »."]}
    ]


def test_a_question_already_answered_may_not_be_deleted(organiser_client, edition):
    question = QuestionFactory(edition=edition, label="Votre budget")
    AnswerFactory(question=question, application=ApplicationFactory(edition=edition))

    response = organiser_client.post(
        URL,
        formset_data({"id": question.pk, "label": "Votre budget", "DELETE": "on"}, initial=1),
    )

    assert response.context["formset"].non_form_errors() == [
        "La question « Votre budget » a déjà des réponses : elle ne peut pas être supprimée."
    ]
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_question_not_answered_may_be_deleted(organiser_client, edition):
    question = QuestionFactory(edition=edition, label="Votre budget")

    organiser_client.post(
        URL, formset_data({"id": question.pk, "label": "Votre budget", "DELETE": "on"}, initial=1)
    )

    assert stored(edition) == []


def test_an_answered_question_keeps_its_kind(organiser_client, edition):
    question = QuestionFactory(edition=edition, label="Votre budget", kind="short_text")
    AnswerFactory(question=question, application=ApplicationFactory(edition=edition))

    response = organiser_client.post(
        URL, formset_data({"id": question.pk, "label": "Votre budget", "kind": "number"}, initial=1)
    )

    assert response.context["formset"].errors == [
        {
            "kind": [
                "Des dossiers ont déjà répondu à cette question : son type de réponse ne peut "
                "plus changer."
            ]
        }
    ]


def test_questions_of_another_edition_are_not_shown(organiser_client, edition):
    QuestionFactory(edition=EditionFactory(), label="Question d'une autre édition")
    QuestionFactory(edition=edition, label="Votre budget")

    response = organiser_client.get(URL)

    assert [form.instance.label for form in response.context["formset"].initial_forms] == [
        "Votre budget"
    ]


def test_applicant_may_not_add_a_question(applicant_client, edition):
    response = applicant_client.post(URL, formset_data({"label": "Question pirate"}))

    assert (response.status_code, stored(edition)) == (403, [])
