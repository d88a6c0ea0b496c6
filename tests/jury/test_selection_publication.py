"""Publishing a regional round's selection on its IntercoTOUR stage's page: organisers only,
once the promotions are applied; nothing of it leaks before (page, .ics, API), and after only
the promoted dossiers' titles and lead organisations — never scores, never other dossiers."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applications.enums import ApplicationState
from contests.models import ActivityEntry, Contest
from jury.domain import rounds as rounds_domain
from jury.domain import selection_publication as domain
from jury.enums import RoundKind
from jury.models import Round
from territories.models import Organisation
from tests.factories import ApplicationFactory, ContestFactory, EditionFactory, EventFactory

from .factories import RoundEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db

ROUND_URL = "/organisation/concours/label-territoire-innovant/2026/tours/bretagne/"
PUBLISH_URL = f"{ROUND_URL}selection/publier/"
WITHDRAW_URL = f"{ROUND_URL}selection/retirer/"
STAGE_URL = "/evenements/intercotour-bretagne-2026/"
PROMOTED = ("Tiers-lieu numérique de Rennes", "Données ouvertes à Brest")
NOT_PROMOTED = "Projet resté en Bretagne"


@pytest.fixture
def stage():
    return EventFactory(
        kind="stage",
        name="IntercoTOUR Bretagne",
        slug="intercotour-bretagne-2026",
        city="Saint-Brieuc",
        region=Organisation.objects.get(kind="region", insee_code="53"),
        starts_on=date(2026, 4, 2),
        ends_on=date(2026, 4, 2),
    )


def make_round(stage, contest: Contest, year: int, slug: str = "bretagne") -> Round:
    edition = EditionFactory(contest=contest, year=year)
    national = RoundFactory(edition=edition, name="Jury national", slug="national", position=2)
    return RoundFactory(
        edition=edition,
        name="Sélection Bretagne",
        slug=slug,
        kind=RoundKind.REGIONAL,
        next_round=national,
        event=stage,
        position=1,
    )


def dossier(round_: Round, reference: str, title: str, lead: Organisation, score: str):
    application = ApplicationFactory(
        edition=round_.edition,
        reference=reference,
        title=title,
        lead_organisation=lead,
        state=ApplicationState.SUBMITTED,
    )
    RoundEntryFactory(round=round_, application=application, score=Decimal(score))
    return application


@pytest.fixture
def bretagne(stage, organiser, rennes, brest):
    """The label's 2026 Brittany round at the stage: two dossiers promoted (applied), one not."""
    round_ = make_round(stage, Contest.objects.get(slug="label-territoire-innovant"), 2026)
    dossier(round_, "LTI-2026-0001", PROMOTED[0], rennes, "4.25")
    dossier(round_, "LTI-2026-0002", PROMOTED[1], brest, "3.75")
    dossier(round_, "LTI-2026-0003", NOT_PROMOTED, rennes, "1.50")
    for reference in ("LTI-2026-0001", "LTI-2026-0002"):
        rounds_domain.stage_promotion(round_, reference, by=organiser)
    rounds_domain.apply_promotions(round_, by=organiser)
    return round_


def stage_rounds(response) -> list:
    """The rounds and selections the jury's section gave the stage's page (contests.hooks)."""
    [section] = response.context["sections"]
    return section.context["rounds"]


def reload(round_: Round) -> Round:
    return Round.objects.select_related("event").get(pk=round_.pk)


# ------------------------------------------------------------------------ the action


def test_organiser_publishes_the_selection(organiser_client, bretagne):
    response = organiser_client.post(PUBLISH_URL, follow=True)

    assertRedirects(response, ROUND_URL)
    assertContains(
        response, "La sélection est publiée sur la page de l&#x27;étape « IntercoTOUR Bretagne »."
    )
    assert reload(bretagne).selection_published_at is not None
    entry = ActivityEntry.objects.get(action="round.selection_published")
    assert (entry.subject, entry.by_email, entry.details) == (
        "bretagne",
        "organisatrice@interconnectes.fr",
        {"event": "intercotour-bretagne-2026", "promoted": ["LTI-2026-0001", "LTI-2026-0002"]},
    )
    assertContains(response, f'<form class="form" method="post" action="{WITHDRAW_URL}"')
    assertContains(response, "Retirer la publication")


def test_organiser_withdraws_the_publication(organiser_client, bretagne, organiser):
    domain.publish_selection(bretagne, by=organiser)
    published_at = reload(bretagne).selection_published_at

    response = organiser_client.post(WITHDRAW_URL, follow=True)

    assertContains(response, "La sélection n&#x27;est plus publiée sur la page de l&#x27;étape.")
    assert reload(bretagne).selection_published_at is None
    entry = ActivityEntry.objects.get(action="round.selection_withdrawn")
    assert (entry.subject, entry.details) == (
        "bretagne",
        {"published_at": published_at.isoformat()},
    )
    assertContains(response, f'<form class="form" method="post" action="{PUBLISH_URL}"')
    assertContains(response, "Publier la sélection")


def test_applicant_may_not_publish(applicant_client, bretagne):
    response = applicant_client.post(PUBLISH_URL)

    assert response.status_code == 403
    assert reload(bretagne).selection_published_at is None


def test_visitor_may_not_publish(visitor, bretagne):
    response = visitor.post(PUBLISH_URL)

    assert response.status_code == 302
    assert reload(bretagne).selection_published_at is None


def test_applicant_may_not_withdraw(applicant_client, bretagne, organiser):
    domain.publish_selection(bretagne, by=organiser)

    response = applicant_client.post(WITHDRAW_URL)

    assert response.status_code == 403
    assert reload(bretagne).selection_published_at is not None


def test_get_is_not_an_action(organiser_client, bretagne):
    assert organiser_client.get(PUBLISH_URL).status_code == 405
    assert organiser_client.get(WITHDRAW_URL).status_code == 405


def _refusal(client, round_) -> str:
    response = client.post(PUBLISH_URL, follow=True)
    assert reload(round_).selection_published_at is None
    return [str(message) for message in response.context["messages"]][-1]


def test_refused_without_a_stage(organiser_client, bretagne):
    Round.objects.filter(pk=bretagne.pk).update(event=None)

    assert _refusal(organiser_client, bretagne) == (
        "Ce tour n'est accueilli par aucune étape régionale : choisissez l'étape dans les "
        "paramètres du tour avant de publier sa sélection."
    )


def test_refused_before_promotions_are_applied(organiser_client, stage, organiser, rennes):
    round_ = make_round(stage, Contest.objects.get(slug="label-territoire-innovant"), 2026)
    dossier(round_, "LTI-2026-0001", PROMOTED[0], rennes, "4.25")
    assert _refusal(organiser_client, round_) == (
        "Les promotions de ce tour ne sont pas encore appliquées : la sélection est vide. "
        "Appliquez-les avant de la publier."
    )

    rounds_domain.stage_promotion(round_, "LTI-2026-0001", by=organiser)

    assert _refusal(organiser_client, round_) == (
        "Les promotions de ce tour ne sont pas encore appliquées : la sélection est vide. "
        "Appliquez-les avant de la publier."
    )


def test_refused_while_a_promotion_is_staged(organiser_client, bretagne, organiser):
    rounds_domain.stage_promotion(bretagne, "LTI-2026-0003", by=organiser)

    assert _refusal(organiser_client, bretagne) == (
        "Des promotions sont proposées sans être appliquées : appliquez-les ou retirez-les "
        "avant de publier la sélection."
    )


def test_refused_twice_and_withdraw_refused_when_not_published(bretagne, organiser):
    domain.publish_selection(bretagne, by=organiser)
    with pytest.raises(rounds_domain.RoundRefused) as twice:
        domain.publish_selection(bretagne, by=organiser)
    domain.withdraw_selection(bretagne, by=organiser)
    with pytest.raises(rounds_domain.RoundRefused) as withdrawn:
        domain.withdraw_selection(bretagne, by=organiser)

    assert (twice.value.message, withdrawn.value.message) == (
        "La sélection de ce tour est déjà publiée.",
        "La sélection de ce tour n'est pas publiée.",
    )
    assert ActivityEntry.objects.filter(action__startswith="round.selection_").count() == 2


def test_round_page_without_a_stage_has_no_publication_form(organiser_client, bretagne):
    Round.objects.filter(pk=bretagne.pk).update(event=None)

    response = organiser_client.get(ROUND_URL)

    assertNotContains(response, "Publier la sélection")


# ------------------------------------------------------------------ what the public sees


def test_nothing_leaks_before_publication(visitor, bretagne):
    page = visitor.get(STAGE_URL)
    ics = visitor.get("/evenements/intercotour-bretagne-2026.ics").content.decode()
    calendar = visitor.get("/evenements/calendrier.ics").content.decode()
    api = visitor.get("/api/v1/events").content.decode()

    assertContains(
        page,
        "<h3>Label Territoire Innovant 2026 – Sélection Bretagne</h3>"
        "<p>La sélection sera publiée à l'issue de l'étape.</p>",
        html=True,
    )
    for text in (page.content.decode(), ics, calendar, api):
        for title in (*PROMOTED, NOT_PROMOTED, "LTI-2026-000"):
            assert title not in text
    assert json.loads(api)["results"][0]["id"] == "intercotour-bretagne-2026"


def test_selection_shown_after_publication_exact(visitor, bretagne, organiser):
    domain.publish_selection(bretagne, by=organiser)
    day = timezone.localtime(reload(bretagne).selection_published_at)

    response = visitor.get(STAGE_URL)

    assertContains(
        response,
        f"<p>Sélection publiée le {day.day} {MONTHS[day.month]} {day.year} : 2 dossiers retenus "
        "pour la suite du concours.</p>"
        "<ul><li><strong>Données ouvertes à Brest</strong> – Brest</li>"
        "<li><strong>Tiers-lieu numérique de Rennes</strong> – Rennes</li></ul>",
        html=True,
    )
    html = response.content.decode()
    assert NOT_PROMOTED not in html
    for score in ("4.25", "4,25", "3.75", "3,75", "LTI-2026-0001"):
        assert score not in html


def test_selection_stays_off_the_calendars_and_the_api_after_publication(
    visitor, bretagne, organiser
):
    domain.publish_selection(bretagne, by=organiser)

    for url in (
        "/evenements/intercotour-bretagne-2026.ics",
        "/evenements/calendrier.ics",
        "/api/v1/events",
    ):
        text = visitor.get(url).content.decode()
        assert not any(title in text for title in (*PROMOTED, NOT_PROMOTED)), url


def test_withdrawn_publication_hides_the_selection_again(visitor, bretagne, organiser):
    domain.publish_selection(bretagne, by=organiser)
    domain.withdraw_selection(bretagne, by=organiser)

    response = visitor.get(STAGE_URL)

    assertContains(response, "La sélection sera publiée à l'issue de l'étape.")
    assertNotContains(response, PROMOTED[0])


def test_dossier_withdrawn_by_its_applicants_leaves_the_public_selection(
    visitor, bretagne, organiser
):
    domain.publish_selection(bretagne, by=organiser)
    bretagne.edition.applications.filter(reference="LTI-2026-0002").update(
        state=ApplicationState.WITHDRAWN
    )

    response = visitor.get(STAGE_URL)

    assertContains(response, PROMOTED[0])
    assertNotContains(response, PROMOTED[1])


def test_two_contests_rounds_at_one_stage_are_both_listed(visitor, bretagne, organiser, brest):
    startup = ContestFactory(name="Start-up Interconnectée d'essai", slug="start-up-essai")
    other = make_round(bretagne.event, startup, 2026, slug="bretagne-start-up")
    dossier(other, "SUI-2026-0001", "Capteurs pour les écoles", brest, "4.00")
    domain.publish_selection(bretagne, by=organiser)

    response = visitor.get(STAGE_URL)

    assert [
        (round_.edition.contest.name, round_.slug, [d.title for d in selection])
        for round_, selection in stage_rounds(response)
    ] == [
        ("Label Territoire Innovant", "bretagne", ["Données ouvertes à Brest", PROMOTED[0]]),
        ("Start-up Interconnectée d'essai", "bretagne-start-up", []),
    ]
    assertContains(
        response,
        "<h3>Start-up Interconnectée d&#x27;essai 2026 – Sélection Bretagne</h3>"
        "<p>La sélection sera publiée à l'issue de l'étape.</p>",
        html=True,
    )
    assertNotContains(response, "Capteurs pour les écoles")


@pytest.mark.parametrize("rounds", [1, 3])
def test_stage_page_query_count_does_not_grow(
    visitor, stage, organiser, rennes, django_assert_num_queries, rounds
):
    label = Contest.objects.get(slug="label-territoire-innovant")
    for number in range(rounds):
        round_ = make_round(stage, label, 2030 + number)
        dossier(round_, f"LTI-{2030 + number}-0001", f"Projet {number}", rennes, "4.00")
        rounds_domain.stage_promotion(round_, f"LTI-{2030 + number}-0001", by=organiser)
        rounds_domain.apply_promotions(round_, by=organiser)
        domain.publish_selection(round_, by=organiser)

    # The event with its région, its rounds with edition and contest, the promoted dossiers.
    with django_assert_num_queries(3):
        response = visitor.get(STAGE_URL)

    assert len(stage_rounds(response)) == rounds


MONTHS = {
    1: "janvier",
    2: "février",
    3: "mars",
    4: "avril",
    5: "mai",
    6: "juin",
    7: "juillet",
    8: "août",
    9: "septembre",
    10: "octobre",
    11: "novembre",
    12: "décembre",
}
