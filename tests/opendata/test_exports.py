"""Organisers' exports: dossiers as XLSX, results as CSV and XLSX, filtered like the list; a
dossier's files as one ZIP, for the people who may see the dossier only."""

import csv
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from applications import attachments
from opendata.exports import tables
from tests.applications.samples import media_root, pdf_bytes, upload
from tests.catalogue.builders import make_award, make_edition
from tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    AwardOrganisationFactory,
    QuestionFactory,
    ThemeFactory,
)

from .downloads import body, sheet_rows

pytestmark = pytest.mark.django_db
media_root = media_root  # uploads in the test's own folder (a fixture)

BASE = "/organisation/exports/label-territoire-innovant/2031/"
LOGIN = "/compte/connexion/?next="


@pytest.fixture
def edition(label, rennes, brest):
    """2031: two dossiers (Rennes submitted, Brest shortlisted) and an award without dossier."""
    edition, levels = make_edition(label, 2031)
    theme = ThemeFactory(edition=edition, name="Inclusion", slug="inclusion")
    ApplicationFactory(
        edition=edition,
        reference="LTI-2031-0001",
        title="=Projet de Rennes",
        theme=theme,
        state="submitted",
    )
    ApplicationFactory(
        edition=edition,
        reference="LTI-2031-0002",
        title="Projet de Brest",
        lead_organisation=brest,
        state="shortlisted",
    )
    award = make_award(edition, "Projet historique", level=levels["or"], theme=theme)
    AwardOrganisationFactory(award=award, organisation=rennes, position=0)
    return edition


def test_dossiers_xlsx_has_the_list_columns_and_filters(organiser_client, edition):
    response = organiser_client.get(f"{BASE}dossiers.xlsx", {"state": "shortlisted"})
    rows = sheet_rows(response)

    assert response.status_code == 200
    assert response["Content-Type"] == tables.XLSX_TYPE
    assert (
        'filename="dossiers-label-territoire-innovant-2031.xlsx"' in response["Content-Disposition"]
    )
    assert rows[0][:4] == ["Référence", "Titre", "Thème", "État"]
    assert [row[:4] for row in rows[1:]] == [
        ["LTI-2031-0002", "Projet de Brest", None, "Retenu pour l'audition"]
    ]


def test_results_csv_lists_dossiers_then_awards_without_dossier(organiser_client, edition):
    response = organiser_client.get(f"{BASE}resultats.csv")
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert response.status_code == 200
    assert rows == [
        [
            "Référence du dossier",
            "Titre",
            "Thème",
            "Structure porteuse",
            "Nature",
            "Code INSEE",
            "SIREN",
            "État",
            "Niveau",
            "Identifiant du label",
        ],
        # A title typed as a formula is neutralised for the spreadsheet.
        [
            "LTI-2031-0001",
            "'=Projet de Rennes",
            "Inclusion",
            "Rennes",
            "Commune",
            "35238",
            "213502388",
            "Déposé",
            "",
            "",
        ],
        [
            "LTI-2031-0002",
            "Projet de Brest",
            "",
            "Brest",
            "Commune",
            "29019",
            "212900195",
            "Retenu pour l'audition",
            "",
            "",
        ],
        [
            "",
            "Projet historique",
            "Inclusion",
            "Rennes",
            "Commune",
            "35238",
            "213502388",
            "Labellisé",
            "Or",
            "projet-historique",
        ],
    ]


def test_results_follow_the_list_filters(organiser_client, edition):
    rows = sheet_rows(organiser_client.get(f"{BASE}resultats.xlsx", {"theme": "inclusion"}))
    awarded = sheet_rows(organiser_client.get(f"{BASE}resultats.xlsx", {"state": "awarded"}))

    assert [row[1] for row in rows[1:]] == ["=Projet de Rennes", "Projet historique"]
    assert [row[1] for row in awarded[1:]] == ["Projet historique"]


@pytest.mark.parametrize("name", ["dossiers.xlsx", "resultats.csv", "resultats.xlsx"])
def test_only_organisers_may_export(applicant_client, visitor, edition, name):
    assert applicant_client.get(f"{BASE}{name}").status_code == 403
    response = visitor.get(f"{BASE}{name}")
    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}{BASE}{name}")


def test_unknown_edition_is_404(organiser_client, edition):
    assert (
        organiser_client.get(
            "/organisation/exports/label-territoire-innovant/1999/resultats.csv"
        ).status_code
        == 404
    )


@pytest.fixture
def dossier_with_files(edition, applicant, media_root):
    dossier = edition.applications.get(reference="LTI-2031-0001")
    for name in ("Budget.pdf", "Budget.pdf", "../../etc/passwd"):
        attachments.add_attachment(
            dossier, upload(name, pdf_bytes(name)), content_type="application/pdf", by=applicant
        )
    question = QuestionFactory(edition=edition, kind="file", position=0)
    answer = AnswerFactory(application=dossier, question=question, file_original_name="plan.pdf")
    answer.file.save("x", ContentFile(pdf_bytes("plan")))
    return dossier


ZIP_URL = "/organisation/exports/dossiers/LTI-2031-0001/pieces.zip"


@pytest.mark.parametrize("client_name", ["applicant_client", "organiser_client"])
def test_people_who_see_the_dossier_get_its_files_as_zip(dossier_with_files, client_name, request):
    response = request.getfixturevalue(client_name).get(ZIP_URL)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    assert response.status_code == 200
    assert 'filename="dossier-LTI-2031-0001.zip"' in response["Content-Disposition"]
    assert archive.namelist() == [
        "pieces-jointes/Budget.pdf",
        "pieces-jointes/Budget (2).pdf",
        "pieces-jointes/passwd",
        "reponses/01-plan.pdf",
    ]
    assert archive.read("reponses/01-plan.pdf") == pdf_bytes("plan")


def test_others_get_404_for_the_zip(dossier_with_files, other_applicant_client, visitor):
    assert other_applicant_client.get(ZIP_URL).status_code == 404
    assert visitor.get(ZIP_URL).status_code == 302
    assert (
        other_applicant_client.get(
            "/organisation/exports/dossiers/LTI-2031-9999/pieces.zip"
        ).status_code
        == 404
    )


def test_table_writer_takes_any_header_and_rows():
    """The evaluations export reuses it: a header and rows of cells, numbers kept numbers."""
    header = ["Dossier", "Juré", "Innovation", "Sobriété"]
    rows = [["LTI-2031-0001", "A. Martin", 4, 3.5], ["LTI-2031-0002", "=cmd", None, 2]]

    text = "".join(tables.csv_lines(header, rows))
    workbook = load_workbook(tables.xlsx_file(header, rows, title="Évaluations"))

    assert text == (
        "\ufeffDossier;Juré;Innovation;Sobriété\r\n"
        "LTI-2031-0001;A. Martin;4;3.5\r\n"
        "LTI-2031-0002;'=cmd;;2\r\n"
    )
    assert list(workbook["Évaluations"].iter_rows(values_only=True)) == [
        ("Dossier", "Juré", "Innovation", "Sobriété"),
        ("LTI-2031-0001", "A. Martin", 4, 3.5),
        ("LTI-2031-0002", "=cmd", None, 2),
    ]
    formula = workbook["Évaluations"]["B3"]
    # Text, never a formula, even once edited (Excel's own leading apostrophe).
    assert (formula.data_type, formula.quotePrefix) == ("s", True)
    assert workbook["Évaluations"]["B2"].quotePrefix is False
