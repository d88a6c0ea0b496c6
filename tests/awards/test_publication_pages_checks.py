"""The publication page's checks: incomplete evaluations, dossiers no round examined (one form
each), cancelling a scheduled publication, who published."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applications.enums import ApplicationState
from applications.models import Application
from awards.models import Deliberation, UnexaminedDecision
from awards.publication import (
    PublicationRefused,
    cancel_scheduled_publication,
    schedule_publication,
)
from awards.publication.outcomes import blocking_reasons
from awards.tasks import publish_scheduled
from contests.models import ActivityEntry
from tests.factories import ApplicationFactory
from tests.jury.factories import AssignmentFactory, JurorFactory

from .publication_setup import (
    commune,
    deferred_tasks_fixture,  # noqa: F401
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

URL = "/organisation/concours/label-territoire-innovant/2028/publication/"
CANCEL_URL = f"{URL}annuler-la-programmation/"
REASON = "Aucune sélection régionale ne couvrait la Bretagne cette année."


def never_examined(setup, number: int):
    return ApplicationFactory(
        edition=setup.edition,
        reference=f"LTI-2028-{number:04d}",
        lead_organisation=commune("56260"),
        title=f"Projet jamais examiné {number}",
        state=ApplicationState.SUBMITTED,
    )


def decide_url(reference: str) -> str:
    return f"{URL}dossiers-non-examines/{reference}/"


# ----------------------------------------------------------------- incomplete evaluations


def test_page_warns_about_evaluations_not_sent(setup, organiser_client):
    juror = JurorFactory(round=setup.deliberation.round, full_name="Claire Martin")
    AssignmentFactory(juror=juror, application=setup.laureate)
    AssignmentFactory(juror=juror, application=setup.argent)

    response = organiser_client.get(URL)

    assertContains(response, "Toutes les évaluations attendues ne sont pas envoyées")
    round_name = setup.deliberation.round.name
    assertContains(
        response,
        escape(
            f"Tour « {round_name} » : 0 évaluations envoyées sur 2 ; en attente : "
            "LTI-2028-0001, LTI-2028-0002."
        ),
    )


def test_page_says_nothing_of_evaluations_when_none_is_missing(setup, organiser_client):
    response = organiser_client.get(URL)

    assertNotContains(response, "évaluations attendues")


# ------------------------------------------------------------ dossiers no round examined


def test_page_lists_the_dossiers_no_round_examined_and_holds_the_publish_form(
    setup, organiser_client
):
    never_examined(setup, 5)

    response = organiser_client.get(URL)

    assertContains(response, "<h2 id=\"non-examines\">Dossiers qu'aucun tour n'a examinés</h2>")
    assertContains(response, "LTI-2028-0005 – Projet jamais examiné 5")
    assertContains(response, f'action="{decide_url("LTI-2028-0005")}"')
    assertContains(response, 'name="LTI-2028-0005-reason"')
    assertContains(
        response,
        escape(
            "Aucun tour n'a examiné le dossier LTI-2028-0005 : décidez de son issue, avec un "
            "motif, avant de publier."
        ),
    )
    assertNotContains(response, "Publier le palmarès</button>")


def test_organiser_decides_an_outcome_then_may_publish(setup, organiser, organiser_client):
    never_examined(setup, 5)

    response = organiser_client.post(
        decide_url("LTI-2028-0005"),
        {"LTI-2028-0005-outcome": "not_awarded", "LTI-2028-0005-reason": REASON},
    )
    page = organiser_client.get(URL)

    assertRedirects(response, URL)
    decision = UnexaminedDecision.objects.get()
    assert (decision.outcome, decision.reason, decision.decided_by) == (
        "not_awarded",
        REASON,
        organiser,
    )
    assertContains(page, f"Issue décidée : Non labellisé, le {timezone.localdate():%-d}")
    assertContains(page, "Publier le palmarès</button>")


def test_a_refused_outcome_keeps_what_was_typed(setup, organiser_client):
    never_examined(setup, 5)

    missing = organiser_client.post(
        decide_url("LTI-2028-0005"), {"LTI-2028-0005-outcome": "ineligible"}
    )

    assert missing.status_code == 200
    assertContains(missing, "<title>Erreur – Publication du palmarès", html=False)
    assertContains(
        missing, "Indiquez le motif : il sera communiqué aux candidats avec le résultat."
    )
    assertContains(missing, 'value="ineligible" required id="id_LTI-2028-0005-outcome_1" checked')
    assert not UnexaminedDecision.objects.exists()


def test_applicants_may_not_decide_an_outcome(setup, applicant_client):
    never_examined(setup, 5)

    response = applicant_client.post(
        decide_url("LTI-2028-0005"),
        {"LTI-2028-0005-outcome": "not_awarded", "LTI-2028-0005-reason": REASON},
    )

    assert response.status_code == 403
    assert not UnexaminedDecision.objects.exists()


def test_an_examined_or_unknown_dossier_has_no_outcome_form(setup, organiser_client):
    data = {"LTI-2028-0003-outcome": "not_awarded", "LTI-2028-0003-reason": REASON}

    examined = organiser_client.post(decide_url("LTI-2028-0003"), data)
    unknown = organiser_client.post(decide_url("LTI-2028-0099"), data)

    assert (examined.status_code, unknown.status_code) == (404, 404)


@pytest.mark.parametrize("count", [1, 3])
def test_the_preview_costs_the_same_queries_for_one_or_three_such_dossiers(
    setup, organiser_client, django_assert_num_queries, count
):
    for number in range(5, 5 + count):
        never_examined(setup, number)
    organiser_client.get(URL)  # sessions and caches warmed up

    # The same count for one dossier or three: no query per dossier (24 since the jury members).
    # +1: the contests the organiser is kept to (contests.rules, once a request); -3: the
    # preview counts the outcomes without loading the dossiers, their leads and co-porteurs;
    # +2: the decisions' distinctions (counted, and in the blocking reasons; naming them costs
    # a query only when some were decided); -1: the blocking reasons ask the database for the
    # awarded dossiers out of competition instead of loading every decision.
    with django_assert_num_queries(23):
        response = organiser_client.get(URL)

    assert len(response.context["unexamined"]) == count


def test_the_dossiers_no_round_examined_come_a_page_of_forms_at_a_time(
    setup, organiser_client, monkeypatch
):
    monkeypatch.setattr("awards.views.publication.PER_PAGE", 2)
    for number in (5, 6, 7):
        never_examined(setup, number)

    first = organiser_client.get(URL)
    second = organiser_client.get(URL, {"page": 2})
    # A refused form of the second page's dossier comes back on that page.
    refused = organiser_client.post(decide_url("LTI-2028-0007"), {"LTI-2028-0007-outcome": ""})

    def shown(response) -> list[str]:
        return [row.application.reference for row, _form in response.context["unexamined"]]

    assert shown(first) == ["LTI-2028-0005", "LTI-2028-0006"]
    assert shown(second) == ["LTI-2028-0007"]
    assert shown(refused) == ["LTI-2028-0007"]
    assertContains(first, f'href="{URL}?page=2#non-examines" rel="next"')
    assertContains(first, "Page 1 sur 2 (3 dossiers)")
    # The blocking message still names every undecided dossier, not only the page's.
    assertContains(first, "LTI-2028-0005, LTI-2028-0006, LTI-2028-0007")
    assertNotContains(second, 'rel="next"')


def test_deciding_a_dossier_of_the_second_page_comes_back_to_it(setup, organiser_client):
    never_examined(setup, 5)

    response = organiser_client.post(
        decide_url("LTI-2028-0005"),
        {"LTI-2028-0005-outcome": "not_awarded", "LTI-2028-0005-reason": REASON, "page": "2"},
    )

    assertRedirects(response, f"{URL}?page=2", fetch_redirect_response=False)


# --------------------------------------------------------------- scheduling, cancelling


def test_organiser_cancels_a_scheduled_publication_and_the_task_does_nothing(
    setup, organiser, organiser_client, deferred_tasks
):
    at = timezone.now() + timedelta(days=2)
    schedule_publication(setup.deliberation, at, organiser)

    response = organiser_client.post(CANCEL_URL, follow=True)

    assertContains(response, "La publication programmée est annulée : rien ne sera publié.")
    assertNotContains(response, "Publication programmée le")
    setup.deliberation.refresh_from_db()
    assert (setup.deliberation.publish_at, setup.deliberation.publish_scheduled_by) == (None, None)
    entry = ActivityEntry.objects.get(action="awards.publication_cancelled")
    assert (entry.by, entry.details) == (organiser, {"publish_at": at.isoformat()})
    # The task queued for that moment runs then, and finds nothing to publish.
    assert publish_scheduled.call(setup.deliberation.pk) is False
    setup.deliberation.refresh_from_db()
    assert setup.deliberation.state == "validated"


def test_cancelling_without_a_scheduled_publication_is_refused(setup, organiser_client):
    response = organiser_client.post(CANCEL_URL, follow=True)

    assertContains(response, "Aucune publication n&#x27;est programmée.")
    assert not ActivityEntry.objects.filter(action="awards.publication_cancelled").exists()


def test_applicants_may_not_cancel_a_scheduled_publication(setup, organiser, applicant_client):
    at = timezone.now() + timedelta(days=2)
    schedule_publication(setup.deliberation, at, organiser)

    response = applicant_client.post(CANCEL_URL)

    assert response.status_code == 403
    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at == at


def test_cancelling_is_refused_once_published(setup, organiser):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(state="published")

    with pytest.raises(PublicationRefused, match=r"Aucune publication n'est programmée\."):
        cancel_scheduled_publication(setup.deliberation, by=organiser)


def test_a_scheduled_publication_is_published_in_the_name_of_who_scheduled_it(
    setup, organiser, organiser_client, deferred_tasks
):
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=2), organiser)
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )

    assert publish_scheduled.call(setup.deliberation.pk) is True

    setup.deliberation.refresh_from_db()
    assert setup.deliberation.published_by == organiser
    assert ActivityEntry.objects.get(action="awards.published").by == organiser
    assertContains(organiser_client.get(URL), f"(heure de Paris) par {organiser.full_name}.")


def test_one_form_gives_every_undecided_dossier_the_same_outcome(setup, organiser_client):
    for number in (5, 6, 7):
        never_examined(setup, number)
    decide_unexamined_now = organiser_client.post(
        decide_url("LTI-2028-0005"),
        {"LTI-2028-0005-outcome": "ineligible", "LTI-2028-0005-reason": "Hors du champ."},
    )
    page = organiser_client.get(URL)

    response = organiser_client.post(
        f"{URL}dossiers-non-examines/",
        {"tous-outcome": "not_awarded", "tous-reason": REASON},
        follow=True,
    )

    assertRedirects(decide_unexamined_now, URL)
    assertContains(page, "La même issue pour tous les dossiers encore sans issue")
    assertContains(response, "Issue enregistrée pour 2 dossiers : LTI-2028-0006, LTI-2028-0007.")
    assert sorted(UnexaminedDecision.objects.values_list("application__reference", "outcome")) == [
        ("LTI-2028-0005", "ineligible"),  # decided before, kept
        ("LTI-2028-0006", "not_awarded"),
        ("LTI-2028-0007", "not_awarded"),
    ]
    assertNotContains(response, "La même issue pour tous")  # nothing left undecided
    assertContains(response, "Publier le palmarès</button>")


def test_the_form_for_all_refuses_what_one_of_them_cannot_be_and_keeps_the_input(
    setup, organiser_client
):
    never_examined(setup, 5)
    shortlisted = never_examined(setup, 6)
    type(shortlisted).objects.filter(pk=shortlisted.pk).update(state=ApplicationState.SHORTLISTED)

    response = organiser_client.post(
        f"{URL}dossiers-non-examines/", {"tous-outcome": "ineligible", "tous-reason": REASON}
    )

    assert response.status_code == 200
    assertContains(
        response,
        escape(
            "Le dossier LTI-2028-0006 est « Retenu pour l'audition » : il ne peut plus être "
            "déclaré irrecevable. Choisissez « non labellisé »."
        ),
    )
    assertContains(response, f"{escape(REASON)}</textarea>")
    assert not UnexaminedDecision.objects.exists()


def test_one_undecided_dossier_needs_no_form_for_all(setup, organiser_client):
    never_examined(setup, 5)

    assertNotContains(organiser_client.get(URL), "La même issue pour tous")


# ----------------------------------------------- a laureate withdrawn after the validation


def test_a_laureate_withdrawn_after_validation_blocks_publication_by_its_reference(setup):
    Application.objects.filter(pk=setup.argent.pk).update(state=ApplicationState.WITHDRAWN)

    assert blocking_reasons(setup.deliberation) == [
        "Ces dossiers ont un niveau ou une distinction mais ne sont plus en compétition "
        "(retirés ?) : LTI-2028-0002."
    ]


def test_a_withdrawn_dossier_without_level_or_distinction_does_not_block_publication(setup):
    # Brest's decision has no level: withdrawn, it is simply not a laureate.
    Application.objects.filter(pk=setup.brest.pk).update(state=ApplicationState.WITHDRAWN)

    assert blocking_reasons(setup.deliberation) == []
