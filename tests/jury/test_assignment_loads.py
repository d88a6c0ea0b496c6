"""Loads in a round: the fair share by default, a minimum and a maximum set by the organisers on
the assignment page (strict), and what the solver reports when it cannot meet the targets."""

import pytest
from django.urls import reverse

from contests.models import ActivityEntry
from jury.domain.assign import assign_round, fair_share, set_loads
from jury.models import Assignment
from tests.factories import EditionFactory, ThemeFactory

from .factories import ConflictFactory, JurorFactory, RoundEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db

NAMES = ("Anne Expert", "Bruno Petit", "Chloé Roux", "David Simon")


@pytest.fixture
def round_():
    """5 dossiers of one theme; Anne is its expert (affinity 1), Bruno a generalist (1/2),
    Chloé and David experts of another theme (0)."""
    edition = EditionFactory(year=2027)
    theme = ThemeFactory(edition=edition, name="Mobilité")
    other = ThemeFactory(edition=edition, name="Énergie")
    round_ = RoundFactory(edition=edition, slug="national")
    for _ in range(5):
        RoundEntryFactory(round=round_, application__theme=theme, application__state="submitted")
    for name, themes in zip(NAMES, ([theme], [], [other], [other]), strict=True):
        juror = JurorFactory(round=round_, full_name=name, institution_name=f"Institution {name}")
        juror.themes.set(themes)
    return round_


def loads(round_) -> dict[str, int]:
    counts = dict.fromkeys(NAMES, 0)
    for name in Assignment.objects.filter(juror__round=round_).values_list(
        "juror__full_name", flat=True
    ):
        counts[name] += 1
    return counts


def url(round_, name: str = "jury:assignment") -> str:
    edition = round_.edition
    return reverse(name, args=[edition.contest.slug, edition.year, round_.slug])


@pytest.mark.parametrize(
    ("dossiers", "per_dossier", "jurors", "share"),
    [
        (5, 3, 4, (3, 4)),
        (4, 3, 4, (3, 3)),
        (7, 3, 10, (2, 3)),
        (0, 3, 4, (0, 0)),
        (5, 3, 0, (0, 0)),
    ],
)
def test_the_fair_share_is_floor_to_ceil(dossiers, per_dossier, jurors, share):
    assert fair_share(dossiers, per_dossier, jurors) == share


def test_by_default_every_juror_gets_three_or_four_dossiers(round_):
    # 5 x 3 / 4 = 3.75. Without targets Anne and Bruno would take all five.
    outcome = assign_round(round_, per_dossier=3)

    counted = loads(round_)
    assert (counted["Anne Expert"], counted["Bruno Petit"]) == (4, 4)
    assert sorted([counted["Chloé Roux"], counted["David Simon"]]) == [3, 4]
    assert outcome.departures == []


def test_a_maximum_set_by_the_organisers_is_strict_and_the_rest_is_reported(round_, organiser):
    anne = round_.jurors.get(full_name="Anne Expert")
    set_loads(round_, {anne: (None, 2)}, by=organiser)

    outcome = assign_round(round_, per_dossier=3)

    # 13 evaluations for three jurors aiming at 3 or 4: one takes 5, the best suited (Bruno).
    assert loads(round_) == {"Anne Expert": 2, "Bruno Petit": 5, "Chloé Roux": 4, "David Simon": 4}
    assert outcome.departures == [
        "Juré Bruno Petit : 5 dossiers, plus que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de mieux répartir."
    ]


def test_a_minimum_set_by_the_organisers_is_strict(round_, organiser):
    david = round_.jurors.get(full_name="David Simon")
    set_loads(round_, {david: (5, None)}, by=organiser)

    assign_round(round_, per_dossier=3)

    # The 10 others within 3 to 4: the fourth to the expert.
    assert loads(round_) == {"Anne Expert": 4, "Bruno Petit": 3, "Chloé Roux": 3, "David Simon": 5}


def test_a_juror_in_conflict_with_most_dossiers_is_below_the_share_and_others_share_the_rest(
    round_,
):
    chloe = round_.jurors.get(full_name="Chloé Roux")
    for entry in round_.entries.all()[:4]:
        ConflictFactory(juror=chloe, application=entry.application)

    outcome = assign_round(round_, per_dossier=3)

    # 14 evaluations for the three others: two of them one above the share, not one two above.
    assert loads(round_) == {"Anne Expert": 5, "Bruno Petit": 5, "Chloé Roux": 1, "David Simon": 4}
    assert outcome.departures == [
        "Juré Anne Expert : 5 dossiers, plus que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de mieux répartir.",
        "Juré Bruno Petit : 5 dossiers, plus que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de mieux répartir.",
        "Juré Chloé Roux : 1 dossier, moins que sa charge visée (3 à 4) ; les conflits "
        "d'intérêts et les autres règles ne permettaient pas de lui en confier plus.",
    ]


def test_the_page_sets_the_loads(round_, organiser_client):
    anne, bruno = (round_.jurors.get(full_name=name) for name in NAMES[:2])

    response = organiser_client.post(
        url(round_, "jury:assignment_loads"),
        {f"loads-max-{anne.reference}": "2", f"loads-min-{bruno.reference}": "1"},
        follow=True,
    )

    anne.refresh_from_db()
    bruno.refresh_from_db()
    assert (anne.capacity_min, anne.capacity_max, bruno.capacity_min, bruno.capacity_max) == (
        None,
        2,
        1,
        None,
    )
    page = response.content.decode()
    assert "Charges enregistrées pour 2 juré(s)" in page
    assert "Part équitable : 3 à 4 dossiers par juré (5 dossiers × 3 jurés par dossier ÷ 4" in page
    rows = {
        row.juror.full_name: (row.low, row.high, row.fixed) for row in response.context["load_rows"]
    }
    assert rows == {
        "Anne Expert": (2, 2, True),
        "Bruno Petit": (1, 4, True),
        "Chloé Roux": (3, 4, False),
        "David Simon": (3, 4, False),
    }
    entry = ActivityEntry.objects.get(action="jury.loads_set")
    assert entry.details == {
        "jurors": {str(anne.reference): [None, 2], str(bruno.reference): [1, None]}
    }


def test_a_maximum_below_the_minimum_is_refused_in_french(round_, organiser_client):
    anne = round_.jurors.get(full_name="Anne Expert")

    response = organiser_client.post(
        url(round_, "jury:assignment_loads"),
        {f"loads-min-{anne.reference}": "4", f"loads-max-{anne.reference}": "2"},
    )

    assert response.status_code == 200
    assert response.context["loads_form"].errors[f"max-{anne.reference}"] == [
        "Le maximum de Anne Expert (2) doit être au moins égal à son minimum (4)."
    ]
    assert 'value="4"' in response.content.decode()  # what was typed stays
    anne.refresh_from_db()
    assert (anne.capacity_min, anne.capacity_max) == (None, None)
    assert not ActivityEntry.objects.filter(action="jury.loads_set").exists()


def test_only_organisers_set_the_loads(round_, applicant_client, client):
    anne = round_.jurors.get(full_name="Anne Expert")
    data = {f"loads-max-{anne.reference}": "1"}

    assert applicant_client.post(url(round_, "jury:assignment_loads"), data).status_code == 403
    assert client.post(url(round_, "jury:assignment_loads"), data).status_code == 302
    anne.refresh_from_db()
    assert anne.capacity_max is None
