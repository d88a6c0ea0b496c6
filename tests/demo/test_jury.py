"""seed_demo --stage jury on the real referential: the demo selection, built by the domain."""

import pytest
from django.core.management import call_command

from applications.enums import ApplicationState
from applications.models import Application
from contests import activity
from contests.domain import current_phase
from contests.models import Edition
from jury.enums import ConflictReason, EvaluationState
from jury.models import Assignment, Conflict, Evaluation, Juror, Round

pytestmark = pytest.mark.django_db


def test_the_jury_stage_continues_the_applications_stage(capsys):
    call_command("seed_demo", stage="jury", year=2028)
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "Sélection régionale en cours : 7 dossiers, 10 jurés, 21 affectations, "
        "12 évaluations envoyées."
    )
    edition = Edition.objects.get(year=2028)
    assert current_phase(edition).kind == "regional_selection"
    assert (
        Application.objects.filter(edition=edition, state=ApplicationState.INELIGIBLE).count() == 2
    )
    regional = Round.objects.get(edition=edition, slug="grand-ouest")
    assert regional.next_round.slug == "national"
    # Every dossier of the round is led from the four régions of the Grand Ouest.
    regions = {
        entry.application.lead_organisation.region.insee_code
        for entry in regional.entries.select_related("application__lead_organisation__region")
    }
    assert regions <= {"53", "52", "28", "24"}
    # The Région Bretagne's juror is in conflict with the three Breton dossiers and has none.
    bretagne = Juror.objects.get(round=regional, institution__kind="region")
    conflicts = Conflict.objects.filter(member=bretagne.member)
    assert set(conflicts.values_list("reason_code", flat=True)) == {ConflictReason.WITHIN_REGION}
    assert conflicts.count() == 3
    assert not Assignment.objects.filter(
        juror=bretagne, application__in=conflicts.values("application")
    ).exists()
    # Three jurors of three institutions per dossier.
    for entry in regional.entries.all():
        jurors = Juror.objects.filter(assignments__application=entry.application, round=regional)
        assert len({juror.institution_key for juror in jurors}) == 3
    assert Evaluation.objects.filter(state=EvaluationState.SUBMITTED).count() == 12
    assert regional.entries.filter(score__isnull=False).count() == 7
    assert activity.verify() is None


def test_running_the_jury_stage_again_changes_nothing(capsys):
    call_command("seed_demo", stage="jury", year=2028)
    assignments = Assignment.objects.count()
    call_command("seed_demo", stage="jury", year=2028)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "L'édition Label Territoire Innovant 2028 a déjà ses tours de sélection."
    )
    assert Assignment.objects.count() == assignments
