"""Jury fills the hooks of the apps below it (JuryConfig.ready): its jurors read the dossiers
assigned to them (applications.read_dossier) and give the second factor (accounts)."""

import pytest

from accounts import second_factor
from applications import rules as application_rules
from jury.enums import JurorState

from .factories import AssignmentFactory, ConflictFactory, JurorFactory

pytestmark = pytest.mark.django_db


def test_an_assigned_juror_may_read_the_dossier():
    assignment = AssignmentFactory()

    assert assignment.juror.user.has_perm("applications.read_dossier", assignment.application)


def test_an_assigned_juror_may_not_read_it_without_the_hook(monkeypatch):
    assignment = AssignmentFactory()
    monkeypatch.setattr(application_rules, "_dossier_readers", [])

    assert not assignment.juror.user.has_perm("applications.read_dossier", assignment.application)


def test_a_juror_in_conflict_may_not_read_the_dossier():
    assignment = AssignmentFactory()
    ConflictFactory(juror=assignment.juror, application=assignment.application)

    assert not assignment.juror.user.has_perm("applications.read_dossier", assignment.application)


def test_an_invited_juror_must_give_the_second_factor():
    juror = JurorFactory(state=JurorState.INVITED)

    assert second_factor.requires_second_factor(juror.user) is True


def test_a_juror_is_not_asked_without_the_hook(monkeypatch):
    juror = JurorFactory(state=JurorState.INVITED)
    monkeypatch.setattr(second_factor, "_roles", {})

    assert second_factor.requires_second_factor(juror.user) is False
