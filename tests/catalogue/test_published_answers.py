"""Answers to questions an organiser marked « publiée avec le label » show on the laureate's
public page; the others, and files, do not."""

import pytest
from django.urls import reverse

from contests.models import Contest
from tests.factories import AnswerFactory, ApplicationFactory, QuestionFactory

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def laureate(rennes):
    edition, levels = make_edition(Contest.objects.get(slug="label-territoire-innovant"), 2026)
    set_current_phase(edition, "published", results_public=True)
    application = ApplicationFactory(edition=edition, lead_organisation=rennes, state="awarded")
    award = make_award(edition, "Guichet numérique", "Rennes", level=levels["or"])
    award.application = application
    award.save(update_fields=["application"])
    public = QuestionFactory(
        edition=edition, label="Nombre d'agents formés", visibility="published", position=1
    )
    private = QuestionFactory(edition=edition, label="Budget détaillé", visibility="jury")
    document = QuestionFactory(
        edition=edition, label="Plan de formation", visibility="published", kind="file"
    )
    AnswerFactory(application=application, question=public, value="12")
    AnswerFactory(application=application, question=private, value="Confidentiel 4 000 €")
    AnswerFactory(application=application, question=document, value="", file="x/plan.pdf")
    return award


def test_published_answers_show_on_the_laureate_page(visitor, laureate):
    page = visitor.get(reverse("catalogue:project", kwargs={"slug": laureate.slug}))
    html = page.content.decode()

    assert '<h2 id="projet-reponses">Le projet en quelques réponses</h2>' in html
    assert "<dt>Nombre d&#x27;agents formés</dt><dd>12</dd>" in html


def test_answers_for_the_jury_and_files_stay_private(visitor, laureate):
    html = visitor.get(reverse("catalogue:project", kwargs={"slug": laureate.slug})).content
    html = html.decode()

    assert "Budget détaillé" not in html
    assert "Confidentiel" not in html
    assert "Plan de formation" not in html


def test_a_historical_laureate_without_dossier_has_no_answers_section(visitor, rennes):
    edition, levels = make_edition(
        Contest.objects.get(slug="label-territoire-innovant"), 2010, is_historical=True
    )
    award = make_award(edition, "Projet ancien", "Rennes", level=levels["or"])

    html = visitor.get(reverse("catalogue:project", kwargs={"slug": award.slug})).content.decode()

    assert "Le projet en quelques réponses" not in html
