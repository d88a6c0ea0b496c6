"""The fetch-and-check helper every app's views use, low in the house (palmares/permissions.py)."""

import ast
from pathlib import Path

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from accounts.rules import is_confirmed_member_of
from palmares import permissions
from palmares.permissions import get_object_or_404_with_perm
from territories.models import Organisation

PERM = "tests.edit_organisation"
APPS = frozenset(
    [
        "territories",
        "accounts",
        "contests",
        "applications",
        "jury",
        "awards",
        "catalogue",
        "opendata",
    ]
)


@pytest.fixture(autouse=True)
def member_permission():
    rules.add_perm(PERM, is_confirmed_member_of)
    yield
    rules.remove_perm(PERM)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_member_may_get_the_object(applicant, rennes):
    organisation = get_object_or_404_with_perm(
        _request(applicant), PERM, Organisation, slug=rennes.slug
    )

    assert organisation == rennes


def test_member_of_another_organisation_may_not(other_applicant, rennes):
    with pytest.raises(PermissionDenied):
        get_object_or_404_with_perm(_request(other_applicant), PERM, Organisation, slug=rennes.slug)


def test_visitor_may_not(rennes):
    with pytest.raises(PermissionDenied):
        get_object_or_404_with_perm(_request(AnonymousUser()), PERM, Organisation, slug=rennes.slug)


def test_missing_object_is_404_before_any_permission(applicant):
    with pytest.raises(Http404):
        get_object_or_404_with_perm(_request(applicant), PERM, Organisation, slug="nulle-part")


def test_queryset_narrows_the_lookup(applicant, rennes):
    with pytest.raises(Http404):
        get_object_or_404_with_perm(
            _request(applicant), PERM, Organisation.objects.epcis(), slug=rennes.slug
        )


def _imported_packages(path: Path) -> set[str]:
    packages = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            packages.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            packages.add(node.module.split(".")[0])
    return packages


def test_the_helper_imports_no_app():
    """Every app imports it, so it may import none of them (lazily neither)."""
    imported = _imported_packages(Path(permissions.__file__))

    assert imported & APPS == set()
    assert "django" in imported  # the walk did read the imports
