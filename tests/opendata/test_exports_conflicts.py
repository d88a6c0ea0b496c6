"""The results export through an organiser's conflict screen (awards.rules.ConflictScreen): the
dossier in conflict and the other dossiers of its theme without outcome or level, its award's row
left out; the rest as for every organiser.

The published 2028 edition of tests/awards/publication_setup.py: Mobilité holds Rennes (« Or »),
Brest (not labelled) and Quimper (eliminated); Participation citoyenne holds Nantes (« Argent »).
"""

import csv
import io

import pytest

from awards.publication import publish
from tests.awards import publication_setup
from tests.factories import UserFactory
from tests.jury.factories import ConflictFactory, JurorFactory

from .downloads import body, sheet_rows

pytestmark = pytest.mark.django_db

URL = "/organisation/exports/label-territoire-innovant/2028/resultats"
MASKED = "non communiqué (conflit d'intérêts)"


@pytest.fixture
def published(applicant, other_applicant, organiser):
    setup = publication_setup.build(applicant, other_applicant)
    publish(setup.deliberation, by=organiser)
    return setup


@pytest.fixture
def conflicted_organiser(published, client):
    """An organiser who sat on the auditions' jury in conflict with Rennes's dossier."""
    user = UserFactory(email="organisateur-jure@interconnectes.fr", is_organiser=True)
    juror = JurorFactory(round=published.deliberation.round, user=user)
    ConflictFactory(juror=juror, application=published.laureate)
    client.force_login(user)
    return client


def _rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8-sig")
    return [row[:1] + row[7:] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]


def test_every_organiser_without_conflict_gets_every_outcome(published, organiser_client):
    rows = _rows(organiser_client.get(f"{URL}.csv"))

    assert rows == [
        ["LTI-2028-0001", "Labellisé", "", ""],
        ["LTI-2028-0002", "Labellisé", "", ""],
        ["LTI-2028-0003", "Non labellisé", "", ""],
        ["LTI-2028-0004", "Éliminé", "", ""],
        ["", "Labellisé", "Or", publication_setup.LAUREATE_SLUG],
        ["", "Labellisé", "Argent", publication_setup.ARGENT_SLUG],
    ]


def test_a_conflicted_organiser_gets_no_outcome_or_level_of_the_veiled_theme(
    published, conflicted_organiser
):
    rows = _rows(conflicted_organiser.get(f"{URL}.csv"))

    assert rows == [
        ["LTI-2028-0001", MASKED, MASKED, ""],
        ["LTI-2028-0002", "Labellisé", "", ""],
        ["LTI-2028-0003", MASKED, MASKED, ""],
        ["LTI-2028-0004", MASKED, MASKED, ""],
        ["", "Labellisé", "Argent", publication_setup.ARGENT_SLUG],
    ]


def test_the_xlsx_is_screened_the_same_way(published, conflicted_organiser):
    rows = sheet_rows(conflicted_organiser.get(f"{URL}.xlsx"))

    assert [row[:1] + row[7:] for row in rows[1:]] == [
        ["LTI-2028-0001", MASKED, MASKED, None],
        ["LTI-2028-0002", "Labellisé", None, None],
        ["LTI-2028-0003", MASKED, MASKED, None],
        ["LTI-2028-0004", MASKED, MASKED, None],
        [None, "Labellisé", "Argent", publication_setup.ARGENT_SLUG],
    ]
    assert publication_setup.LAUREATE_TITLE not in [row[1] for row in rows[5:]]
