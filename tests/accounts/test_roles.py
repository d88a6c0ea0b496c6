"""Roles mean what the policy says: a superuser is a technical role with no domain powers."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_superuser_is_refused_every_domain_permission_an_organiser_has():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    organiser = UserFactory(is_organiser=True)

    for perm in ("contests.view_dashboard", "contests.create_edition", "accounts.list_memberships"):
        assert organiser.has_perm(perm) is True, perm
        assert superuser.has_perm(perm) is False, perm


def test_superuser_keeps_the_technical_admin_model_permissions():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    organiser = UserFactory(is_organiser=True)

    assert superuser.has_perm("accounts.view_user") is True
    assert superuser.has_perm("accounts.change_membership") is True
    assert organiser.has_perm("accounts.view_user") is False


def test_an_inactive_organiser_has_no_domain_permission():
    assert (
        UserFactory(is_organiser=True, is_active=False).has_perm("contests.view_dashboard") is False
    )


def test_create_superuser_makes_a_technical_admin_not_an_organiser():
    user = User.objects.create_superuser("technique@interconnectes.fr", "a-long-password-1")

    assert (user.is_superuser, user.is_staff, user.is_organiser) == (True, True, False)


def test_check_reports_a_superuser_who_is_also_organiser():
    UserFactory(email="double@interconnectes.fr", is_superuser=True, is_organiser=True)
    UserFactory(email="technique@interconnectes.fr", is_superuser=True)

    warnings = [m for m in run_checks(databases=["default"]) if m.id == "accounts.W001"]

    assert [w.msg for w in warnings] == [
        "Superuser account(s) also organiser: double@interconnectes.fr."
    ]


def test_migrate_runs_the_check_on_a_fresh_database(tmp_path):
    """`migrate` runs the checks before it creates the tables: W001 waits for them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "palmares.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert (result.returncode, result.stderr) == (0, "")


def test_check_is_silent_when_roles_are_separate():
    UserFactory(is_superuser=True)
    UserFactory(is_organiser=True)

    assert [m for m in run_checks(databases=["default"]) if m.id == "accounts.W001"] == []


def _add_organiser(*args: str) -> str:
    out = StringIO()
    call_command("add_organiser", *args, stdout=out)
    return out.getvalue()


def test_add_organiser_creates_an_organiser_with_a_link_to_choose_a_password(settings):
    settings.SITE_URL = "https://palmares.example"

    output = _add_organiser("Nouvelle@Interconnectes.fr", "--full-name", "Nouvelle Organisatrice")

    user = User.objects.get(email="nouvelle@interconnectes.fr")
    assert (user.is_organiser, user.is_superuser, user.is_staff) == (True, False, False)
    assert user.full_name == "Nouvelle Organisatrice"
    assert user.has_usable_password() is False
    lines = output.splitlines()
    assert lines[:2] == [
        "Compte créé : nouvelle@interconnectes.fr",
        "Organisateur : nouvelle@interconnectes.fr",
    ]
    assert lines[2].startswith("Lien pour choisir le mot de passe : https://palmares.example/")


def test_add_organiser_promotes_an_existing_account_without_touching_its_password(applicant):
    output = _add_organiser("agent@rennes.fr")

    applicant.refresh_from_db()
    assert applicant.is_organiser is True
    assert applicant.check_password("mot-de-passe-solide-42") is True
    assert output.splitlines() == ["Organisateur : agent@rennes.fr"]


def test_add_organiser_refuses_a_superuser_and_a_bad_address():
    UserFactory(email="technique@interconnectes.fr", is_superuser=True)

    with pytest.raises(CommandError) as superuser_error:
        _add_organiser("technique@interconnectes.fr")
    with pytest.raises(CommandError) as address_error:
        _add_organiser("pas-une-adresse")

    assert "compte d'administration technique" in str(superuser_error.value)
    assert str(address_error.value) == "Adresse électronique invalide : pas-une-adresse"
    assert User.objects.get(email="technique@interconnectes.fr").is_organiser is False
