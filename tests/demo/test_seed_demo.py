"""`seed_demo --stage applications`: an edition with 45 dossiers built by the domain."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.enums import MembershipState
from applications.enums import ApplicationState
from applications.models import Application, Transition
from contests.domain import current_phase
from contests.models import Edition

pytestmark = pytest.mark.django_db

THEMES_2024 = [
    "Inclusion numérique",
    "Participation citoyenne",
    "Service usagers & accessibilité",
    "Modernisation du service public",
    "Gestion des données",
    "Territoire intelligent et responsable",
]


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stage="applications", stdout=out, **options)
    return out.getvalue()


def test_seed_builds_an_open_edition_with_45_dossiers_from_real_organisations():
    output = _seed(year=2040)
    edition = Edition.objects.get(contest__slug="label-territoire-innovant", year=2040)
    assert current_phase(edition).kind == "applications_open"
    assert list(edition.themes.values_list("name", flat=True)) == THEMES_2024
    applications = Application.objects.filter(edition=edition).select_related("theme")
    assert applications.count() == 45
    assert sorted(Counter(a.theme.name for a in applications).values()) == [7, 7, 7, 8, 8, 8]
    states = Counter(applications.values_list("state", flat=True))
    assert states == {ApplicationState.SUBMITTED: 30, ApplicationState.DRAFT: 15}
    assert output.startswith(
        "Édition Label Territoire Innovant 2040 : 45 dossiers, dont 30 déposés"
    )

    # Each dossier is led by a real collectivité, with a demo agent.
    applications = Application.objects.select_related("lead_organisation", "created_by")
    leads = [application.lead_organisation for application in applications]
    assert len({lead.pk for lead in leads}) == 45
    assert all(lead.from_referential for lead in leads)
    first = Application.objects.get(reference="LTI-2040-0001")
    assert first.lead_organisation.name == "Rennes"
    assert first.state == ApplicationState.DRAFT
    assert list(first.partners.values_list("name", flat=True)) == ["Rennes Métropole"]
    assert first.created_by.email == "agent.rennes-35238@demo.palmares.localhost"
    assert first.created_by.memberships.get().state == MembershipState.CONFIRMED
    assert not Application.objects.filter(lead_organisation__name="Brest").exists()

    # Built through the workflow.
    assert Transition.objects.filter(from_state="", to_state="draft").count() == 45
    assert Transition.objects.filter(from_state="draft", to_state="submitted").count() == 30
    submitted = Application.objects.filter(state=ApplicationState.SUBMITTED)
    assert all(len(a.submitted_fingerprint) == 64 for a in submitted)
    assert Application.objects.filter(version=2).count() == 15
    assert Application.objects.filter(version=3).count() == 30


def test_seed_is_the_same_on_every_run():
    _seed(year=2040)
    first = list(Application.objects.values_list("lead_organisation__slug", "title"))
    Application.objects.all().delete()
    Edition.objects.filter(year=2040).delete()
    _seed(year=2040)
    assert list(Application.objects.values_list("lead_organisation__slug", "title")) == first


def test_seed_again_changes_nothing():
    _seed(year=2040)
    assert _seed(year=2040) == (
        "L'édition Label Territoire Innovant 2040 a déjà 45 dossiers : rien à faire.\n"
    )
    assert Application.objects.count() == 45


def test_seed_refuses_an_existing_edition_without_dossiers(label):
    Edition.objects.create(contest=label, year=2040)
    with pytest.raises(CommandError) as refused:
        _seed(year=2040)
    assert str(refused.value) == (
        "L'édition Label Territoire Innovant 2040 existe déjà, sans dossier : elle n'a pas été "
        "modifiée. Choisissez une autre année avec --year."
    )


def test_seed_defaults_to_next_year():
    _seed()
    assert Edition.objects.filter(year=timezone.localdate().year + 1).exists()


def test_seed_refuses_later_stages():
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stage="archived")
    assert str(refused.value) == (
        "Étape inconnue ou pas encore disponible : « archived ». "
        "Étapes disponibles : applications, jury, deliberation, published."
    )
    assert not Application.objects.exists()
