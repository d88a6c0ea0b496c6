"""The organisers' list, its mailings and exports target dossiers by eligibility decision."""

import pytest

from applications.enums import ApplicationState
from applications.listing import ApplicationFilterForm
from applications.mailing import plan_mailing
from contests.models import Contest
from tests.factories import ApplicationFactory, EditionFactory

from .factories import EligibilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(rennes, brest, applicant, other_applicant):
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    eligible = ApplicationFactory(
        edition=edition, reference="LTI-2026-0001", lead_organisation=rennes, state="submitted"
    )
    ineligible = ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0002",
        lead_organisation=brest,
        state=ApplicationState.INELIGIBLE,
    )
    undecided = ApplicationFactory(
        edition=edition, reference="LTI-2026-0003", lead_organisation=rennes, state="submitted"
    )
    EligibilityFactory(application=eligible, eligible=True)
    EligibilityFactory(application=ineligible, eligible=False, reason="Hors délai.")
    return edition, eligible, ineligible, undecided


@pytest.mark.parametrize(
    ("decision", "references"),
    [
        ("eligible", ["LTI-2026-0001"]),
        ("ineligible", ["LTI-2026-0002"]),
        ("undecided", ["LTI-2026-0003"]),
        ("", ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003"]),
    ],
)
def test_the_list_filters_by_decision(dossiers, decision, references):
    edition = dossiers[0]
    form = ApplicationFilterForm({"eligibility": decision}, edition=edition)

    found = form.filter(edition.applications.order_by("reference"))

    assert list(found.values_list("reference", flat=True)) == references


def test_an_unknown_decision_is_reported_and_ignored(dossiers):
    edition = dossiers[0]
    form = ApplicationFilterForm({"eligibility": "peut-etre"}, edition=edition)

    found = form.filter(edition.applications.order_by("reference"))

    assert found.count() == 3
    assert form.errors["eligibility"] == [
        "Sélectionnez un choix valide. peut-etre n’en fait pas partie."
    ]


def test_a_mailing_reaches_only_the_ineligible_dossiers(dossiers):
    edition = dossiers[0]

    plan = plan_mailing(edition, {"eligibility": "ineligible"}, "Objet", "Texte")

    assert plan.applications_count == 1
    assert [message.bcc for message in plan.messages] == [["agent@brest.fr"]]
