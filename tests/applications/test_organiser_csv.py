"""The CSV export of an edition's filtered dossiers, for a spreadsheet."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contests.models import Contest
from territories.models import Organisation
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    ThemeFactory,
)

PARIS = ZoneInfo("Europe/Paris")
CSV = "applications:edition_applications_csv"
EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}
HEADER = (
    "\ufeffRéférence;Titre;Thème;État;Structure porteuse;Nature;Code INSEE;SIREN;Département;"
    "Région;Nombre de co-porteurs;Co-porteurs;Déposé le\r\n"
)


@pytest.fixture
def dossiers(db, rennes, brest):
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    services = ThemeFactory(edition=edition, name="Services aux habitants", slug="services")
    epernay = Organisation.objects.get(kind="commune", insee_code="51230")
    guichet = ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet numérique",
        lead_organisation=rennes,
        theme=services,
        state="submitted",
        submitted_at=datetime(2026, 1, 10, 10, 30, tzinfo=PARIS),
    )
    ApplicationPartnerFactory(application=guichet, organisation=epernay, position=2)
    ApplicationPartnerFactory(application=guichet, organisation=brest, position=1)
    ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0002",
        title='Cantine "zéro déchet"; phase 2',
        lead_organisation=Organisation.objects.get(siren="200067684"),
        theme=None,
    )


def test_the_export_lists_the_dossiers_for_a_spreadsheet(organiser_client, dossiers):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION))

    assert response.content.decode("utf-8") == (
        HEADER
        + "LTI-2026-0001;Guichet numérique;Services aux habitants;Déposé;Rennes;Commune;35238;"
        "213502388;Ille-et-Vilaine;Bretagne;2;Brest | Épernay;2026-01-10 10:30\r\n"
        # A field holding the separator or quotes is quoted, its quotes doubled.
        'LTI-2026-0002;"Cantine ""zéro déchet""; phase 2";;Brouillon;'
        "CA Epernay, Coteaux et Plaine de Champagne;Communauté d'agglomération;;200067684;Marne;"
        "Grand Est;0;;\r\n"
    )


def test_the_export_keeps_the_filters_of_the_list(organiser_client, dossiers):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION), {"region": "44"})

    assert response.content.decode("utf-8").splitlines()[1:] == [
        'LTI-2026-0002;"Cantine ""zéro déchet""; phase 2";;Brouillon;'
        "CA Epernay, Coteaux et Plaine de Champagne;Communauté d'agglomération;;200067684;Marne;"
        "Grand Est;0;;"
    ]


def test_an_export_with_no_matching_dossier_has_only_the_headers(organiser_client, dossiers):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION), {"state": "withdrawn"})

    assert response.content.decode("utf-8") == HEADER


@pytest.mark.parametrize("count", [1, 3])
def test_the_export_costs_the_same_queries_for_one_or_three_dossiers(
    organiser_client, rennes, brest, django_assert_num_queries, count
):
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    for _number in range(count):
        application = ApplicationFactory(edition=edition, lead_organisation=rennes)
        ApplicationPartnerFactory(application=application, organisation=brest)

    # session, user, edition, dossiers, their partners
    with django_assert_num_queries(5):
        response = organiser_client.get(reverse(CSV, kwargs=EDITION))

    assert len(response.content.decode("utf-8").splitlines()) == count + 1
