"""The organisers' and jurors' long lists a page at a time (issue 20): the assignment, conflicts,
progress, promotions and the juror's conflicts pages. Page 2 holds exactly the rows after page
1, searches and filters find any dossier, and the totals count the whole round on every page."""

import pytest
from django.urls import reverse

from jury.enums import ConflictStatus, PromotionState
from jury.models import Assignment, Promotion
from tests.factories import ContestFactory, EditionFactory, ThemeFactory

from .factories import (
    AssignmentFactory,
    ConflictFactory,
    JurorFactory,
    RoundEntryFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_per_page(monkeypatch):
    monkeypatch.setattr("palmares.paging.PER_PAGE", 2)


@pytest.fixture
def round_():
    """Five competing dossiers (three of « Mobilité », two of « Données »), two jurors; each
    dossier assigned to the first juror, the first two also to the second."""
    edition = EditionFactory(contest=ContestFactory(slug="label"), year=2027)
    mobility = ThemeFactory(edition=edition, name="Mobilité", position=1)
    data = ThemeFactory(edition=edition, name="Données", position=2)
    round_ = RoundFactory(edition=edition, slug="national")
    anne = JurorFactory(round=round_, full_name="Anne")
    basile = JurorFactory(round=round_, full_name="Basile")
    for number, (theme, score) in enumerate(
        [(mobility, "4.1"), (data, "3.2"), (mobility, "3.9"), (data, "2.5"), (mobility, "1.0")]
    ):
        entry = RoundEntryFactory(
            round=round_,
            application__state="submitted",
            application__theme=theme,
            application__title=f"Projet {number + 1}",
            score=score,
        )
        AssignmentFactory(juror=anne, application=entry.application)
        if number < 2:
            AssignmentFactory(juror=basile, application=entry.application)
    return round_


def url(round_, name: str) -> str:
    return reverse(name, args=[round_.edition.contest.slug, round_.edition.year, round_.slug])


def references(round_) -> list[str]:
    return sorted(round_.entries.values_list("application__reference", flat=True))


def test_assignment_pages_hold_every_dossier_once_with_the_round_totals(round_, organiser_client):
    shown = []
    for number in (1, 2, 3):
        response = organiser_client.get(url(round_, "jury:assignment"), {"page": number})
        shown.append([row[0].application.reference for row in response.context["rows"]])
        # Totals of the whole round on every page: 5 dossiers, 5 + 2 assignments.
        assert "5 dossiers · 7 affectations" in response.text
        assert f"Page {number} sur 3" in response.text
    assert shown == [references(round_)[:2], references(round_)[2:4], references(round_)[4:]]


def test_assignment_search_finds_a_dossier_by_reference_title_or_nothing(round_, organiser_client):
    fourth = references(round_)[3]
    page = organiser_client.get(url(round_, "jury:assignment"), {"q": fourth.lower()})
    assert [row[0].application.reference for row in page.context["rows"]] == [fourth]
    assert f"1 dossier trouvé pour « {fourth.lower()} »." in page.text
    by_title = organiser_client.get(url(round_, "jury:assignment"), {"q": "projet 2"})
    assert [row[0].application.title for row in by_title.context["rows"]] == ["Projet 2"]
    none = organiser_client.get(url(round_, "jury:assignment"), {"q": "introuvable"})
    assert none.context["rows"] == []
    assert "Aucun dossier du tour ne correspond à « introuvable »." in none.text
    assert "5 dossiers · 7 affectations" in none.text


def test_assignment_htmx_gets_the_region_and_without_it_the_whole_page(round_, organiser_client):
    whole = organiser_client.get(url(round_, "jury:assignment"), {"page": 2})
    region = organiser_client.get(
        url(round_, "jury:assignment"), {"page": 2}, headers={"HX-Request": "true"}
    )
    assert "<html" in whole.text and "<html" not in region.text
    assert "Charge des jurés" in whole.text and "Charge des jurés" not in region.text
    assert references(round_)[2] in region.text and references(round_)[0] not in region.text
    assert region["Vary"].startswith("HX-Request") or "HX-Request" in region["Vary"]


def test_assignment_by_hand_names_the_dossier_by_reference(round_, organiser_client):
    last = references(round_)[4]
    basile = round_.jurors.get(full_name="Basile")
    refused = organiser_client.post(
        url(round_, "jury:assignment_add"),
        {"add-reference": "LTI-0000-9999", "add-juror": str(basile.reference)},
    )
    assert refused.status_code == 200
    assert refused.context["add_form"].errors["reference"] == [
        "Aucun dossier en compétition de ce tour n'a la référence « LTI-0000-9999 »."
    ]
    assert Assignment.objects.count() == 7
    added = organiser_client.post(
        url(round_, "jury:assignment_add"),
        {"add-reference": f" {last.lower()} ", "add-juror": str(basile.reference)},
    )
    assert added.status_code == 302
    assert Assignment.objects.filter(juror=basile, application__reference=last).exists()
    assert (
        "<select"
        not in organiser_client.get(url(round_, "jury:assignment"))
        .text.split('id="ajouter"')[1]
        .split("add-juror")[0]
    )


def test_removing_comes_back_to_the_same_search_and_page(round_, organiser_client):
    anne = round_.jurors.get(full_name="Anne")
    third = references(round_)[2]
    response = organiser_client.post(
        url(round_, "jury:assignment_remove"),
        {"juror": str(anne.reference), "reference": third, "q": "projet", "page": "2"},
    )
    assert response["Location"] == url(round_, "jury:assignment") + "?q=projet&page=2"
    assert Assignment.objects.count() == 6


def test_conflict_pages_split_the_list_and_keep_the_totals_by_status(round_, organiser_client):
    anne = round_.jurors.get(full_name="Anne")
    for number, entry in enumerate(round_.entries.order_by("application__reference")):
        status = ConflictStatus.DISMISSED if number == 4 else ConflictStatus.IN_FORCE
        ConflictFactory(juror=anne, application=entry.application, status=status)
    seen = []
    for number in (1, 2, 3):
        response = organiser_client.get(url(round_, "jury:conflicts"), {"page": number})
        seen += [conflict.application.reference for conflict in response.context["conflicts"]]
        assert "5 conflits" in response.text
        assert "À examiner : 4 · Confirmé : 0 · Écarté : 1" in response.text
    assert seen == references(round_)
    found = organiser_client.get(url(round_, "jury:conflicts"), {"q": references(round_)[1]})
    assert [c.application.reference for c in found.context["conflicts"]] == [references(round_)[1]]


def test_progress_pages_split_the_dossiers_and_keep_the_totals(round_, organiser_client):
    seen = []
    for number in (1, 2, 3):
        response = organiser_client.get(url(round_, "jury:progress"), {"page": number})
        seen += [entry.application.reference for entry, _t, _h in response.context["dossier_rows"]]
        assert response.context["total"].assigned == 7  # the whole round, on every page
        assert len(response.context["juror_rows"]) == 2
    assert seen == references(round_)


def test_promotions_pages_keep_the_ranking_and_filter_by_theme_and_state(round_, organiser_client):
    def shown(**params) -> list[str]:
        response = organiser_client.get(url(round_, "jury:promotions"), params)
        return [entry.application.title for entry, _state, _tied in response.context["rows"]]

    assert shown() + shown(page=2) + shown(page=3) == [
        "Projet 1", "Projet 3", "Projet 2", "Projet 4", "Projet 5"
    ]  # fmt: skip
    mobility = round_.edition.themes.get(name="Mobilité")
    assert shown(theme=mobility.pk) == ["Projet 1", "Projet 3"]
    assert shown(theme=mobility.pk, page=2) == ["Projet 5"]
    staged = round_.entries.get(application__title="Projet 4").application
    Promotion.objects.create(round=round_, application=staged, state=PromotionState.STAGED)
    assert shown(state="staged") == ["Projet 4"]
    assert shown(state="none", page=2) == ["Projet 2", "Projet 5"]
    assert shown(theme="pas-un-theme") == ["Projet 1", "Projet 3"]  # no filter
    filtered = organiser_client.get(url(round_, "jury:promotions"), {"theme": mobility.pk})
    assert "3 dossiers sur 5 avec ces filtres" in filtered.text
    assert "1 proposées, 0 appliquées" in filtered.text  # the round's, whatever the filter


def test_promoting_comes_back_to_the_same_filters(round_, organiser_client):
    reference = references(round_)[0]
    response = organiser_client.post(
        url(round_, "jury:promotion_add"), {"reference": reference, "state": "none", "page": "2"}
    )
    assert response["Location"] == url(round_, "jury:promotions") + "?state=none&page=2"


def test_juror_conflict_pages_split_the_dossiers(round_, client):
    anne = round_.jurors.get(full_name="Anne")
    client.force_login(anne.user)
    seen = []
    for number in (1, 2, 3):
        response = client.get(url(round_, "jury:declare_conflicts"), {"page": number})
        seen += [application.reference for application, _form in response.context["rows"]]
    assert seen == references(round_)
    fourth = references(round_)[3]
    refused = client.post(
        url(round_, "jury:declare_conflicts"), {"reference": fourth, f"{fourth}-reason": ""}
    )
    [(application, form)] = refused.context["rows"]
    assert application.reference == fourth
    assert form.errors["reason"] == ["Ce champ est obligatoire."]
