"""The dashboard and the pages that create, edit and copy an edition."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from contests.enums import PhaseKind
from contests.models import Edition, Event
from tests.factories import AwardFactory, EditionFactory, PhaseFactory, ThemeFactory

from .conftest import paris

DASHBOARD = reverse("contests:dashboard")
EDITION_2027 = "/organisation/concours/label-territoire-innovant/2027/"

LIMITS = {
    "max_video_minutes": "10",
    "max_file_megabytes": "10",
    "max_dossier_megabytes": "50",
    "elimination_rule": "any",
}


def open_edition(contest, year: int) -> Edition:
    """An edition in its applications phase, with two themes and one award."""
    edition = EditionFactory(contest=contest, year=year)
    PhaseFactory(
        edition=edition,
        kind=PhaseKind.APPLICATIONS_OPEN,
        starts_at=timezone.now() - timedelta(days=1),
    )
    ThemeFactory.create_batch(2, edition=edition)
    AwardFactory(edition=edition)
    return edition


def test_dashboard_lists_editions_with_phase_and_counts(organiser_client, label):
    open_edition(label, 2027)
    EditionFactory(contest=label, year=2013, is_historical=True)

    response = organiser_client.get(DASHBOARD)

    assertContains(
        response,
        f'<tr><th scope="row"><a href="{EDITION_2027}">2027</a></th>'
        "<td>Candidatures ouvertes</td><td>2</td><td>0</td><td>1</td></tr>",
        html=True,
    )
    assertContains(
        response,
        '<tr><th scope="row"><a href="/organisation/concours/label-territoire-innovant/2013/">'
        "2013</a></th><td>Édition historique</td><td>0</td><td>0</td><td>0</td></tr>",
        html=True,
    )
    assertContains(response, "<p>Aucune édition pour l'instant.</p>", html=True)  # start-ups


@pytest.mark.parametrize("editions", [1, 3])
def test_dashboard_queries_do_not_grow_with_editions(
    organiser_client, label, django_assert_num_queries, editions
):
    for year in range(2027, 2027 + editions):
        open_edition(label, year)

    # session, user, undelivered emails (the outbox's notice), pending membership requests,
    # contests, editions with their counts, phases
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(8):
        response = organiser_client.get(DASHBOARD)

    assert response.content.decode().count("<td>Candidatures ouvertes</td>") == editions


def test_create_edition_adds_the_defaults(organiser_client, label):
    url = reverse("contests:edition_create", kwargs={"contest_slug": label.slug})

    response = organiser_client.post(url, {"year": "2027", "with_defaults": "on"})

    assertRedirects(response, EDITION_2027)
    edition = Edition.objects.get(contest=label, year=2027)
    assert (edition.levels.count(), edition.criteria.count(), edition.phases.count()) == (3, 6, 10)


def test_create_edition_offers_the_year_after_the_latest(organiser_client, edition):
    url = reverse("contests:edition_create", kwargs={"contest_slug": "label-territoire-innovant"})

    response = organiser_client.get(url)

    assert response.context["form"]["year"].value() == 2028


def test_create_edition_refuses_an_existing_year_and_keeps_it(organiser_client, edition):
    url = reverse("contests:edition_create", kwargs={"contest_slug": "label-territoire-innovant"})

    response = organiser_client.post(url, {"year": "2027"})

    assert response.context["form"].errors == {
        "year": ["L'édition 2027 du concours « Label Territoire Innovant » existe déjà."]
    }
    assertContains(response, 'value="2027"')
    assert Edition.objects.filter(year=2027).count() == 1


def test_update_edition_stores_the_forum(organiser_client, edition):
    url = reverse(
        "contests:edition_update", kwargs={"contest_slug": edition.contest.slug, "year": 2027}
    )

    response = organiser_client.post(
        url,
        {
            "year": "2027",
            "max_video_minutes": "8",
            "max_file_megabytes": "10",
            "max_dossier_megabytes": "50",
            "elimination_rule": "any",
            "applications_count": "45",
            "auditioned_count": "28",
            "laureates_count": "",
            "gold_count": "",
            "notes": "Quatre séances d'audition.",
            "forum_city": "Marseille",
            "forum_venue": "Palais du Pharo",
            "forum_starts_on": "2027-04-03",
            "forum_ends_on": "2027-04-04",
        },
    )

    assertRedirects(response, EDITION_2027)
    edition.refresh_from_db()
    assert (
        edition.max_video_minutes,
        edition.applications_count,
        edition.auditioned_count,
        edition.laureates_count,
        edition.notes,
    ) == (8, 45, 28, None, "Quatre séances d'audition.")
    forum = Event.objects.get()
    assert (forum.kind, forum.city, forum.venue, forum.starts_on, forum.ends_on) == (
        "forum",
        "Marseille",
        "Palais du Pharo",
        date(2027, 4, 3),
        date(2027, 4, 4),
    )
    assert edition.forum == forum


def test_update_edition_refuses_a_forum_ending_before_it_starts(organiser_client, edition):
    url = reverse(
        "contests:edition_update", kwargs={"contest_slug": edition.contest.slug, "year": 2027}
    )

    response = organiser_client.post(
        url,
        {
            "year": "2027",
            "max_video_minutes": "10",
            "max_file_megabytes": "10",
            "max_dossier_megabytes": "50",
            "elimination_rule": "any",
            "forum_city": "Marseille",
            "forum_starts_on": "2027-04-04",
            "forum_ends_on": "2027-04-03",
        },
    )

    assert response.context["form"].errors == {
        "forum_ends_on": ["Le dernier jour de la cérémonie ne peut pas précéder le premier."]
    }
    assertContains(response, 'value="Marseille"')
    assertContains(response, 'value="2027-04-03"')
    assert Event.objects.count() == 0


def test_update_edition_refuses_the_year_of_another_edition(organiser_client, edition):
    EditionFactory(contest=edition.contest, year=2028)
    url = reverse(
        "contests:edition_update", kwargs={"contest_slug": edition.contest.slug, "year": 2027}
    )

    response = organiser_client.post(url, {**LIMITS, "year": "2028"})

    assert response.context["form"].errors == {
        "year": ["L'édition 2028 du concours « Label Territoire Innovant » existe déjà."]
    }
    assertContains(
        response, "<h1>Modifier l'édition Label Territoire Innovant 2027</h1>", html=True
    )
    assert Edition.objects.get(pk=edition.pk).year == 2027


def test_copy_page_offers_the_next_year(organiser_client, edition):
    response = organiser_client.get(f"{EDITION_2027}copier/")

    assertContains(response, 'value="2028"')


def test_copy_creates_next_years_edition(organiser_client, edition):
    response = organiser_client.post(f"{EDITION_2027}copier/", {"year": "2028"})

    assertRedirects(response, "/organisation/concours/label-territoire-innovant/2028/")
    copy = Edition.objects.get(contest=edition.contest, year=2028)
    assert copy.phases.get(kind=PhaseKind.DRAFT).starts_at == paris(2027, 6, 1, 9)
    assert (copy.levels.count(), copy.criteria.count()) == (3, 6)


def test_copy_refuses_an_existing_year(organiser_client, edition):
    EditionFactory(contest=edition.contest, year=2028)

    response = organiser_client.post(f"{EDITION_2027}copier/", {"year": "2028"})

    assert response.context["form"].errors == {
        "year": ["L'édition 2028 du concours « Label Territoire Innovant » existe déjà."]
    }
    assertContains(response, 'value="2028"')


def test_update_edition_refuses_a_dossier_limit_below_the_file_limit(organiser_client, edition):
    url = reverse(
        "contests:edition_update", kwargs={"contest_slug": edition.contest.slug, "year": 2027}
    )

    response = organiser_client.post(
        url, {**LIMITS, "year": "2027", "max_file_megabytes": "20", "max_dossier_megabytes": "15"}
    )

    assert response.context["form"].errors == {
        "max_dossier_megabytes": [
            "La limite par dossier ne peut pas être inférieure à la limite par pièce jointe."
        ]
    }
    assertContains(response, 'value="20"')
    edition.refresh_from_db()
    assert (edition.max_file_megabytes, edition.max_dossier_megabytes) == (10, 50)
