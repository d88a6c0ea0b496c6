"""awards.level_rules: the level rules stated at deliberation, and decisions that go beyond them.

The pages use the hand-made round of deliberation_setup (mean, raw scores): D 4 or, A 3.667
argent, B 3.333 argent in « Services »; C eliminated in « Mobilités »; or needs 3.5 and one per
theme, argent 3.2, bronze 2.5.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from awards.deliberation import change_decision
from awards.level_rules import DecidedLevel, breaches, statements
from awards.models import Decision
from contests.models import ActivityEntry, Level
from tests.jury.factories import ConflictFactory

from .deliberation_setup import REFERENCES, make_deliberated
from .test_deliberation import _open

OR_RULE = "Or : note ≥ 3,5, au plus 1 par thème"
SECOND_OR = "2 dossiers du thème « Services » ont « Or » : la règle en permet au plus 1."


def _url(case, name: str = "deliberation", **kwargs) -> str:
    return reverse(
        f"awards:{name}",
        kwargs={"contest_slug": case.edition.contest.slug, "year": case.edition.year, **kwargs},
    )


def _decide(case, key: str, level: str | None, reason: str = "Choix du jury."):
    decision = Decision.objects.get(application=case.application(key))
    return change_decision(decision, case.levels[level] if level else None, reason, by=None)


# ----------------------------------------------------------------------------- the checks

GOLD = Level(pk=1, name="Or", rank=1, min_score=Decimal("3.5"), max_per_theme=1)
SILVER = Level(pk=2, name="Argent", rank=2, min_score=Decimal("3.2"))


def decided(pk, score, level, *, theme=1, eliminated=False) -> DecidedLevel:
    score = None if score is None else Decimal(score)
    return DecidedLevel(pk, f"REF-{pk}", theme, "Services", score, eliminated, level)


def kinds(found) -> dict[int, list[str]]:
    return {pk: [breach.kind for breach in found[pk]] for pk in found}


def test_statements_put_the_best_level_first():
    assert statements([SILVER, GOLD]) == [OR_RULE, "Argent : note ≥ 3,2, sans limite par thème"]


def test_decisions_within_the_rules_go_beyond_nothing():
    found = breaches(
        [
            decided(1, "4", GOLD),
            decided(2, "3.5", SILVER),
            decided(3, "3.2", SILVER),
            decided(4, "4", GOLD, theme=2),
            decided(5, None, None),
        ]
    )

    assert found == {}


def test_a_level_below_its_minimum_or_without_score_or_eliminated_is_said():
    found = breaches(
        [
            decided(1, "3.499", GOLD),
            decided(2, None, SILVER),
            decided(3, "4", SILVER, theme=2, eliminated=True),
        ]
    )

    assert {pk: [b.message for b in found[pk]] for pk in found} == {
        1: ["« Or » demande une note d'au moins 3,5 ; ce dossier a 3,499."],
        2: ["« Argent » demande une note d'au moins 3,2 ; ce dossier n'a pas de note."],
        3: ["« Argent » décidé pour un dossier éliminé : la règle n'en donne aucun."],
    }


def test_the_dossiers_beyond_a_themes_maximum_are_the_lower_scored_ones():
    found = breaches([decided(1, "3.6", GOLD), decided(2, "4.2", GOLD), decided(3, "3.9", GOLD)])

    assert kinds(found) == {1: ["above_maximum"], 3: ["above_maximum"]}
    assert found[3][0].message == (
        "3 dossiers du thème « Services » ont « Or » : la règle en permet au plus 1."
    )


# ------------------------------------------------------------------------------- the log


@pytest.mark.django_db
def test_decision_log_records_what_it_goes_beyond_and_nothing_within_the_rules():
    case = make_deliberated()
    _open(case)

    _decide(case, "A", "or")  # A 3.667 reaches or's minimum, but D (4) holds the one or
    _decide(case, "B", "bronze")  # 3.333 ≥ 2.5

    logged = ActivityEntry.objects.filter(action="decision_changed").order_by("pk")
    assert [(e.subject, e.details["beyond_rules"]) for e in logged] == [
        (REFERENCES["A"], ["above_maximum"]),
        (REFERENCES["B"], []),
    ]


# ----------------------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_board_states_the_rules_it_applied(organiser_client):
    case = make_deliberated()
    _open(case)

    text = organiser_client.get(_url(case)).text

    assert f"<li>{OR_RULE}</li>" in text
    assert "<li>Argent : note ≥ 3,2, sans limite par thème</li>" in text
    assert "<li>Bronze : note ≥ 2,5, sans limite par thème</li>" in text
    assert "au-delà des règles" not in text
    assert "n'a ni note minimale ni limite par thème" not in text


@pytest.mark.django_db
def test_board_warns_about_a_second_or_in_a_theme(organiser_client):
    case = make_deliberated()
    _open(case)
    _decide(case, "B", "or")

    text = organiser_client.get(_url(case)).text

    assert "1 décision au-delà des règles" in text
    assert (
        escape(
            f"{REFERENCES['B']} : « Or » demande une note d'au moins 3,5 ; ce dossier a 3,333. "
            f"{SECOND_OR}"
        )
        in text
    )
    assert text.count('<span class="badge">au-delà des règles</span>') == 2


@pytest.mark.django_db
def test_a_juror_in_conflict_is_not_told_a_hidden_dossier_holds_the_or(client, organiser_client):
    """The theme of a dossier in conflict is veiled for the juror (awards.rules.ConflictScreen):
    she may not decide in it, and a rule warning would tell her where the hidden « Or » is."""
    case = make_deliberated()
    _open(case)
    dana = case.setup.juror("Dana")
    ConflictFactory(juror=dana, application=case.application("D"))  # D holds the theme's or
    client.force_login(dana.user)
    url = _url(case, "decision", reference=REFERENCES["A"])

    refused = client.post(url, {"level": "or", "reason": "Le jury préfère A."})
    saved = organiser_client.post(url, {"level": "or", "reason": "Le jury préfère A."}, follow=True)
    juror_board = client.get(_url(case)).text
    organiser_board = organiser_client.get(_url(case)).text

    assert refused.status_code == 403
    assert Decision.objects.get(application=case.application("A")).level == case.levels["or"]
    assert "La décision sur le dossier LTI-2028-0001 est enregistrée." in saved.text
    assert "au-delà des règles" not in juror_board
    assert (
        "Vous êtes en conflit d'intérêts avec un dossier de ce thème : les niveaux y dépendent"
    ) in juror_board
    assert f"<li>{REFERENCES['A']} : {SECOND_OR}</li>" in organiser_board


@pytest.mark.django_db
def test_saving_a_decision_beyond_the_rules_warns_and_within_them_does_not(client):
    case = make_deliberated()
    _open(case)
    url = _url(case, "decision", reference=REFERENCES["B"])
    client.force_login(case.alice.user)

    page = client.get(url)
    within = client.post(url, {"level": "bronze", "reason": "Un cran en dessous."}, follow=True)
    beyond = client.post(url, {"level": "or", "reason": "Exemplaire."}, follow=True)

    assert f"<li>{OR_RULE}</li>" in page.text
    assert "au-delà des règles" not in within.text
    assert (
        "Décision au-delà des règles des niveaux (LTI-2028-0002) : « Or » demande une note "
        "d&#x27;au moins 3,5 ; ce dossier a 3,333."
    ) in beyond.text
    assert Decision.objects.get(application=case.application("B")).level == case.levels["or"]


@pytest.mark.django_db
def test_validation_page_lists_the_decisions_beyond_the_rules(client):
    case = make_deliberated()
    _open(case)
    client.force_login(case.alice.user)

    before = client.get(_url(case, "validate")).text
    _decide(case, "B", "or")
    after = client.get(_url(case, "validate")).text

    assert "au-delà des règles" not in before
    assert "1 décision au-delà des règles des niveaux" in after
    assert SECOND_OR in after


@pytest.mark.django_db
def test_board_says_when_the_best_level_has_no_rule(organiser_client, client):
    case = make_deliberated()
    Level.objects.filter(edition=case.edition).update(min_score=None, max_per_theme=None)
    _open(case)
    levels_url = reverse("contests:edition_levels", args=[case.edition.contest.slug, 2028])

    organiser = organiser_client.get(_url(case)).text
    client.force_login(case.chloe.user)
    juror = client.get(_url(case)).text

    message = (
        "« Or » n'a ni note minimale ni limite par thème : il est proposé à tous les "
        "dossiers non éliminés."
    )
    assert message in organiser and f'href="{levels_url}"' in organiser
    assert message in juror and f'href="{levels_url}"' not in juror


@pytest.mark.django_db
def test_opening_page_states_the_rules_and_warns_when_the_best_level_has_none(organiser_client):
    case = make_deliberated("A")
    with_rules = organiser_client.get(_url(case)).text
    Level.objects.filter(edition=case.edition).update(min_score=None, max_per_theme=None)
    without = organiser_client.get(_url(case)).text

    assert f"<li>{OR_RULE}</li>" in with_rules
    assert "il serait proposé à tous les dossiers non éliminés" not in with_rules
    assert "<li>Or : aucune note minimale, sans limite par thème</li>" in without
    assert (
        "« Or » n'a ni note minimale ni limite par thème : il serait proposé à tous les "
        "dossiers non éliminés."
    ) in without
