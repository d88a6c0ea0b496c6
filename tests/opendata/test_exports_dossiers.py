"""The export of an edition's filtered dossiers, for a spreadsheet (CSV and XLSX)."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Transition
from contests.models import Contest
from territories.models import Organisation
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    ThemeFactory,
    UserFactory,
)

from .downloads import HYPERLINK_TITLE, body, sheet, sheet_rows

PARIS = ZoneInfo("Europe/Paris")
CSV = "opendata:applications_csv"
XLSX = "opendata:applications_xlsx"
EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}
HEADER = (
    "\ufeffRéférence;Titre;Thème;État;Structure porteuse;Nature;Code INSEE;SIREN;Département;"
    "Région;Nombre de co-porteurs;Co-porteurs;Déposé le;Déposé par;Contact : nom;"
    "Contact : courriel;Contact : téléphone;Budget (€)\r\n"
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
        contact_phone="02 99 00 00 00",
        budget_euros=Decimal("12500.50"),
    )
    submitter = UserFactory(email="agent@rennes.fr", full_name="Camille Agent")
    Transition.objects.create(
        application=guichet,
        from_state="draft",
        to_state="submitted",
        by=submitter,
        at=datetime(2026, 1, 10, 10, 30, tzinfo=PARIS),
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

    assert body(response).decode("utf-8") == (
        HEADER
        + "LTI-2026-0001;Guichet numérique;Services aux habitants;Déposé;Rennes;Commune;35238;"
        "213502388;Ille-et-Vilaine;Bretagne;2;Brest | Épernay;2026-01-10 10:30;agent@rennes.fr;"
        "Camille Agent;agent@rennes.fr;02 99 00 00 00;12500.50\r\n"
        # A field holding the separator or quotes is quoted, its quotes doubled.
        'LTI-2026-0002;"Cantine ""zéro déchet""; phase 2";;Brouillon;'
        "CA Epernay, Coteaux et Plaine de Champagne;Communauté d'agglomération;;200067684;Marne;"
        "Grand Est;0;;;;;;;\r\n"
    )


def test_the_export_keeps_the_filters_of_the_list(organiser_client, dossiers):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION), {"region": "44"})

    assert body(response).decode("utf-8").splitlines()[1:] == [
        'LTI-2026-0002;"Cantine ""zéro déchet""; phase 2";;Brouillon;'
        "CA Epernay, Coteaux et Plaine de Champagne;Communauté d'agglomération;;200067684;Marne;"
        "Grand Est;0;;;;;;;"
    ]


def test_an_export_with_no_matching_dossier_has_only_the_headers(organiser_client, dossiers):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION), {"state": "withdrawn"})

    assert body(response).decode("utf-8") == HEADER


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

    # session, user, edition, dossiers, their partners (read while the response streams)
    with django_assert_num_queries(5):
        response = organiser_client.get(reverse(CSV, kwargs=EDITION))
        content = body(response)

    assert len(content.decode("utf-8").splitlines()) == count + 1


@pytest.fixture
def formula_title(db, rennes):
    """A dossier whose title a spreadsheet would run as a formula, and a plain one."""
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    ApplicationFactory(
        edition=edition, reference="LTI-2026-0001", title=HYPERLINK_TITLE, lead_organisation=rennes
    )
    ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0002",
        title="Guichet numérique",
        lead_organisation=rennes,
    )


def test_a_formula_title_is_neutralised_in_the_csv(organiser_client, formula_title):
    response = organiser_client.get(reverse(CSV, kwargs=EDITION))
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))

    assert [row[:2] for row in rows[1:]] == [
        ["LTI-2026-0001", "'" + HYPERLINK_TITLE],
        ["LTI-2026-0002", "Guichet numérique"],
    ]


def test_a_formula_title_is_text_in_the_xlsx(organiser_client, formula_title):
    titles = sheet(organiser_client.get(reverse(XLSX, kwargs=EDITION)))["B"][1:]

    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in titles] == [
        (HYPERLINK_TITLE, "s", True),
        ("Guichet numérique", "s", False),
    ]


def test_the_xlsx_holds_the_csv_cells_typed(organiser_client, dossiers):
    rows = sheet_rows(organiser_client.get(reverse(XLSX, kwargs=EDITION)))

    assert rows[1] == [
        "LTI-2026-0001",
        "Guichet numérique",
        "Services aux habitants",
        "Déposé",
        "Rennes",
        "Commune",
        "35238",
        "213502388",
        "Ille-et-Vilaine",
        "Bretagne",
        2,
        "Brest | Épernay",
        datetime(2026, 1, 10, 10, 30),
        "agent@rennes.fr",
        "Camille Agent",
        "agent@rennes.fr",
        "02 99 00 00 00",
        12500.5,
    ]
