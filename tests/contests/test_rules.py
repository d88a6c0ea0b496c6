from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from contests.enums import PhaseKind
from contests.rules import (
    edition_results_are_public,
    phase_allows_applying,
    phase_allows_scoring,
)
from tests.factories import EditionFactory, PhaseFactory

PERMISSIONS = [
    "contests.view_dashboard",
    "contests.create_edition",
    "contests.manage_edition",
    "contests.copy_edition",
]


@pytest.fixture
def open_edition(label):
    """Applications opened yesterday; the jury starts scoring tomorrow."""
    edition = EditionFactory(contest=label, year=2027)
    now = timezone.now()
    PhaseFactory(
        edition=edition,
        kind=PhaseKind.APPLICATIONS_OPEN,
        starts_at=now - timedelta(days=1),
        may_apply=True,
    )
    PhaseFactory(
        edition=edition,
        kind=PhaseKind.JURY_SCORING,
        starts_at=now + timedelta(days=1),
        may_score=True,
    )
    return edition


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_organiser_may_manage_editions(organiser, edition, permission):
    assert organiser.has_perm(permission, edition) is True


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_applicant_and_anonymous_may_not_manage_editions(applicant, edition, permission):
    assert applicant.has_perm(permission, edition) is False
    assert AnonymousUser().has_perm(permission, edition) is False


def test_phase_allows_applying_while_applications_are_open(applicant, open_edition):
    assert phase_allows_applying(applicant, open_edition) is True


def test_phase_does_not_allow_scoring_before_the_jury_phase(applicant, open_edition):
    assert phase_allows_scoring(applicant, open_edition) is False


def test_phase_predicates_are_false_without_an_edition(applicant):
    assert phase_allows_applying(applicant, None) is False


def test_results_are_not_public_while_applications_are_open(applicant, open_edition):
    assert edition_results_are_public(applicant, open_edition) is False


def test_results_of_a_historical_edition_are_public(applicant, label):
    historical = EditionFactory(contest=label, year=2013, is_historical=True)

    assert edition_results_are_public(applicant, historical) is True
