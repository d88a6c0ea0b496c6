"""Domain permissions and Django's model permissions never share a name.

The technical admin asks `<app_label>.<add|change|delete|view>_<model>` with obj=None; a domain
permission of the same name would be decided by the rules there (an organiser would gain an admin
screen, the superuser would lose one), so every name an app's rules.py registers must be free of
them. User.has_perm sends a registered name to the rules for everyone, and any other name to
Django's backends, which grant the superuser its model permissions.
"""

import rules
from django.apps import apps
from rules.permissions import permissions as registered

from tests.factories import ApplicationFactory, UserFactory


def _model_permissions() -> set[str]:
    names = set()
    for model in apps.get_models():
        options = model._meta
        names |= {
            f"{options.app_label}.{action}_{options.model_name}"
            for action in options.default_permissions
        }
        names |= {f"{options.app_label}.{codename}" for codename, _label in options.permissions}
    return names


def test_no_domain_permission_is_named_like_a_model_permission():
    collisions = sorted(set(registered) & _model_permissions())

    assert collisions == [], "Rename these rules.py permissions: " + ", ".join(collisions)


def test_the_check_sees_a_colliding_name():
    rules.add_perm("applications.view_application", rules.always_allow)
    try:
        assert "applications.view_application" in set(registered) & _model_permissions()
    finally:
        rules.remove_perm("applications.view_application")


def test_superuser_keeps_the_admin_model_permissions_but_no_domain_one(db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    dossier = ApplicationFactory()

    assert superuser.has_perm("applications.view_application") is True
    assert superuser.has_perm("territories.add_organisation") is True
    assert superuser.has_perm("applications.view_dossier", dossier) is False
    assert superuser.has_perm("territories.create_organisation") is False


def test_organiser_has_the_domain_permissions_but_no_admin_model_one(db):
    organiser = UserFactory(is_organiser=True)
    dossier = ApplicationFactory()

    assert organiser.has_perm("applications.view_dossier", dossier) is True
    assert organiser.has_perm("territories.create_organisation") is True
    assert organiser.has_perm("applications.view_application") is False
    assert organiser.has_perm("territories.add_organisation") is False
