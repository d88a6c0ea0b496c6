"""The evaluations export: every criterion's raw score, submitted evaluations only, and no row
of a dossier the organiser is in conflict with as a juror."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CriterionFactory
from tests.jury.factories import ConflictFactory, JurorFactory
from tests.jury.scoring_setup import INSUFFICIENT, make_setup

from .downloads import HYPERLINK_TITLE, body, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    setup = make_setup()
    alice, bruno = setup.juror("Alice"), setup.juror("Bruno")
    first, second = setup.dossier("LTI-2027-0101"), setup.dossier("LTI-2027-0102")
    values = dict.fromkeys(setup.criteria, 4)
    values[setup.criteria[0]] = (INSUFFICIENT, "Pas innovant.")
    setup.evaluate(alice, first, values)
    setup.evaluate(bruno, first, dict.fromkeys(setup.criteria, 3))
    setup.evaluate(alice, second, dict.fromkeys(setup.criteria, 5), state="draft")
    return setup


def url(setup, extension: str) -> str:
    edition = setup.round.edition
    return reverse(
        f"opendata:evaluations_{extension}",
        args=[edition.contest.slug, edition.year, setup.round.slug],
    )


def rows_of(response) -> list[list[str]]:
    # French spreadsheets expect semicolons (opendata.exports.tables).
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))


def test_organisers_get_every_submitted_evaluation_with_raw_scores(scored, organiser_client):
    response = organiser_client.get(url(scored, "csv"))
    assert response.status_code == 200
    rows = rows_of(response)
    names = [criterion.name for criterion in scored.criteria]
    assert rows[0][:5] == ["Dossier", "Titre", "Thème", "Juré", "Institution"]
    assert rows[0][5 : 5 + len(names)] == names
    assert [row[:1] + row[3:4] for row in rows[1:]] == [
        ["LTI-2027-0101", "Alice"],
        ["LTI-2027-0101", "Bruno"],
    ]
    assert rows[1][5 : 5 + len(names)] == ["insuffisant"] + ["4"] * (len(names) - 1)
    assert rows[2][5 : 5 + len(names)] == ["3"] * len(names)


def test_the_xlsx_holds_the_same_rows(scored, organiser_client):
    response = organiser_client.get(url(scored, "xlsx"))
    assert response.status_code == 200
    values = [[cell.value for cell in row] for row in sheet(response).iter_rows()]
    assert [row[0] for row in values[1:]] == ["LTI-2027-0101", "LTI-2027-0101"]
    assert values[2][5] == 3


def test_an_organiser_in_conflict_gets_no_row_of_that_dossier(scored, organiser, organiser_client):
    juror = JurorFactory(round=scored.round, user=organiser, full_name="Organisatrice")
    first = scored.round.entries.get(application__reference="LTI-2027-0101").application
    ConflictFactory(juror=juror, application=first)
    rows = rows_of(organiser_client.get(url(scored, "csv")))
    assert rows[1:] == []


def test_others_may_not_export(scored, applicant_client, client):
    assert applicant_client.get(url(scored, "csv")).status_code == 403
    assert client.get(url(scored, "xlsx")).status_code == 302


def test_a_criterion_outside_the_round_is_not_a_column(scored, organiser_client):
    other = CriterionFactory(edition=scored.round.edition, name="Hors tour")
    scored.round.criteria.set(scored.criteria)
    header = rows_of(organiser_client.get(url(scored, "csv")))[0]
    assert other.name not in header


@pytest.fixture
def formula_title():
    setup = make_setup()
    alice = setup.juror("Alice")
    setup.evaluate(alice, setup.dossier("LTI-2027-0101", title=HYPERLINK_TITLE), {})
    setup.evaluate(alice, setup.dossier("LTI-2027-0102", title="Guichet numérique"), {})
    return setup


def test_a_formula_title_is_neutralised_in_the_csv(formula_title, organiser_client):
    rows = rows_of(organiser_client.get(url(formula_title, "csv")))

    assert [row[:2] for row in rows[1:]] == [
        ["LTI-2027-0101", "'" + HYPERLINK_TITLE],
        ["LTI-2027-0102", "Guichet numérique"],
    ]


def test_a_formula_title_is_text_in_the_xlsx(formula_title, organiser_client):
    titles = sheet(organiser_client.get(url(formula_title, "xlsx")))["B"][1:]

    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in titles] == [
        (HYPERLINK_TITLE, "s", True),
        ("Guichet numérique", "s", False),
    ]
