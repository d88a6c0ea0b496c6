"""The public event pages: /evenements/ (upcoming first, past events by year, filters), one page
per event, and the .ics files (RFC 5545: CRLF, 75 octets, all-day dates, exclusive DTEND)."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from contests.models import Event
from territories.models import Organisation
from tests.factories import EventFactory
from tests.jury.test_calendar import check_lines, events, parse, unescape

pytestmark = pytest.mark.django_db

STAGES_2019 = Path(__file__).resolve().parents[2] / "data" / "events_2019.csv"
STAGE_NAMES_2019 = [
    "IntercoTOUR Occitanie",
    "IntercoTOUR Nouvelle-Aquitaine",
    "IntercoTOUR Île-de-France",
    "IntercoTOUR Grand Est",
    "IntercoTOUR Normandie",
    "IntercoTOUR Hauts-de-France",
    "IntercoTOUR Sud PACA",
    "IntercoTOUR Auvergne-Rhône-Alpes",
]


@pytest.fixture
def stages_2019():
    call_command("import_events", str(STAGES_2019), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def forum_2099():
    return EventFactory(
        kind="forum",
        name="Forum des Interconnectés 2099",
        slug="forum-des-interconnectes-2099",
        city="Marseille",
        venue="Palais du Pharo",
        region=Organisation.objects.get(kind="region", insee_code="93"),
        starts_on=date(2099, 12, 3),
        ends_on=date(2099, 12, 4),
        participants=1200,
        programme="Matin : ouverture.\nAccueil café.\n\nAprès-midi : <b>remise</b> des labels.",
        source="https://www.interconnectes.com/forum",
    )


def names(listing_part) -> list[str]:
    return [event.name for event in listing_part]


# ------------------------------------------------------------------------------- list


def test_list_shows_the_2019_stages_as_past_events(visitor, stages_2019):
    response = visitor.get("/evenements/")

    listing = response.context["listing"]
    assert listing.upcoming == []
    assert [(year, names(past)) for year, past in listing.past_by_year] == [
        (2019, STAGE_NAMES_2019)
    ]
    assertContains(
        response,
        '<h4 class="award-title"><a href="/evenements/intercotour-occitanie-2019/">'
        "IntercoTOUR Occitanie</a></h4>",
        html=True,
    )
    assertContains(
        response,
        "Étape régionale · mardi 26 mars 2019 · Cahors (Occitanie)",
    )
    assertContains(response, "Étape régionale · du 26 au 27 juin 2019 · Paris (Île-de-France)")
    assertContains(response, "Aucun événement à venir n'est annoncé pour l'instant.")
    assertContains(response, '<a href="/evenements/calendrier.ics">')


def test_list_upcoming_first_then_past_by_latest_year(visitor, stages_2019, forum_2099):
    today = timezone.localdate()
    EventFactory(kind="stage", name="IntercoTOUR du jour", starts_on=today, ends_on=today)
    EventFactory(kind="forum", name="Forum 2018", starts_on=date(2018, 12, 4))
    EventFactory(kind="forum", name="Forum sans date")

    response = visitor.get("/evenements/")

    listing = response.context["listing"]
    assert names(listing.upcoming) == ["IntercoTOUR du jour", "Forum des Interconnectés 2099"]
    assert [year for year, _past in listing.past_by_year] == [2019, 2018]
    assert names(listing.past_by_year[1][1]) == ["Forum 2018"]
    assert names(listing.undated) == ["Forum sans date"]
    html = response.content.decode()
    assert html.index("À venir") < html.index("Événements passés") < html.index("Date non publiée")
    assertContains(response, "Cérémonie de remise · du 3 au 4 décembre 2099 · Marseille")


def test_list_filters_by_kind_and_year(visitor, stages_2019, forum_2099):
    forums = visitor.get("/evenements/", {"kind": "forum"}).context["listing"]
    year_2019 = visitor.get("/evenements/", {"year": "2019"}).context["listing"]
    none = visitor.get("/evenements/", {"kind": "forum", "year": "2019"})

    assert (names(forums.upcoming), forums.past_by_year) == (["Forum des Interconnectés 2099"], [])
    assert year_2019.upcoming == []
    assert [(year, names(past)) for year, past in year_2019.past_by_year] == [
        (2019, STAGE_NAMES_2019)
    ]
    assert none.context["listing"].count == 0
    assertContains(none, "Aucun événement ne correspond à ces filtres.")


def test_list_filter_form_offers_the_years_of_the_events(visitor, stages_2019, forum_2099):
    response = visitor.get("/evenements/")

    assert list(response.context["form"].fields["year"].choices) == [
        ("", "Toutes les années"),
        ("2099", "2099"),
        ("2019", "2019"),
    ]
    assertContains(response, '<label for="id_year">Année\u00a0:</label>', html=True)


def test_list_wrong_filter_is_said_and_ignored(visitor, stages_2019, forum_2099):
    response = visitor.get("/evenements/", {"year": "1850", "kind": "stage"})

    listing = response.context["listing"]
    assert listing.upcoming == []
    assert names(listing.past_by_year[0][1]) == STAGE_NAMES_2019
    assert response.context["form"].errors == {
        "year": ["Sélectionnez un choix valide. 1850 n’en fait pas partie."]
    }


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(visitor, django_assert_num_queries, count):
    region = Organisation.objects.get(kind="region", insee_code="76")
    for number in range(count):
        EventFactory(kind="stage", starts_on=date(2019, 3, 26 - number), region=region)

    with django_assert_num_queries(2):  # the years of the filter, the events with their régions
        response = visitor.get("/evenements/")

    assert response.context["listing"].count == count


def test_navigation_links_to_the_events(visitor):
    response = visitor.get("/evenements/")

    assertContains(response, '<a href="/evenements/" aria-current="page">Événements</a>', html=True)


# ------------------------------------------------------------------------------ detail


def test_stage_page_exact(visitor, stages_2019):
    Event.objects.filter(slug="intercotour-occitanie-2019").update(theme="Données")

    response = visitor.get("/evenements/intercotour-occitanie-2019/")

    assert response.status_code == 200
    assertContains(response, "<h1>IntercoTOUR Occitanie</h1>", html=True)
    assertContains(
        response,
        '<dl class="facts"><dt>Dates</dt><dd>mardi 26 mars 2019</dd>'
        "<dt>Ville</dt><dd>Cahors</dd><dt>Région</dt><dd>Occitanie</dd>"
        "<dt>Thème</dt><dd>Données</dd><dt>Source</dt><dd>003_2c9b177e40cff5f1.txt</dd></dl>",
        html=True,
    )
    assertContains(response, '<a href="/evenements/intercotour-occitanie-2019.ics">')
    assertContains(response, "Aucune sélection régionale n'est rattachée à cette étape.")


def test_forum_page_programme_as_paragraphs_and_no_selection_section(visitor, forum_2099):
    response = visitor.get("/evenements/forum-des-interconnectes-2099/")

    assertContains(
        response,
        '<div class="prose"><p>Matin : ouverture.<br>Accueil café.</p>'
        "<p>Après-midi : &lt;b&gt;remise&lt;/b&gt; des labels.</p></div>",
        html=True,
    )
    assertContains(response, "<dt>Dates</dt><dd>du 3 au 4 décembre 2099</dd>", html=True)
    assertContains(response, "<dt>Lieu</dt><dd>Palais du Pharo</dd>", html=True)
    assertContains(response, "<dt>Participants</dt><dd>1200</dd>", html=True)
    assertContains(
        response,
        '<dd><a href="https://www.interconnectes.com/forum">'
        "https://www.interconnectes.com/forum</a></dd>",
        html=True,
    )
    assertNotContains(response, "Sélections régionales")


def test_unknown_event_is_404(visitor):
    assert visitor.get("/evenements/etape-inconnue/").status_code == 404
    assert visitor.get("/evenements/etape-inconnue.ics").status_code == 404


# --------------------------------------------------------------------------------- .ics


def test_stage_ics_exact(visitor, stages_2019):
    response = visitor.get("/evenements/intercotour-ile-de-france-2019.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="intercotour-ile-de-france-2019.ics"'
    )
    ics = response.content.decode()
    check_lines(ics)
    assert [p[0] for p in parse(ics)[:6]] == [
        "BEGIN",
        "PRODID",
        "VERSION",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
    ]
    assert parse(ics)[4][2] == "PUBLISH"
    [vevent] = events(ics)
    stamp = vevent.pop("DTSTAMP")
    assert len(stamp) == 16 and stamp.endswith("Z")
    assert vevent == {
        "UID": "intercotour-ile-de-france-2019@palmares",
        "DTSTART": "20190626",
        "DTSTART;VALUE": "DATE",
        "DTEND": "20190628",
        "DTEND;VALUE": "DATE",
        "SUMMARY": "IntercoTOUR Île-de-France",
        "LOCATION": "Paris\\, Île-de-France",
        "DESCRIPTION": (
            "Étape régionale\\nhttp://testserver/evenements/intercotour-ile-de-france-2019/"
        ),
        "URL": "http://testserver/evenements/intercotour-ile-de-france-2019/",
        "TRANSP": "TRANSPARENT",
    }


def test_one_day_stage_ends_the_next_day(visitor, stages_2019):
    ics = visitor.get("/evenements/intercotour-occitanie-2019.ics").content.decode()

    [vevent] = events(ics)
    assert "DTSTART;VALUE=DATE:20190326\r\n" in ics
    assert (vevent["DTSTART"], vevent["DTEND"]) == ("20190326", "20190327")
    assert unescape(vevent["LOCATION"]) == "Cahors, Occitanie"


def test_long_lines_are_folded_at_75_octets(visitor, forum_2099):
    Event.objects.filter(pk=forum_2099.pk).update(venue="Palais du Pharo, " + "é" * 60)

    ics = visitor.get("/evenements/forum-des-interconnectes-2099.ics").content.decode()

    check_lines(ics)
    [vevent] = events(ics)
    assert unescape(vevent["LOCATION"]) == (
        "Palais du Pharo, " + "é" * 60 + ", Marseille, Provence-Alpes-Côte d'Azur"
    )


def test_calendar_of_all_dated_events(visitor, stages_2019, forum_2099):
    EventFactory(kind="forum", name="Forum sans date")

    response = visitor.get("/evenements/calendrier.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="evenements-palmares.ics"'
    ics = response.content.decode()
    check_lines(ics)
    found = events(ics)
    assert [event["UID"] for event in found] == [
        "intercotour-occitanie-2019@palmares",
        "intercotour-nouvelle-aquitaine-2019@palmares",
        "intercotour-ile-de-france-2019@palmares",
        "intercotour-grand-est-2019@palmares",
        "intercotour-normandie-2019@palmares",
        "intercotour-hauts-de-france-2019@palmares",
        "intercotour-sud-paca-2019@palmares",
        "intercotour-auvergne-rhone-alpes-2019@palmares",
        "forum-des-interconnectes-2099@palmares",
    ]
    assert (found[-1]["DTSTART"], found[-1]["DTEND"]) == ("20991203", "20991205")


def test_ics_of_an_undated_event_is_404(visitor):
    EventFactory(kind="forum", name="Forum 2015", slug="forum-2015")

    response = visitor.get("/evenements/forum-2015.ics")

    assert response.status_code == 404


def test_all_day_event_ending_a_month_ends_on_the_first_of_the_next(visitor):
    EventFactory(
        kind="stage",
        name="IntercoTOUR de fin juin",
        slug="fin-juin",
        starts_on=date(2019, 6, 30),
        ends_on=date(2019, 6, 30),
    )

    ics = visitor.get("/evenements/fin-juin.ics").content.decode()

    assert "DTSTART;VALUE=DATE:20190630\r\nDTEND;VALUE=DATE:20190701\r\n" in ics


# --------------------------------------------------------------------------------- API


def test_api_gives_a_stage_theme(visitor, stages_2019):
    Event.objects.filter(slug="intercotour-occitanie-2019").update(theme="Données")

    results = visitor.get("/api/v1/events", {"kind": "stage", "year": "2019"}).json()["results"]

    assert [(event["id"], event["theme"]) for event in results[:2]] == [
        ("intercotour-occitanie-2019", "Données"),
        ("intercotour-nouvelle-aquitaine-2019", None),
    ]
    assert results[0]["region_code"] == "76"
