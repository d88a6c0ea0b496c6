"""Distinctions: an award carries them besides its level or alone; the president and the
organisers decide them at the deliberation (logged); a juror in conflict sees nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import deliberation as domain
from awards.deliberation import DeliberationError, set_distinctions
from awards.models import Decision
from awards.validators import validate_award_grounds
from contests.distinctions import take_contest_distinctions
from contests.domain import copy_edition, create_edition
from contests.models import ActivityEntry, ContestDistinction
from tests.factories import (
    ContestFactory,
    DistinctionFactory,
    EditionFactory,
    UserFactory,
)
from tests.jury.factories import ConflictFactory

from .deliberation_setup import REFERENCES, make_deliberated
from .test_deliberation import _open

pytestmark = pytest.mark.django_db
NEITHER = "Un label décerné doit avoir un niveau, au moins une distinction, ou les deux."


# ------------------------------------------------------------------------------- the rule


def test_award_with_a_distinction_alone_is_accepted():
    distinction = DistinctionFactory(name="Prix spécial du jury")

    validate_award_grounds(None, [distinction])  # no exception


def test_award_with_neither_level_nor_distinction_is_refused_in_french():
    with pytest.raises(ValidationError) as refusal:
        validate_award_grounds(None, [])

    assert refusal.value.messages == [NEITHER]
    assert refusal.value.error_list[0].code == "no_level_nor_distinction"


# ------------------------------------------------------------------------ contest → edition


def _contest_with_distinctions():
    contest = ContestFactory(name="Prix des territoires")
    ContestDistinction.objects.create(
        contest=contest, code="coup-de-coeur", name="Coup de cœur", position=2
    )
    ContestDistinction.objects.create(
        contest=contest, code="prix-du-jury", name="Prix spécial du jury", position=1
    )
    return contest


def test_a_new_edition_takes_the_contest_distinctions_and_the_next_one_copies_them():
    contest = _contest_with_distinctions()
    organiser = UserFactory(is_organiser=True)

    first = create_edition(contest, 2030, by=organiser)
    second = copy_edition(first, 2031, by=organiser)

    for edition in (first, second):
        assert list(edition.distinctions.values_list("code", "name", "position")) == [
            ("prix-du-jury", "Prix spécial du jury", 1),
            ("coup-de-coeur", "Coup de cœur", 2),
        ]


def test_an_older_edition_takes_only_the_distinctions_it_lacks():
    contest = _contest_with_distinctions()
    edition = EditionFactory(contest=contest, year=2029)
    DistinctionFactory(edition=edition, code="coup-de-coeur", name="Coup de cœur du public")

    added = take_contest_distinctions(edition)

    assert [distinction.code for distinction in added] == ["prix-du-jury"]
    assert sorted(edition.distinctions.values_list("name", flat=True)) == [
        "Coup de cœur du public",
        "Prix spécial du jury",
    ]


# ------------------------------------------------------------------------- deliberation


def _url(case, reference: str) -> str:
    return reverse(
        "awards:decision",
        kwargs={
            "contest_slug": case.edition.contest.slug,
            "year": case.edition.year,
            "reference": reference,
        },
    )


def _deliberated():
    case = make_deliberated()
    _open(case)
    prize = DistinctionFactory(edition=case.edition, code="prix-du-jury", name="Prix du jury")
    favourite = DistinctionFactory(edition=case.edition, code="coup-de-coeur", name="Coup de cœur")
    return case, prize, favourite


def _codes(reference: str) -> list[str]:
    decision = Decision.objects.get(application__reference=reference)
    return sorted(decision.distinctions.values_list("code", flat=True))


def test_president_decides_distinctions_and_it_is_logged(client):
    case, _prize, _favourite = _deliberated()
    client.force_login(case.alice.user)
    url = _url(case, REFERENCES["C"])  # eliminated: no level, a distinction alone

    page = client.get(url)
    response = client.post(
        url, {"level": "", "reason": "", "distinctions": ["coup-de-coeur", "prix-du-jury"]}
    )

    assert 'value="coup-de-coeur"' in page.text
    assert response.status_code == 302
    assert _codes(REFERENCES["C"]) == ["coup-de-coeur", "prix-du-jury"]
    entry = ActivityEntry.objects.filter(action="decision_distinctions_changed").get()
    assert (entry.subject, entry.details) == (
        REFERENCES["C"],
        {"old": [], "new": ["coup-de-coeur", "prix-du-jury"]},
    )


def test_organiser_decides_distinctions(organiser_client):
    case, _prize, _favourite = _deliberated()

    organiser_client.post(
        _url(case, REFERENCES["A"]), {"level": "argent", "distinctions": ["prix-du-jury"]}
    )

    assert _codes(REFERENCES["A"]) == ["prix-du-jury"]


def test_an_ordinary_juror_may_change_the_level_but_not_the_distinctions(client):
    case, _prize, _favourite = _deliberated()
    client.force_login(case.bruno.user)
    url = _url(case, REFERENCES["A"])

    page = client.get(url)
    response = client.post(url, {"level": "argent", "distinctions": ["prix-du-jury"]})

    assert page.status_code == 200
    assert 'value="prix-du-jury"' not in page.text
    assert response.status_code == 302
    assert _codes(REFERENCES["A"]) == []
    assert not ActivityEntry.objects.filter(action="decision_distinctions_changed").exists()


def test_a_president_in_conflict_sees_nothing_and_decides_nothing(client):
    case, _prize, _favourite = _deliberated()
    ConflictFactory(juror=case.alice, application=case.application("B"))
    client.force_login(case.alice.user)
    url = _url(case, REFERENCES["B"])

    page = client.get(url)
    response = client.post(url, {"level": "argent", "distinctions": ["prix-du-jury"]})

    assert (page.status_code, response.status_code) == (404, 404)
    assert _codes(REFERENCES["B"]) == []


def test_distinctions_of_another_edition_are_refused():
    case, _prize, _favourite = _deliberated()
    decision = Decision.objects.get(application=case.application("A"))
    elsewhere = DistinctionFactory(code="prix-du-jury")

    with pytest.raises(DeliberationError) as refusal:
        set_distinctions(decision, [elsewhere], by=UserFactory(is_organiser=True))

    assert refusal.value.message == (
        "Cette distinction n'est pas une distinction de cette édition."
    )
    assert _codes(REFERENCES["A"]) == []


def test_validation_freezes_distinctions_and_logs_them():
    case, prize, _favourite = _deliberated()
    decision = Decision.objects.get(application=case.application("C"))
    set_distinctions(decision, [prize], by=UserFactory(is_organiser=True))
    deliberation = decision.deliberation

    domain.validate(deliberation, by=case.alice.user)

    entry = ActivityEntry.objects.filter(action="deliberation_validated").get()
    assert entry.details["distinctions"] == {REFERENCES["C"]: ["prix-du-jury"]}
    with pytest.raises(domain.DeliberationFrozen):
        set_distinctions(decision, [], by=case.alice.user)
