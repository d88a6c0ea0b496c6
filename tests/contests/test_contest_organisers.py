"""Organisers of one contest may be kept to it; organisers kept to no contest keep them all."""

import pytest
from django.urls import reverse

from contests import organisers
from contests.models import ContestOrganiser, Edition
from contests.rules import is_contest_organiser
from tests.factories import UserFactory

from .conftest import domain

LABEL, STARTUP = "label-territoire-innovant", "start-up-interconnectee"


@pytest.fixture
def startup_organiser(startup, organiser):
    user = UserFactory(email="organisateur@start-up.exemple.fr", is_organiser=True)
    organisers.keep_to_contest(startup, user, by=organiser)
    return user


@pytest.fixture
def startup_client(client, startup_organiser):
    client.force_login(startup_organiser)
    return client


def test_an_organiser_kept_to_contest_b_may_edit_b(startup_client):
    response = startup_client.get(reverse("contests:contest_update", args=[STARTUP]))

    assert response.status_code == 200


def test_an_organiser_kept_to_contest_b_may_not_edit_contest_a(startup_client, label, organiser):
    domain.create_edition(label, 2027, by=organiser)

    assert startup_client.get(reverse("contests:contest_update", args=[LABEL])).status_code == 403
    assert startup_client.get(reverse("contests:contest_levels", args=[LABEL])).status_code == 403
    assert (
        startup_client.get(reverse("contests:edition_detail", args=[LABEL, 2027])).status_code
        == 403
    )
    assert startup_client.get(reverse("contests:edition_create", args=[LABEL])).status_code == 403


def test_a_global_organiser_keeps_every_contest(organiser_client, startup_organiser):
    for slug in (LABEL, STARTUP):
        url = reverse("contests:contest_update", args=[slug])
        assert organiser_client.get(url).status_code == 200


def test_dashboard_lists_only_the_organisers_contests(startup_client, organiser_client):
    kept = startup_client.get(reverse("contests:dashboard")).content.decode()
    every = organiser_client.get(reverse("contests:dashboard")).content.decode()

    assert ("Start-up Interconnectée" in kept, "Label Territoire Innovant" in kept) == (True, False)
    assert ("Start-up Interconnectée" in every, "Label Territoire Innovant" in every) == (
        True,
        True,
    )


def test_the_predicate_reads_the_contest_of_an_edition(
    startup_organiser, label, startup, organiser
):
    label_edition = domain.create_edition(label, 2027, by=organiser)
    startup_edition = domain.create_edition(startup, 2027, by=organiser)
    fresh = type(startup_organiser).objects.get(pk=startup_organiser.pk)

    assert is_contest_organiser(fresh, startup_edition) is True
    assert is_contest_organiser(fresh, label_edition) is False
    assert is_contest_organiser(organiser, label_edition) is True
    assert fresh.has_perm("applications.manage_applications", startup_edition) is True
    assert fresh.has_perm("applications.manage_applications", label_edition) is False


def test_a_global_organiser_keeps_an_organiser_to_a_contest(organiser_client, organiser, label):
    UserFactory(email="nouvelle@label.exemple.fr", is_organiser=True)

    response = organiser_client.post(
        reverse("contests:contest_organiser_add", args=[LABEL]),
        {"email": "nouvelle@label.exemple.fr"},
    )

    assert response.status_code == 302
    assert list(ContestOrganiser.objects.values_list("contest__slug", "user__email")) == [
        (LABEL, "nouvelle@label.exemple.fr")
    ]


def test_an_organiser_kept_to_a_contest_may_not_give_the_role(startup_client):
    UserFactory(email="ami@start-up.exemple.fr", is_organiser=True)

    response = startup_client.post(
        reverse("contests:contest_organiser_add", args=[STARTUP]),
        {"email": "ami@start-up.exemple.fr"},
    )

    assert response.status_code == 403
    assert not ContestOrganiser.objects.filter(user__email="ami@start-up.exemple.fr").exists()


def test_someone_who_is_no_organiser_is_not_given_a_contest(organiser_client, applicant):
    response = organiser_client.post(
        reverse("contests:contest_organiser_add", args=[LABEL]),
        {"email": applicant.email},
        follow=True,
    )

    assert "n&#x27;est pas organisateur" in response.content.decode()
    assert not ContestOrganiser.objects.filter(user=applicant).exists()


def test_removing_an_organisers_last_contest_is_refused(
    organiser_client, startup_organiser, startup
):
    response = organiser_client.post(
        reverse("contests:contest_organiser_remove", args=[STARTUP]),
        {"email": startup_organiser.email},
        follow=True,
    )

    assert "n&#x27;organise que ce concours" in response.content.decode()
    assert ContestOrganiser.objects.filter(user=startup_organiser, contest=startup).exists()


def test_removing_one_of_two_contests_keeps_the_other(
    organiser_client, organiser, startup_organiser, label, startup
):
    organisers.keep_to_contest(label, startup_organiser, by=organiser)

    organiser_client.post(
        reverse("contests:contest_organiser_remove", args=[LABEL]),
        {"email": startup_organiser.email},
    )

    assert list(
        ContestOrganiser.objects.filter(user=startup_organiser).values_list(
            "contest__slug", flat=True
        )
    ) == [STARTUP]


def test_a_kept_organiser_who_creates_a_contest_organises_it(startup_client, startup_organiser):
    from .test_contest_pages import contest_post

    startup_client.post(reverse("contests:contest_create"), contest_post())

    assert sorted(
        ContestOrganiser.objects.filter(user=startup_organiser).values_list(
            "contest__slug", flat=True
        )
    ) == ["label-numerique-inclusif", STARTUP]
    assert Edition.objects.count() == 0
