"""The organisers' event pages: list, create (the kind chosen first, its fields then), edit.
Organisers may; applicants and visitors may not."""

from datetime import date

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from contests.events import unique_event_slug
from contests.models import Event
from territories.models import Organisation
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LIST = "/organisation/evenements/"
CREATE = "/organisation/evenements/nouveau/"


def bretagne() -> Organisation:
    return Organisation.objects.get(kind="region", insee_code="53")


@pytest.fixture
def stage():
    return EventFactory(
        kind="stage",
        name="IntercoTOUR Bretagne",
        slug="intercotour-bretagne-2027",
        city="Rennes",
        region=bretagne(),
        starts_on=date(2027, 5, 4),
        ends_on=date(2027, 5, 4),
    )


STAGE_DATA = {
    "name": "IntercoTOUR Bretagne",
    "region": "",  # set in the tests: a database id
    "city": "Rennes",
    "starts_on": "2027-05-04",
    "ends_on": "",
    "theme": "Données",
}


def stage_data(**changes) -> dict:
    return {**STAGE_DATA, "region": str(bretagne().pk), **changes}


# ------------------------------------------------------------------------------ access


@pytest.mark.parametrize("url", [LIST, CREATE, f"{CREATE}?type=stage"])
def test_organiser_may_open_the_pages(organiser_client, url):
    assert organiser_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [LIST, CREATE, f"{CREATE}?type=stage"])
def test_applicant_may_not_open_the_pages(applicant_client, url):
    assert applicant_client.get(url).status_code == 403


@pytest.mark.parametrize("url", [LIST, CREATE])
def test_visitor_is_sent_to_the_login_page(visitor, url):
    response = visitor.get(url)

    assertRedirects(response, f"/compte/connexion/?next={url}", fetch_redirect_response=False)


def test_applicant_may_not_create_or_edit(applicant_client, stage):
    created = applicant_client.post(f"{CREATE}?type=stage", stage_data(name="Intrus"))
    edited = applicant_client.post(
        "/organisation/evenements/intercotour-bretagne-2027/modifier/", stage_data(city="Brest")
    )

    assert (created.status_code, edited.status_code) == (403, 403)
    assert list(Event.objects.values_list("name", "city")) == [("IntercoTOUR Bretagne", "Rennes")]


def test_visitor_may_not_edit(visitor, stage):
    url = "/organisation/evenements/intercotour-bretagne-2027/modifier/"

    response = visitor.post(url, stage_data(city="Brest"))

    assert response.status_code == 302
    assert Event.objects.get().city == "Rennes"


# -------------------------------------------------------------------------------- list


def test_list_exact_rows(organiser_client, stage):
    EventFactory(kind="forum", name="Forum 2026", slug="forum-2026", starts_on=date(2026, 12, 3))

    response = organiser_client.get(LIST)

    assert [event.name for event in response.context["events"]] == [
        "IntercoTOUR Bretagne",
        "Forum 2026",
    ]
    assertContains(
        response,
        '<a href="/organisation/evenements/intercotour-bretagne-2027/modifier/">Modifier'
        '<span class="visually-hidden"> « IntercoTOUR Bretagne »</span></a>',
        html=True,
    )
    assertContains(response, '<a href="/organisation/evenements/nouveau/?type=stage">')


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(organiser_client, django_assert_num_queries, count):
    for _ in range(count):
        EventFactory(kind="stage", region=bretagne(), starts_on=date(2027, 5, 4))

    # Session and user, then the events with their régions.
    with django_assert_num_queries(3):
        response = organiser_client.get(LIST)

    assert len(response.context["events"]) == count


# ------------------------------------------------------------------------------ create


def test_create_without_kind_asks_for_it(organiser_client):
    response = organiser_client.get(CREATE, {"type": "salon"})

    assert response.templates[0].name == "events/kind_choice.html"
    assertContains(response, "<legend>Type d'événement</legend>", html=True)
    assertContains(response, '<input type="radio" name="type" value="stage" id="id_type_stage">')


def test_stage_form_has_the_fields_of_a_stage(organiser_client):
    form = organiser_client.get(CREATE, {"type": "stage"}).context["form"]

    assert list(form.fields) == ["name", "region", "city", "starts_on", "ends_on", "theme"]
    assert [label for _pk, label in list(form.fields["region"].choices)[:3]] == [
        "Choisissez une région",
        "Auvergne-Rhône-Alpes",
        "Bourgogne-Franche-Comté",
    ]


def test_forum_form_has_the_fields_of_a_forum(organiser_client):
    form = organiser_client.get(CREATE, {"type": "forum"}).context["form"]

    assert list(form.fields) == [
        "name",
        "city",
        "venue",
        "starts_on",
        "ends_on",
        "participants",
        "programme",
    ]


def test_organiser_creates_a_stage(organiser_client):
    response = organiser_client.post(f"{CREATE}?type=stage", stage_data(), follow=True)

    assertRedirects(response, LIST)
    event = Event.objects.get()
    assert (
        event.kind,
        event.slug,
        event.name,
        event.region.insee_code,
        event.city,
        event.starts_on,
        event.ends_on,
        event.theme,
    ) == (
        "stage",
        "intercotour-bretagne-2027",
        "IntercoTOUR Bretagne",
        "53",
        "Rennes",
        date(2027, 5, 4),
        date(2027, 5, 4),
        "Données",
    )
    assertContains(response, "L&#x27;événement « IntercoTOUR Bretagne » a été créé.")


def test_organiser_creates_a_forum_whose_name_holds_the_year(organiser_client):
    organiser_client.post(
        f"{CREATE}?type=forum",
        {
            "name": "Forum des Interconnectés 2027",
            "city": "Lyon",
            "venue": "Centre de congrès",
            "starts_on": "2027-12-08",
            "ends_on": "2027-12-09",
            "participants": "900",
            "programme": "Ateliers.\n\nRemise des labels.",
        },
    )

    event = Event.objects.get()
    assert (event.kind, event.slug, event.venue, event.ends_on, event.participants) == (
        "forum",
        "forum-des-interconnectes-2027",
        "Centre de congrès",
        date(2027, 12, 9),
        900,
    )
    assert event.region is None


def test_same_name_same_year_gets_another_address(organiser_client, stage):
    organiser_client.post(f"{CREATE}?type=stage", stage_data())

    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "intercotour-bretagne-2027",
        "intercotour-bretagne-2027-2",
    ]


def test_reserved_slug_is_never_taken():
    assert unique_event_slug("calendrier") == "calendrier-2"


def test_wrong_dates_and_missing_fields_are_said_in_french_nothing_lost(organiser_client):
    response = organiser_client.post(
        f"{CREATE}?type=stage",
        stage_data(region="", city="", starts_on="2027-05-04", ends_on="2027-05-03"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "region": ["Choisissez la région de l'étape."],
        "city": ["Indiquez la ville de l'événement."],
        "ends_on": ["Le dernier jour (03/05/2027) ne peut pas précéder le premier (04/05/2027)."],
    }
    assertContains(
        response,
        '<li><a href="#id_ends_on">Dernier jour : Le dernier jour (03/05/2027) ne peut pas '
        "précéder le premier (04/05/2027).</a></li>",
        html=True,
    )
    assertContains(response, "<title>Erreur – Nouvelle étape régionale · Palmarès</title>")
    assertContains(response, 'value="Données"')
    assertContains(response, 'value="IntercoTOUR Bretagne"')
    assert Event.objects.count() == 0


def test_bad_date_is_said_in_french(organiser_client):
    response = organiser_client.post(f"{CREATE}?type=stage", stage_data(starts_on="2027-02-30"))

    assert response.context["form"].errors == {"starts_on": ["Saisissez une date valide."]}


# -------------------------------------------------------------------------------- edit


def test_organiser_edits_a_stage_its_address_stays(organiser_client, stage):
    url = "/organisation/evenements/intercotour-bretagne-2027/modifier/"

    response = organiser_client.post(
        url, stage_data(name="IntercoTOUR Bretagne – Brest", city="Brest", ends_on="2027-05-05")
    )

    assertRedirects(response, LIST, fetch_redirect_response=False)
    stage.refresh_from_db()
    assert (stage.slug, stage.name, stage.city, stage.ends_on) == (
        "intercotour-bretagne-2027",
        "IntercoTOUR Bretagne – Brest",
        "Brest",
        date(2027, 5, 5),
    )


def test_rejected_edit_keeps_the_saved_name_in_the_title(organiser_client, stage):
    url = "/organisation/evenements/intercotour-bretagne-2027/modifier/"

    response = organiser_client.post(url, stage_data(name="Autre nom", city=""))

    assertContains(response, "<h1>Modifier « IntercoTOUR Bretagne »</h1>", html=True)
    assertContains(response, 'value="Autre nom"')


def test_edit_of_an_unknown_event_is_404(organiser_client):
    client: Client = organiser_client
    assert client.get("/organisation/evenements/inconnu/modifier/").status_code == 404
