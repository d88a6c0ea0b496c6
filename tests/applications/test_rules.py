"""The access policy of dossiers, persona by persona: every "may" has its "may not"."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from applications import domain
from applications import rules as application_rules
from applications.enums import ApplicationState
from contests.models import Phase

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["applicant", "partner_applicant", "other_applicant", "pending_applicant", "organiser"]


@pytest.fixture
def users(request):
    """Persona name → user; "anonymous" is the anonymous visitor."""

    def get(name):
        return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)

    return get


def _close_applications(edition) -> None:
    Phase.objects.filter(edition=edition, kind="applications_closed").update(
        starts_at=timezone.now() - timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("applicant", True),
        ("partner_applicant", True),
        ("organiser", True),
        ("other_applicant", False),
        ("pending_applicant", False),
        ("anonymous", False),
    ],
)
def test_view_dossier(dossier, users, persona, expected):
    assert users(persona).has_perm("applications.view_dossier", dossier) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("applicant", True),
        ("partner_applicant", True),
        ("organiser", False),
        ("other_applicant", False),
        ("pending_applicant", False),
        ("anonymous", False),
    ],
)
@pytest.mark.parametrize("perm", ["edit_dossier", "submit_application"])
def test_change_and_submit_a_draft(dossier, users, persona, expected, perm):
    assert users(persona).has_perm(f"applications.{perm}", dossier) is expected


@pytest.mark.parametrize("perm", ["edit_dossier", "submit_application"])
def test_draft_may_not_be_changed_once_the_phase_is_over(dossier, applicant, perm):
    _close_applications(dossier.edition)
    assert applicant.has_perm(f"applications.{perm}", dossier) is False


@pytest.mark.parametrize("perm", ["edit_dossier", "submit_application"])
def test_submitted_dossier_may_not_be_changed(complete_dossier, applicant, perm):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    assert applicant.has_perm(f"applications.{perm}", submitted) is False


@pytest.mark.parametrize("perm", ["edit_dossier", "submit_application"])
def test_reopened_dossier_may_be_changed_after_the_phase(
    complete_dossier, applicant, organiser, perm
):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    reopened = domain.reopen_application(submitted, by=organiser, reason="Budget à préciser")
    _close_applications(reopened.edition)
    assert applicant.has_perm(f"applications.{perm}", reopened) is True


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("applicant", True),
        ("partner_applicant", True),
        ("organiser", False),
        ("other_applicant", False),
        ("pending_applicant", False),
        ("anonymous", False),
    ],
)
def test_withdraw_a_draft(dossier, users, persona, expected):
    assert users(persona).has_perm("applications.withdraw_application", dossier) is expected


def test_withdrawn_dossier_may_not_be_withdrawn(dossier, applicant):
    withdrawn = domain.withdraw_application(dossier, by=applicant)
    assert applicant.has_perm("applications.withdraw_application", withdrawn) is False


def test_awarded_dossier_may_not_be_withdrawn(dossier, applicant):
    dossier.state = ApplicationState.AWARDED
    assert applicant.has_perm("applications.withdraw_application", dossier) is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("organiser", True),
        ("applicant", False),
        ("partner_applicant", False),
        ("other_applicant", False),
        ("anonymous", False),
    ],
)
def test_manage_applications(open_edition, users, persona, expected):
    user = users(persona)
    assert user.has_perm("applications.manage_applications", open_edition) is expected
    assert user.has_perm("applications.manage_applications") is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("organiser", True),
        ("applicant", False),
        ("partner_applicant", False),
        ("other_applicant", False),
        ("anonymous", False),
    ],
)
def test_reopen_a_submitted_dossier(complete_dossier, applicant, users, persona, expected):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    assert users(persona).has_perm("applications.reopen_application", submitted) is expected


def test_draft_may_not_be_reopened(dossier, organiser):
    assert organiser.has_perm("applications.reopen_application", dossier) is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("applicant", True),
        ("other_applicant", True),
        ("pending_applicant", False),
        ("organiser", False),  # organisers do not apply, unless they act for a structure
        ("anonymous", False),
    ],
)
def test_create_application_in_an_open_edition(open_edition, users, persona, expected):
    assert users(persona).has_perm("applications.create_application", open_edition) is expected


def test_create_application_in_a_closed_edition_is_refused(open_edition, applicant):
    _close_applications(open_edition)
    assert applicant.has_perm("applications.create_application", open_edition) is False


def test_user_without_structure_may_not_create(open_edition):
    assert UserFactory().has_perm("applications.create_application", open_edition) is False


# Higher apps add readers of a dossier through a hook (jury: its jurors), read at check time.
@pytest.fixture
def no_registered_reader(monkeypatch):
    monkeypatch.setattr(application_rules, "_dossier_readers", [])


@rules.predicate
def is_other_applicant(user, application) -> bool:
    return user.email == "agent@brest.fr"


def test_a_reader_registered_after_import_may_read(no_registered_reader, dossier, other_applicant):
    application_rules.register_dossier_reader(is_other_applicant)
    application_rules.register_dossier_reader(is_other_applicant)

    assert other_applicant.has_perm("applications.read_dossier", dossier) is True
    assert application_rules._dossier_readers == [is_other_applicant]


def test_without_a_registered_reader_others_may_not_read(
    no_registered_reader, dossier, other_applicant
):
    assert other_applicant.has_perm("applications.read_dossier", dossier) is False
