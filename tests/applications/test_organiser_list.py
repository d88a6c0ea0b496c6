"""The organisers' list of an edition's dossiers: who may see it, filters, counts, pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from applications.enums import ApplicationState
from applications.models import Application
from contests.models import Contest
from territories.models import Organisation
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    ThemeFactory,
)

PARIS = ZoneInfo("Europe/Paris")
LIST = "applications:edition_applications"
EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}


def organisation(kind: str, insee_code: str) -> Organisation:
    return Organisation.objects.get(kind=kind, insee_code=insee_code)


@pytest.fixture
def edition(db):
    return EditionFactory(contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026)


@pytest.fixture
def themes(edition):
    return (
        ThemeFactory(edition=edition, name="Services aux habitants", slug="services", position=1),
        ThemeFactory(edition=edition, name="Transition écologique", slug="ecologie", position=2),
    )


@pytest.fixture
def dossiers(edition, themes, rennes, brest):
    """Five dossiers of Bretagne and Grand Est, of every kind of lead structure."""
    services, ecologie = themes
    epernay_agglo = Organisation.objects.get(siren="200067684")
    rows = [
        ("LTI-2026-0001", "Guichet numérique", rennes, services, ApplicationState.SUBMITTED),
        ("LTI-2026-0002", "Capteurs de qualité de l'air", brest, ecologie, ApplicationState.DRAFT),
        ("LTI-2026-0003", "Cantine zéro déchet", epernay_agglo, services, "submitted"),
        ("LTI-2026-0004", "Lycées connectés", organisation("region", "53"), None, "draft"),
        (
            "LTI-2026-0005",
            "Routes sobres",
            organisation("departement", "35"),
            ecologie,
            "withdrawn",
        ),
    ]
    created = {
        reference: ApplicationFactory(
            edition=edition,
            reference=reference,
            title=title,
            lead_organisation=lead,
            theme=theme,
            state=state,
            submitted_at=(
                datetime(2026, 1, 10, 10, 30, tzinfo=PARIS) if state == "submitted" else None
            ),
        )
        for reference, title, lead, theme, state in rows
    }
    ApplicationPartnerFactory(application=created["LTI-2026-0001"], organisation=brest)
    return created


def listed(client, **query) -> list[str]:
    response = client.get(reverse(LIST, kwargs=EDITION), query)
    return [application.reference for application in response.context["page"]]


def test_organiser_sees_every_dossier_of_the_edition(organiser_client, dossiers):
    response = organiser_client.get(reverse(LIST, kwargs=EDITION))

    assert [application.reference for application in response.context["page"]] == [
        "LTI-2026-0001",
        "LTI-2026-0002",
        "LTI-2026-0003",
        "LTI-2026-0004",
        "LTI-2026-0005",
    ]
    assertContains(
        response,
        '<tr><th scope="row"><a href="/candidatures/LTI-2026-0001/">LTI-2026-0001</a></th>'
        "<td>Guichet numérique</td><td>Rennes</td><td>1</td><td>Services aux habitants</td>"
        "<td>Déposé</td><td>10 janvier 2026 à 10:30</td></tr>",
        html=True,
    )


def test_dossiers_of_another_edition_are_not_listed(organiser_client, dossiers, rennes):
    ApplicationFactory(edition=EditionFactory(), reference="SI-2026-0001", lead_organisation=rennes)

    assert "SI-2026-0001" not in listed(organiser_client)


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ({"theme": "services"}, ["LTI-2026-0001", "LTI-2026-0003"]),
        ({"state": "submitted"}, ["LTI-2026-0001", "LTI-2026-0003"]),
        # Rennes and Brest lie in Bretagne, and so do the Ille-et-Vilaine and the région itself.
        ({"region": "53"}, ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0004", "LTI-2026-0005"]),
        ({"region": "44"}, ["LTI-2026-0003"]),
        ({"departement": "35"}, ["LTI-2026-0001", "LTI-2026-0005"]),
        ({"departement": "51"}, ["LTI-2026-0003"]),
        ({"kind": "commune"}, ["LTI-2026-0001", "LTI-2026-0002"]),
        ({"kind": "communaute_agglomeration"}, ["LTI-2026-0003"]),
        ({"q": "AIR"}, ["LTI-2026-0002"]),
        ({"q": "2026-0004"}, ["LTI-2026-0004"]),
        ({"region": "53", "state": "draft"}, ["LTI-2026-0002", "LTI-2026-0004"]),
        ({"departement": "29", "theme": "services"}, []),
    ],
)
def test_filters_give_exactly_the_matching_dossiers(organiser_client, dossiers, query, references):
    assert listed(organiser_client, **query) == references


def test_counts_per_state_and_theme_follow_the_filters(organiser_client, dossiers):
    response = organiser_client.get(reverse(LIST, kwargs=EDITION), {"region": "53"})

    assert [(tally.label, tally.count) for tally in response.context["state_counts"]] == [
        ("Brouillon", 2),
        ("Déposé", 1),
        ("Retiré", 1),
    ]
    assert [(tally.label, tally.count) for tally in response.context["theme_counts"]] == [
        ("Services aux habitants", 1),
        ("Transition écologique", 2),
        ("Sans thème", 1),
    ]
    assertContains(response, "<h2 id='resultats'>4 dossiers</h2>", html=True)


def test_a_partner_does_not_count_its_dossier_twice(organiser_client, dossiers, rennes):
    ApplicationPartnerFactory(application=dossiers["LTI-2026-0001"], organisation=rennes)

    response = organiser_client.get(reverse(LIST, kwargs=EDITION), {"state": "submitted"})

    assert [(tally.label, tally.count) for tally in response.context["state_counts"]] == [
        ("Déposé", 2)
    ]


def test_an_invalid_filter_is_reported_and_the_others_still_apply(organiser_client, dossiers):
    response = organiser_client.get(
        reverse(LIST, kwargs=EDITION), {"state": "perdu", "theme": "ecologie"}
    )

    assert [application.reference for application in response.context["page"]] == [
        "LTI-2026-0002",
        "LTI-2026-0005",
    ]
    assert response.context["form"].errors == {
        "state": ["Sélectionnez un choix valide. perdu n’en fait pas partie."]
    }


def test_links_to_the_export_and_the_mailing_keep_the_filters(organiser_client, dossiers):
    response = organiser_client.get(
        reverse(LIST, kwargs=EDITION), {"state": "draft", "region": "53", "page": "1"}
    )

    assert (response.context["csv_url"], response.context["mailing_url"]) == (
        "/candidatures/organisation/label-territoire-innovant/2026/dossiers.csv"
        "?state=draft&region=53",
        "/candidatures/organisation/label-territoire-innovant/2026/courriel/?state=draft&region=53",
    )


def test_an_edition_without_dossiers_says_so(organiser_client, edition):
    response = organiser_client.get(reverse(LIST, kwargs=EDITION))

    assertContains(response, '<p role="status">Aucun dossier pour cette édition.</p>', html=True)


def test_the_list_is_paginated_by_fifty(organiser_client, edition, rennes, organiser):
    Application.objects.bulk_create(
        Application(
            edition=edition,
            reference=f"LTI-2026-{number:04d}",
            lead_organisation=rennes,
            created_by=organiser,
        )
        for number in range(1, 52)
    )

    first = listed(organiser_client)
    second = listed(organiser_client, page=2)

    assert (len(first), first[-1], second) == (50, "LTI-2026-0050", ["LTI-2026-0051"])


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_for_one_or_three_dossiers(
    organiser_client, edition, themes, rennes, brest, django_assert_num_queries, count
):
    for _number in range(count):
        application = ApplicationFactory(edition=edition, lead_organisation=rennes, theme=themes[0])
        ApplicationPartnerFactory(application=application, organisation=brest)

    # session, user, edition, count, page, counts by state and by theme, and the filter
    # choices (themes, régions, départements)
    with django_assert_num_queries(10):
        response = organiser_client.get(reverse(LIST, kwargs=EDITION))

    assert len(response.context["page"]) == count
