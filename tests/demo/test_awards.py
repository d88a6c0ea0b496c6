"""seed_demo --stage deliberation and --stage published on the real referential."""

import pytest
from django.core.management import call_command

from applications.enums import ApplicationState
from awards.enums import DeliberationState
from awards.models import Award, Deliberation
from contests import activity
from contests.domain import results_are_public
from jury.models import Audition, AuditionSession

pytestmark = pytest.mark.django_db


def test_the_demo_goes_from_the_auditions_to_a_published_palmares(capsys):
    call_command("seed_demo", stage="deliberation", year=2029)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (
        "Délibération ouverte : 6 dossiers auditionnés en 4 séances, 6 labels proposés."
    )
    deliberation = Deliberation.objects.get(edition__year=2029)
    assert deliberation.round.slug == "auditions"
    assert AuditionSession.objects.filter(round=deliberation.round).count() == 4
    assert Audition.objects.filter(round=deliberation.round).count() == 6
    assert not results_are_public(deliberation.edition)
    assert not Award.objects.filter(edition=deliberation.edition).exists()
    changed = deliberation.decisions.exclude(reason="")
    assert [(d.proposed_level.code, d.level.code) for d in changed] == [("or", "argent")]

    call_command("seed_demo", stage="published", year=2029)
    assert capsys.readouterr().out.splitlines()[-1] == "Résultats publiés : 6 labels."
    deliberation.refresh_from_db()
    assert deliberation.state == DeliberationState.PUBLISHED
    assert results_are_public(deliberation.edition)
    assert Award.objects.filter(edition=deliberation.edition).count() == 6
    assert deliberation.edition.applications.filter(state=ApplicationState.AWARDED).count() == 6
    assert activity.verify() is None
    call_command("seed_demo", stage="published", year=2029)
    assert Award.objects.filter(edition=deliberation.edition).count() == 6
