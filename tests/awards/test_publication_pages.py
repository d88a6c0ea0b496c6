"""The organisers' publication page and the publish_results command."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from awards.enums import DeliberationState
from awards.models import Award, Deliberation
from awards.publication import publish
from tests.catalogue.builders import outline
from tests.catalogue.test_map import tables
from tests.factories import AwardFactory, AwardOrganisationFactory

from .publication_setup import (
    ARGENT_SLUG,
    ARGENT_TITLE,
    LAUREATE_SLUG,
    LAUREATE_TITLE,
    deferred_tasks_fixture,  # noqa: F401
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

URL = "/organisation/concours/label-territoire-innovant/2028/publication/"
# Session, user, edition, whether its results are public (awards.publish_results lets an
# organiser in conflict in the edition in only then), deliberation, awards, their organisations,
# their distinctions. +1: the contests the organiser is kept to (contests.rules, once a request).
QUERIES = 9


def test_url_is_named():
    assert reverse("awards:publication", args=["label-territoire-innovant", 2028]) == URL


def test_organiser_sees_what_will_be_published(setup, organiser_client):
    response = organiser_client.get(URL)

    assert response.status_code == 200
    assert tables(response)["Labels par thème et par niveau"] == [
        ["Mobilité", "1", "0", "0", "2"],
        ["Participation citoyenne", "0", "1", "0", "0"],
    ]
    assertContains(response, "2 lauréats · 1 dossier non labellisé · 1 dossier éliminé")
    assertContains(response, '<input type="radio" name="when" value="now"', count=1)
    assertContains(response, '<button type="submit" class="button">Publier le palmarès</button>')


def test_visitor_is_sent_to_login(setup, visitor):
    response = visitor.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/compte/")


@pytest.mark.parametrize("persona", ["applicant_client", "other_applicant_client"])
def test_applicants_may_not_open_the_page(setup, persona, request):
    client = request.getfixturevalue(persona)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"when": "now", "confirm": "on"}).status_code == 403
    assert not Award.objects.exists()


def test_unknown_edition_is_404(setup, organiser_client):
    assert organiser_client.get(URL.replace("2028", "2029")).status_code == 404


def test_organiser_publishes_now(setup, organiser_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(URL, {"when": "now", "confirm": "on"}, follow=True)

    setup.deliberation.refresh_from_db()
    assert setup.deliberation.state == DeliberationState.PUBLISHED
    assertContains(response, "Le palmarès est publié : 2 lauréats.")
    assertContains(response, "Palmarès publié le ")
    assertContains(response, f'<a href="/projets/{LAUREATE_SLUG}/">{LAUREATE_TITLE}</a>')
    assertContains(response, ARGENT_TITLE)
    assertNotContains(response, "Publier le palmarès</button>")


def test_confirmation_is_required(setup, organiser_client):
    response = organiser_client.post(URL, {"when": "now"})

    assert response.status_code == 200
    assertContains(response, "<title>Erreur – Publication du palmarès", html=False)
    assert not Award.objects.exists()


def test_organiser_schedules_in_paris_time(
    setup, organiser, organiser_client, deferred_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            URL, {"when": "later", "publish_at": "2099-04-04T18:00", "confirm": "on"}, follow=True
        )

    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at == datetime(2099, 4, 4, 16, 0, tzinfo=UTC)
    assert setup.deliberation.state == DeliberationState.VALIDATED
    assertContains(
        response, "La publication est programmée le 04/04/2099 à 18:00 (heure de Paris)."
    )
    assertContains(
        response,
        "Publication programmée le 4 avril 2099 à 18:00 (heure de Paris) par "
        f"{organiser.full_name}.",
    )
    assertContains(response, 'value="2099-04-04T18:00"')  # the form shows the chosen moment
    assert [result.task.name for result in deferred_tasks.results] == ["publish_scheduled"]


@pytest.mark.parametrize(
    ("moment", "error"),
    [
        ("", "Indiquez la date et l&#x27;heure de la publication."),
        ("2001-01-01T10:00", "Choisissez un moment à venir."),
        ("demain", "Saisissez une date et une heure valides."),
    ],
)
def test_a_scheduled_moment_must_be_given_and_to_come(setup, organiser_client, moment, error):
    response = organiser_client.post(URL, {"when": "later", "publish_at": moment, "confirm": "on"})

    assert response.status_code == 200
    assertContains(response, error)
    assertContains(
        response, 'value="later" required id="id_when_1" checked'
    )  # what was typed is kept
    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at is None
    assert not Award.objects.exists()


def test_an_unvalidated_deliberation_cannot_be_published(setup, organiser_client):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(state=DeliberationState.OPEN)

    response = organiser_client.post(URL, {"when": "now", "confirm": "on"})

    assertContains(response, "La présidence du jury n&#x27;a pas encore validé le palmarès.")
    assertNotContains(response, "Publier le palmarès</button>")
    assert not Award.objects.exists()


def test_an_edition_without_deliberation_has_nothing_to_publish(setup, organiser_client):
    Deliberation.objects.all().delete()

    response = organiser_client.get(URL)

    assertContains(response, "Cette édition n'a pas encore de délibération")


# ------------------------------------------------------------------------------ command


def test_command_publishes_now(setup, django_capture_on_commit_callbacks):
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_results", "label-territoire-innovant/2028", stdout=out)

    setup.deliberation.refresh_from_db()
    assert json.loads(out.getvalue()) == {
        "edition": "label-territoire-innovant/2028",
        "published_at": setup.deliberation.published_at.isoformat(),
        "awards": 2,
    }


def test_command_schedules_at_a_paris_time(
    setup, deferred_tasks, django_capture_on_commit_callbacks
):
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_results", "2028", "--at", "2099-04-04T18:00", stdout=out)

    assert json.loads(out.getvalue()) == {
        "edition": "label-territoire-innovant/2028",
        "publish_at": "2099-04-04T18:00:00+02:00",
    }
    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at == datetime(2099, 4, 4, 16, 0, tzinfo=UTC)
    assert [result.task.run_after for result in deferred_tasks.results] == [
        datetime(2099, 4, 4, 16, 0, tzinfo=UTC)
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["label-territoire-innovant/2029"], "Aucune édition « label-territoire-innovant/2029 »."),
        (["2028", "--at", "bientôt"], "Moment « bientôt » : attendu AAAA-MM-JJTHH:MM"),
        (["2028", "--at", "2001-01-01T10:00"], "Choisissez un moment à venir."),
    ],
)
def test_command_refuses_bad_input(setup, arguments, message):
    with pytest.raises(CommandError) as error:
        call_command("publish_results", *arguments)

    assert str(error.value).startswith(message)
    assert not Award.objects.exists()


def test_command_refuses_an_unvalidated_deliberation(setup):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(state=DeliberationState.OPEN)

    with pytest.raises(CommandError, match="pas encore validé"):
        call_command("publish_results", "label-territoire-innovant/2028")


def test_page_says_when_it_was_published_in_paris_time(setup, organiser, organiser_client):
    at = datetime(2026, 1, 15, 17, 30, tzinfo=UTC)  # 18:30 in Paris
    setup.edition.phases.filter(kind="embargo").update(starts_at=at - timedelta(days=1))
    setup.edition.phases.filter(kind="deliberation").update(starts_at=at - timedelta(days=2))
    publish(setup.deliberation, by=organiser, at=at)

    response = organiser_client.get(URL)

    assertContains(
        response,
        f"Palmarès publié le 15 janvier 2026 à 18:30 (heure de Paris) par {organiser.full_name}.",
    )
    assert [line for line in outline(response.content.decode()) if line.startswith("h")] == [
        "h2: Mobilité",
        "h3: Or",
        "h2: Participation citoyenne",
        "h3: Argent",
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_published_page_queries_do_not_grow(
    setup, organiser, organiser_client, count, django_assert_num_queries
):
    publish(setup.deliberation, by=organiser)
    if count == 1:
        Award.objects.filter(slug=ARGENT_SLUG).delete()
    else:
        extra = AwardFactory(edition=setup.edition, level=setup.levels["bronze"])
        AwardOrganisationFactory(award=extra)
    assert Award.objects.filter(edition=setup.edition).count() == count

    with django_assert_num_queries(QUERIES):
        response = organiser_client.get(URL)
    assert response.status_code == 200
