"""The Levels page: every level with its rules (minimum score, at most per theme) on one page."""

from decimal import Decimal

from pytest_django.asserts import assertContains, assertRedirects

from .formsets import formset_data

LEVELS_URL = "/organisation/concours/label-territoire-innovant/2027/niveaux/"
SCALE_MESSAGE = "La note minimale doit être comprise entre 0 et 5, l'échelle des critères."


def page_data(client) -> dict[str, str]:
    return formset_data(client.get(LEVELS_URL).context["formset"])


def rules(edition) -> list[tuple]:
    return list(edition.levels.values_list("code", "rank", "min_score", "max_per_theme"))


def test_levels_page_titles_each_box_by_the_level_name(organiser_client, edition):
    response = organiser_client.get(LEVELS_URL)

    assertContains(response, "<legend>Or</legend>", html=True)
    assertContains(response, "<legend>Argent</legend>", html=True)
    assertContains(response, "<legend>Bronze</legend>", html=True)
    assertContains(response, "<legend>Nouveau niveau</legend>", html=True)
    assertContains(response, 'name="levels-0-min_score"')
    assertContains(response, 'name="levels-0-max_per_theme"')


def test_levels_page_saves_the_rules_of_every_level(organiser_client, edition):
    data = page_data(organiser_client)
    data.update(
        {
            "levels-0-min_score": "4",
            "levels-0-max_per_theme": "1",
            "levels-1-min_score": "3,5",  # a French decimal comma
            "levels-2-min_score": "3.25",
        }
    )

    response = organiser_client.post(LEVELS_URL, data)

    assertRedirects(response, LEVELS_URL)
    assert rules(edition) == [
        ("or", 1, Decimal("4.00"), 1),
        ("argent", 2, Decimal("3.50"), None),
        ("bronze", 3, Decimal("3.25"), None),
    ]


def test_levels_page_refuses_a_minimum_above_the_scale_and_keeps_the_input(
    organiser_client, edition
):
    data = page_data(organiser_client)
    data.update({"levels-0-min_score": "16", "levels-0-max_per_theme": "1"})

    response = organiser_client.post(LEVELS_URL, data)

    assert response.status_code == 200
    assert response.context["formset"].errors[0] == {"min_score": [SCALE_MESSAGE]}
    assertContains(response, 'name="levels-0-min_score" value="16"')
    assertContains(response, 'name="levels-0-max_per_theme" value="1"')
    assert rules(edition)[0] == ("or", 1, None, None)


def test_levels_page_refuses_a_negative_minimum(organiser_client, edition):
    data = page_data(organiser_client)
    data["levels-2-min_score"] = "-1"

    response = organiser_client.post(LEVELS_URL, data)

    assert response.context["formset"].errors[2] == {"min_score": [SCALE_MESSAGE]}


def test_levels_page_accepts_the_bounds_of_the_scale(organiser_client, edition):
    data = page_data(organiser_client)
    data.update({"levels-0-min_score": "5", "levels-2-min_score": "0"})

    response = organiser_client.post(LEVELS_URL, data)

    assertRedirects(response, LEVELS_URL)
    assert [row[2] for row in rules(edition)] == [Decimal("5.00"), None, Decimal("0.00")]


def test_levels_page_refuses_a_better_rank_with_a_lower_minimum(organiser_client, edition):
    data = page_data(organiser_client)
    data.update({"levels-0-min_score": "3", "levels-1-min_score": "3,5"})

    response = organiser_client.post(LEVELS_URL, data)

    assert response.context["formset"].errors == [
        {
            "min_score": [
                "Un niveau mieux classé ne peut pas demander une note plus basse : "
                "« Argent » (rang 2) demande au moins 3,5."
            ]
        },
        {},
        {},
        {},
    ]
    assertContains(response, 'name="levels-0-min_score" value="3"')
    assertContains(response, 'name="levels-1-min_score" value="3,5"')
    assert [row[2] for row in rules(edition)] == [None, None, None]


def test_levels_page_refuses_a_better_rank_without_minimum_above_one_with(
    organiser_client, edition
):
    data = page_data(organiser_client)
    data["levels-2-min_score"] = "2,5"

    response = organiser_client.post(LEVELS_URL, data)

    message = (
        "Un niveau mieux classé ne peut pas demander une note plus basse : "
        "« Bronze » (rang 3) demande au moins 2,5."
    )
    assert response.context["formset"].errors[:3] == [
        {"min_score": [message]},
        {"min_score": [message]},
        {},
    ]


def test_levels_page_accepts_equal_minimums(organiser_client, edition):
    data = page_data(organiser_client)
    data.update({"levels-0-min_score": "3.5", "levels-1-min_score": "3.5"})

    response = organiser_client.post(LEVELS_URL, data)

    assertRedirects(response, LEVELS_URL)
    assert [row[2] for row in rules(edition)] == [Decimal("3.50"), Decimal("3.50"), None]


def test_levels_page_checks_ranks_as_submitted_not_as_stored(organiser_client, edition):
    levels = edition.levels.order_by("rank")
    levels.filter(code="or").update(min_score=Decimal(4))
    levels.filter(code="argent").update(min_score=Decimal(3))
    data = page_data(organiser_client)
    # Or and argent exchange their ranks and their minimums: consistent once both change.
    data.update(
        {
            "levels-0-rank": "2",
            "levels-0-min_score": "3",
            "levels-1-rank": "1",
            "levels-1-min_score": "4",
        }
    )

    response = organiser_client.post(LEVELS_URL, data)

    assertRedirects(response, LEVELS_URL)
    assert rules(edition)[:2] == [
        ("argent", 1, Decimal("4.00"), None),
        ("or", 2, Decimal("3.00"), None),
    ]


def test_levels_page_refuses_a_maximum_below_one_and_keeps_the_input(organiser_client, edition):
    data = page_data(organiser_client)
    data["levels-0-max_per_theme"] = "0"

    response = organiser_client.post(LEVELS_URL, data)

    assert response.context["formset"].errors[0] == {
        "max_per_theme": [
            "Indiquez au moins 1 dossier par thème, ou laissez vide pour ne pas limiter."
        ]
    }
    assertContains(response, 'name="levels-0-max_per_theme" value="0"')
    assert rules(edition)[0] == ("or", 1, None, None)


def test_levels_page_clears_a_maximum_left_empty(organiser_client, edition):
    edition.levels.filter(code="or").update(max_per_theme=2)
    data = page_data(organiser_client)
    data["levels-0-max_per_theme"] = ""

    response = organiser_client.post(LEVELS_URL, data)

    assertRedirects(response, LEVELS_URL)
    assert rules(edition)[0] == ("or", 1, None, None)


def test_levels_page_refuses_a_score_that_is_not_a_number(organiser_client, edition):
    data = page_data(organiser_client)
    data["levels-0-min_score"] = "quatre"

    response = organiser_client.post(LEVELS_URL, data)

    assert response.context["formset"].errors[0] == {"min_score": ["Saisissez un nombre."]}
    assertContains(response, 'name="levels-0-min_score" value="quatre"')


def test_levels_page_is_refused_to_an_applicant(applicant_client, edition):
    response = applicant_client.get(LEVELS_URL)

    assert response.status_code == 403
