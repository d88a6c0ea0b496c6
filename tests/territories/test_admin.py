"""The technical admin of the referential: searchable on 36,000 rows without loading them all."""

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory

CHANGELIST = reverse("admin:territories_organisation_changelist")


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("EPERNAY", ["Épernay", "Épernay-sous-Gevrey"]),
        ("35238", ["Rennes"]),
        ("2a004", ["Ajaccio"]),
    ],
)
def test_superuser_may_search_the_referential(superuser_client, query, names):
    response = superuser_client.get(CHANGELIST, {"q": query, "kind__exact": "commune"})

    assert [o.name for o in response.context["cl"].result_list] == names


def test_change_page_uses_raw_id_inputs(superuser_client, rennes):
    response = superuser_client.get(
        reverse("admin:territories_organisation_change", args=[rennes.pk])
    )

    assert response.status_code == 200
    assert 'class="vForeignKeyRawIdAdminField"' in response.text
    # A select of every commune would be megabytes long.
    assert response.text.count("<option") < 100


def test_organiser_may_not_use_the_admin(organiser_client):
    response = organiser_client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
