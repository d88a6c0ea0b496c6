"""Distinctions on the organisers' pages: the contest's defaults (same place as its default
levels), an edition's own, and taking the contest's into an edition created before them."""

from django.urls import reverse

from contests.models import Contest, ContestDistinction, Distinction, Edition
from tests.factories import AwardFactory, DistinctionFactory


def rows_post(prefix: str, rows: list[tuple[str, str, str]], *, initial=()) -> dict:
    """`initial`: (pk, code, name) of stored rows, sent first."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(initial) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(initial)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    stored = [(code, name, "") for _pk, code, name in initial]
    for index, (code, name, position) in enumerate(stored + rows):
        data[f"{prefix}-{index}-code"] = code
        data[f"{prefix}-{index}-name"] = name
        data[f"{prefix}-{index}-position"] = position or str(index)
        if index < len(initial):
            data[f"{prefix}-{index}-id"] = str(initial[index][0])
    return data


def test_organiser_sets_the_contest_distinctions_on_the_contest_page(organiser_client):
    contest = Contest.objects.create(name="Prix des territoires", slug="pdt")
    url = reverse("contests:contest_distinctions", args=[contest.slug])

    response = organiser_client.post(
        url,
        rows_post(
            "distinctions",
            [("prix-du-jury", "Prix spécial du jury", "1"), ("coup-de-coeur", "Coup de cœur", "2")],
        ),
    )
    detail = organiser_client.get(reverse("contests:contest_detail", args=[contest.slug]))

    assert response.status_code == 302
    assert list(contest.default_distinctions.values_list("code", "name", "position")) == [
        ("prix-du-jury", "Prix spécial du jury", 1),
        ("coup-de-coeur", "Coup de cœur", 2),
    ]
    assert "Coup de cœur" in detail.text
    assert f'href="{url}"' in detail.text


def test_two_distinctions_with_one_code_are_refused(organiser_client):
    contest = Contest.objects.create(name="Prix des territoires", slug="pdt")
    url = reverse("contests:contest_distinctions", args=[contest.slug])

    response = organiser_client.post(
        url, rows_post("distinctions", [("prix", "Prix A", "1"), ("prix", "Prix B", "2")])
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["code"] == [
        "Une autre distinction a déjà ce code."
    ]
    assert not ContestDistinction.objects.exists()


def test_an_edition_takes_the_contest_distinctions_it_lacks(organiser_client):
    contest = Contest.objects.create(name="Prix des territoires", slug="pdt")
    edition = Edition.objects.create(contest=contest, year=2030)
    ContestDistinction.objects.create(contest=contest, code="coup-de-coeur", name="Coup de cœur")
    page_url = reverse("contests:edition_distinctions", args=[contest.slug, 2030])

    before = organiser_client.get(page_url)
    response = organiser_client.post(
        reverse("contests:edition_take_distinctions", args=[contest.slug, 2030])
    )
    after = organiser_client.get(page_url)

    assert "Reprendre les distinctions du concours" in before.text
    assert response["Location"] == page_url
    assert list(edition.distinctions.values_list("code", "name")) == [
        ("coup-de-coeur", "Coup de cœur")
    ]
    assert "Reprendre les distinctions du concours" not in after.text


def test_a_distinction_with_laureates_may_not_be_deleted(organiser_client):
    contest = Contest.objects.create(name="Prix des territoires", slug="pdt")
    edition = Edition.objects.create(contest=contest, year=2030)
    distinction = DistinctionFactory(edition=edition, code="prix", name="Prix")
    AwardFactory(edition=edition).distinctions.add(distinction)
    data = rows_post("distinctions", [], initial=[(distinction.pk, "prix", "Prix")])
    data["distinctions-0-DELETE"] = "on"

    response = organiser_client.post(
        reverse("contests:edition_distinctions", args=[contest.slug, 2030]), data
    )

    assert response.status_code == 200
    assert "La distinction « Prix » a des lauréats : elle ne peut pas être supprimée." in (
        response.text
    )
    assert Distinction.objects.filter(pk=distinction.pk).exists()
