"""The organisers' round pages: list, create, detail (filling), edit, promotions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from applications.enums import ApplicationState
from contests.models import ActivityEntry, Contest
from jury.enums import PromotionRule, PromotionState, RoundKind
from jury.models import Promotion, Round
from territories.models import Organisation
from tests.factories import ApplicationFactory, EditionFactory, ThemeFactory, UserFactory

from .factories import (
    ConflictFactory,
    EligibilityFactory,
    JurorFactory,
    RoundEntryFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}
ROUND = {**EDITION, "round_slug": "bretagne"}
PREFIX = "/organisation/concours/label-territoire-innovant/2026/tours/"


def region(code: str) -> Organisation:
    return Organisation.objects.get(kind="region", insee_code=code)


@pytest.fixture
def edition():
    return EditionFactory(contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026)


@pytest.fixture
def national(edition):
    return RoundFactory(edition=edition, name="Jury national", slug="national", position=2)


@pytest.fixture
def bretagne(edition, national):
    round_ = RoundFactory(
        edition=edition,
        name="Sélection Bretagne",
        slug="bretagne",
        kind=RoundKind.REGIONAL,
        next_round=national,
        position=1,
    )
    round_.regions.set([region("53")])
    return round_


def entry(round_, reference, score=None, eliminated=False, **kwargs):
    application = ApplicationFactory(
        edition=round_.edition,
        reference=reference,
        title=f"Projet {reference}",
        state=ApplicationState.SUBMITTED,
        **kwargs,
    )
    EligibilityFactory(application=application)
    return RoundEntryFactory(
        round=round_,
        application=application,
        score=Decimal(score) if score else None,
        eliminated=eliminated,
    )


PAGES = [
    ("jury:rounds", EDITION),
    ("jury:round_create", EDITION),
    ("jury:round_detail", ROUND),
    ("jury:round_update", ROUND),
    ("jury:promotions", ROUND),
]


# ------------------------------------------------------------------------------ access


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_organiser_may_open_every_round_page(organiser_client, bretagne, name, kwargs):
    assert organiser_client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_applicant_may_not(applicant_client, bretagne, name, kwargs):
    assert applicant_client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_juror_of_the_round_may_not(client, bretagne, name, kwargs):
    client.force_login(JurorFactory(round=bretagne, user=UserFactory()).user)

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_visitor_is_sent_to_login(visitor, bretagne, name, kwargs):
    url = reverse(name, kwargs=kwargs)

    assert visitor.get(url).url == f"{reverse('accounts:login')}?next={url}"


def test_a_round_of_another_edition_is_404(organiser_client, edition):
    RoundFactory(edition=EditionFactory(contest=edition.contest, year=2027), slug="bretagne")

    assert organiser_client.get(reverse("jury:round_detail", kwargs=ROUND)).status_code == 404


ACTIONS = [
    "jury:round_fill",
    "jury:promotions_stage",
    "jury:promotion_add",
    "jury:promotion_remove",
    "jury:promotions_apply",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_applicant_may_not_act_on_a_round(applicant_client, bretagne, name):
    entry(bretagne, "LTI-2026-0001", "4.0")

    response = applicant_client.post(reverse(name, kwargs=ROUND), {"reference": "LTI-2026-0001"})

    assert (response.status_code, Promotion.objects.count()) == (403, 0)


@pytest.mark.parametrize("name", ACTIONS)
def test_the_round_actions_are_post_only(organiser_client, bretagne, name):
    assert organiser_client.get(reverse(name, kwargs=ROUND)).status_code == 405


@pytest.mark.parametrize("name", ["jury:round_detail", "jury:promotions"])
def test_the_round_pages_take_no_post(organiser_client, bretagne, name):
    entry(bretagne, "LTI-2026-0001", "4.0")

    response = organiser_client.post(reverse(name, kwargs=ROUND), {"reference": "LTI-2026-0001"})

    assert (response.status_code, Promotion.objects.count()) == (405, 0)


# -------------------------------------------------------------------------------- list


def test_the_list_shows_each_round_with_its_counts(organiser_client, bretagne, national):
    entry(bretagne, "LTI-2026-0001")
    JurorFactory(round=bretagne)

    response = organiser_client.get(reverse("jury:rounds", kwargs=EDITION))

    rows = [
        (r.name, r.entries_total, r.jurors_total, [g.name for g in r.region_list])
        for r in response.context["rounds"]
    ]
    assert rows == [("Sélection Bretagne", 1, 1, ["Bretagne"]), ("Jury national", 0, 0, [])]
    assertContains(response, f'<a href="{PREFIX}bretagne/">Sélection Bretagne</a>', html=True)


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_for_one_or_three_rounds(
    organiser_client, edition, django_assert_num_queries, count
):
    for number in range(count):
        round_ = RoundFactory(edition=edition, kind=RoundKind.REGIONAL, slug=f"tour-{number}")
        round_.regions.set([region("53"), region("76")])
        entry(round_, f"LTI-2026-{number + 1:04d}")

    # session, user, edition, rounds with counts, their régions
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(6):
        response = organiser_client.get(reverse("jury:rounds", kwargs=EDITION))

    assert len(response.context["rounds"]) == count


# ------------------------------------------------------------------------ create, edit


def test_organiser_creates_a_regional_round(organiser_client, organiser, edition, national):
    response = organiser_client.post(
        reverse("jury:round_create", kwargs=EDITION),
        {
            "name": "Sélection Occitanie",
            "slug": "occitanie",
            "kind": "regional",
            "regions": ["76"],
            "promotion_rule": "top_n",
            "promotion_count": "3",
            "next_round": "national",
            "ends_on": "2026-05-15",
            "position": "1",
        },
    )

    assertRedirects(response, f"{PREFIX}occitanie/", fetch_redirect_response=False)
    round_ = Round.objects.get(slug="occitanie")
    assert (
        round_.edition,
        [r.insee_code for r in round_.regions.all()],
        round_.promotion_count,
        round_.next_round,
        str(round_.ends_on),
    ) == (edition, ["76"], 3, national, "2026-05-15")
    assert ActivityEntry.objects.get().action == "jury.round_created"


def test_a_bad_form_keeps_what_was_typed(organiser_client, national):
    response = organiser_client.post(
        reverse("jury:round_create", kwargs=EDITION),
        {
            "name": "Sélection Occitanie",
            "slug": "national",
            "kind": "regional",
            "promotion_rule": "threshold",
            "promotion_threshold": "7",
            "position": "1",
        },
    )

    form = response.context["form"]
    assert form.errors == {
        "slug": ["Un autre tour de cette édition a déjà l'identifiant « national »."],
        "regions": ["Choisissez au moins une région pour une sélection régionale."],
        "promotion_threshold": ["La note minimale doit être comprise entre 0 et 5."],
    }
    assert (form["name"].value(), form["promotion_threshold"].value()) == (
        "Sélection Occitanie",
        "7",
    )
    assertContains(response, "<title>Erreur – Nouveau tour de sélection")


def test_organiser_edits_a_round_and_the_change_is_logged(organiser_client, bretagne):
    response = organiser_client.post(
        reverse("jury:round_update", kwargs=ROUND),
        {
            "name": "Sélection Bretagne et Pays de la Loire",
            "slug": "bretagne",
            "kind": "regional",
            "regions": ["53", "52"],
            "promotion_rule": "manual",
            "next_round": "national",
            "position": "1",
        },
    )

    assertRedirects(response, f"{PREFIX}bretagne/", fetch_redirect_response=False)
    log = ActivityEntry.objects.get()
    assert (log.action, log.details["before"]["regions"], log.details["after"]["regions"]) == (
        "jury.round_updated",
        ["53"],
        ["52", "53"],
    )


def test_a_rejected_slug_does_not_leak_into_the_page(organiser_client, bretagne):
    response = organiser_client.post(
        reverse("jury:round_update", kwargs=ROUND),
        {"name": "Bretagne", "slug": "national", "kind": "regional", "regions": ["53"],
         "promotion_rule": "manual", "position": "1"},
    )  # fmt: skip

    assertContains(response, f'href="{PREFIX}bretagne/promotions/"')


# ------------------------------------------------------------------------------ detail


def test_the_detail_shows_entries_scores_counts_and_links(organiser_client, bretagne):
    entry(bretagne, "LTI-2026-0001", "4.25")
    entry(bretagne, "LTI-2026-0002", "1.5", eliminated=True)
    entry(bretagne, "LTI-2026-0003")

    response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))

    assert response.context["counts"] == {"total": 3, "scored": 2, "eliminated": 1}
    assertContains(response, "<dd>3 dont 2 notés et 1 éliminés</dd>", html=True)
    assertContains(response, "<td>4,250</td>", html=True)
    assertContains(response, "<td>non notée</td>", html=True)
    for page in ("jures", "conflits", "suivi", "promotions", "modifier"):
        assertContains(response, f'href="{PREFIX}bretagne/{page}/"')


def test_the_detail_links_to_the_assignment_page(organiser_client, bretagne):
    response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))

    assertContains(response, f'href="{PREFIX}bretagne/affectation/"')


def test_an_organiser_in_conflict_does_not_see_the_score(organiser_client, organiser, bretagne):
    conflicted = entry(bretagne, "LTI-2026-0001", "4.25")
    ConflictFactory(
        juror=JurorFactory(round=bretagne, user=organiser), application=conflicted.application
    )

    response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))

    assertContains(response, "<td>masquée (conflit d&#x27;intérêts)</td>", html=True)
    assert "4.25" not in response.content.decode()


def test_filling_from_the_page_adds_the_bretagne_dossiers(organiser_client, bretagne, brest):
    rennes_dossier = ApplicationFactory(
        edition=bretagne.edition, reference="LTI-2026-0001", state=ApplicationState.SUBMITTED
    )
    EligibilityFactory(application=rennes_dossier)
    toulouse = ApplicationFactory(
        edition=bretagne.edition,
        reference="LTI-2026-0002",
        state=ApplicationState.SUBMITTED,
        lead_organisation=Organisation.objects.get(kind="commune", insee_code="31555"),
    )
    EligibilityFactory(application=toulouse)
    response = organiser_client.post(reverse("jury:round_fill", kwargs=ROUND), follow=True)

    assertRedirects(response, reverse("jury:round_detail", kwargs=ROUND))
    assert [e.application.reference for e in response.context["page"]] == ["LTI-2026-0001"]
    assertContains(response, "1 dossier(s) ajouté(s) au tour : LTI-2026-0001.")


@pytest.mark.parametrize("count", [1, 3])
def test_the_detail_costs_the_same_queries_for_one_or_three_entries(
    organiser_client, bretagne, django_assert_num_queries, count
):
    for number in range(count):
        entry(bretagne, f"LTI-2026-{number + 1:04d}", "3.5")

    # session, user, round (with its edition), régions, criteria, counts, promotions, conflicts
    # and assignments of the organiser (jury.rules), page count, entries
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(12):
        response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))

    assert len(response.context["page"]) == count


# -------------------------------------------------------------------------- promotions


def test_stage_by_rule_then_apply_from_the_page(organiser_client, bretagne, national):
    theme = ThemeFactory(edition=bretagne.edition)
    entry(bretagne, "LTI-2026-0001", "4.0", theme=theme)
    entry(bretagne, "LTI-2026-0002", "4.0", theme=theme)
    entry(bretagne, "LTI-2026-0003", "3.0", theme=theme)
    bretagne.promotion_rule, bretagne.promotion_count = PromotionRule.TOP_N, 1
    bretagne.save()
    staged = organiser_client.post(reverse("jury:promotions_stage", kwargs=ROUND), follow=True)

    assertContains(staged, "2 dossier(s) proposé(s) selon la règle du tour.")
    assertContains(
        staged, "Ex aequo au dernier rang, tous proposés : LTI-2026-0001, LTI-2026-0002."
    )
    assert [
        (e.application.reference, state, tied) for e, state, tied in staged.context["rows"]
    ] == [
        ("LTI-2026-0001", "staged", True),
        ("LTI-2026-0002", "staged", True),
        ("LTI-2026-0003", None, False),
    ]

    organiser_client.post(
        reverse("jury:promotion_remove", kwargs=ROUND), {"reference": "LTI-2026-0002"}
    )
    applied = organiser_client.post(reverse("jury:promotions_apply", kwargs=ROUND), follow=True)

    assertContains(applied, "1 dossier(s) promu(s) au tour « Jury national ».")
    assert list(national.entries.values_list("application__reference", flat=True)) == [
        "LTI-2026-0001"
    ]
    assert list(bretagne.promotions.values_list("state", flat=True)) == [PromotionState.APPLIED]


def test_manual_rule_organisers_tick_dossiers(organiser_client, bretagne):
    entry(bretagne, "LTI-2026-0001", "2.0")
    response = organiser_client.post(
        reverse("jury:promotion_add", kwargs=ROUND), {"reference": "LTI-2026-0001"}, follow=True
    )

    assertRedirects(response, reverse("jury:promotions", kwargs=ROUND))
    assertContains(response, "Dossier LTI-2026-0001 proposé.")
    assert response.context["staged"] == 1
    assert "Proposer selon la règle du tour" not in response.content.decode()


def test_promotions_are_refused_clearly_without_a_next_round(organiser_client, bretagne):
    bretagne.next_round = None
    bretagne.save()
    entry(bretagne, "LTI-2026-0001", "2.0")

    response = organiser_client.post(
        reverse("jury:promotion_add", kwargs=ROUND), {"reference": "LTI-2026-0001"}, follow=True
    )

    assertContains(
        response,
        "Le tour « Sélection Bretagne » n&#x27;a pas de tour suivant : choisissez-le dans les "
        "paramètres du tour avant de proposer des promotions.",
    )
    assert Promotion.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_the_promotions_page_costs_the_same_queries_for_one_or_three_entries(
    organiser_client, bretagne, django_assert_num_queries, count
):
    for number in range(count):
        staged = entry(bretagne, f"LTI-2026-{number + 1:04d}", "3.5")
        Promotion.objects.create(round=bretagne, application=staged.application)

    # session, user, round (with its edition), entries, promotions, conflicts and assignments,
    # the edition's themes (the filter), then the evaluation progress (conflicts of the
    # edition, assignments)
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(11):
        response = organiser_client.get(reverse("jury:promotions", kwargs=ROUND))

    assert len(response.context["rows"]) == count


def test_the_promotions_page_lists_the_eliminated_last_whatever_their_score(
    organiser_client, bretagne
):
    entry(bretagne, "LTI-2026-0001", "3.0")
    entry(bretagne, "LTI-2026-0002", "4.5", eliminated=True)
    entry(bretagne, "LTI-2026-0003", "4.0")

    response = organiser_client.get(reverse("jury:promotions", kwargs=ROUND))

    assert [
        (e.application.reference, e.eliminated) for e, _state, _tied in response.context["rows"]
    ] == [("LTI-2026-0003", False), ("LTI-2026-0001", False), ("LTI-2026-0002", True)]
    assertContains(response, "<td>éliminé</td>", count=1, html=True)


def test_the_rule_says_each_theme_only_for_a_contest_with_themes(organiser_client, bretagne):
    bretagne.promotion_rule, bretagne.promotion_count = PromotionRule.TOP_N, 3
    bretagne.save()

    response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))
    assertContains(response, "<dd>Les 3 premiers de chaque thème</dd>", html=True)

    Contest.objects.filter(pk=bretagne.edition.contest_id).update(uses_themes=False)
    response = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))
    assertContains(response, "<dd>Les 3 premiers</dd>", html=True)
    assert "premiers de chaque thème" not in response.content.decode()
