"""What bench/search.py reads in the answers it times (bench/_search_answers.py), read from the
real search page and API: a change of their markup must fail here, not stop the bench."""

import pytest
from _search_answers import Answers, signature, spread_address
from django.test import Client

from catalogue.search import index_awards
from tests.catalogue.builders import make_award, make_edition
from tests.catalogue.conftest import label  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_awards(label):  # noqa: F811 - the fixture imported above
    edition, levels = make_edition(label, 2024, is_historical=True)
    found = make_award(edition, "Carte des données ouvertes", level=levels["or"])
    make_award(edition, "Données de mobilité", level=levels["argent"])
    make_award(edition, "Médiation numérique", level=levels["bronze"])
    index_awards()
    return found


def test_the_page_gives_its_count_and_its_awards_in_order(two_awards):
    response = Client().get("/palmares/?q=donnees")

    count, awards = signature("/palmares/?q=donnees", response)

    assert count == 2
    assert awards[0] == f"/projets/{two_awards.slug}/"
    assert len(awards) == 2


def test_the_api_gives_its_count_and_ids(two_awards):
    response = Client().get("/api/v1/laureates?q=donnees")

    # The API's id of a laureate is its project's slug.
    assert signature("/api/v1/laureates?q=donnees", response) == (
        2,
        (two_awards.slug, "donnees-de-mobilite"),
    )


def test_a_page_finding_nothing_counts_zero(two_awards):
    assert signature("/palmares/?q=licorne", Client().get("/palmares/?q=licorne")) == (0, ())


def test_an_error_page_or_a_refusal_fails_the_bench(two_awards):
    with pytest.raises(AssertionError, match="answered 404"):
        signature("/palmares/nulle-part/", Client().get("/palmares/nulle-part/"))
    with pytest.raises(AssertionError, match="not the search page"):
        signature("/palmares/?q=donnees", Client().get("/"))


def test_an_answer_that_changed_since_the_warm_up_fails(two_awards):
    client, answers = Client(), Answers()
    answers.record("/palmares/?q=donnees", client.get("/palmares/?q=donnees"))
    answers.check("/palmares/?q=donnees", client.get("/palmares/?q=donnees"))

    with pytest.raises(AssertionError, match="differs from the warm-up"):
        answers.check("/palmares/?q=donnees", client.get("/palmares/?q=mediation"))


def test_each_request_comes_from_a_new_address():
    first, second = spread_address(), spread_address()

    assert first["REMOTE_ADDR"] != second["REMOTE_ADDR"]
    assert first["REMOTE_ADDR"].startswith("10.")
