"""The organisers' eligibility page (who may see it, decisions, filters, bulk, query count) and
the notice on the applicant's dossier page."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applications.enums import ApplicationState
from contests.models import ActivityEntry, Contest
from jury.models import Eligibility
from tests.factories import ApplicationFactory, EditionFactory, ThemeFactory, UserFactory

from .factories import EligibilityFactory, JurorFactory, RoundEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db

KWARGS = {"contest_slug": "label-territoire-innovant", "year": 2026}
URL = reverse("jury:eligibility", kwargs=KWARGS)
BULK_URL = reverse("jury:eligibility_bulk", kwargs=KWARGS)
REASON = "Le projet n'est pas porté par une collectivité."


@pytest.fixture
def edition():
    return EditionFactory(contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026)


@pytest.fixture
def themes(edition):
    return (
        ThemeFactory(edition=edition, name="Mobilité", slug="mobilite"),
        ThemeFactory(edition=edition, name="Données", slug="donnees"),
    )


def dossier(edition, reference, state=ApplicationState.SUBMITTED, **kwargs):
    return ApplicationFactory(
        edition=edition, reference=reference, state=state, title=f"Projet {reference}", **kwargs
    )


@pytest.fixture
def dossiers(edition, themes, rennes):
    """0001 undecided (Mobilité), 0002 ineligible (Données), 0003 eligible, 0004 a draft."""
    first = dossier(edition, "LTI-2026-0001", theme=themes[0], lead_organisation=rennes)
    second = dossier(edition, "LTI-2026-0002", ApplicationState.INELIGIBLE, theme=themes[1])
    EligibilityFactory(application=second, eligible=False, reason="Dossier incomplet.")
    third = dossier(edition, "LTI-2026-0003", theme=themes[0])
    EligibilityFactory(application=third, eligible=True)
    dossier(edition, "LTI-2026-0004", ApplicationState.DRAFT)
    return first, second, third


def listed(response) -> list[str]:
    return [application.reference for application, _form in response.context["rows"]]


def row_form(response, reference: str):
    return {application.reference: form for application, form in response.context["rows"]}[
        reference
    ]


# ------------------------------------------------------------------------------ access


def test_organiser_may_see_the_submitted_dossiers_with_their_decisions(organiser_client, dossiers):
    response = organiser_client.get(URL)

    assert listed(response) == ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003"]
    assertContains(response, '<p class="reason">Motif : Dossier incomplet.</p>', html=True)
    assertContains(response, '<span class="muted">Sans décision</span>', html=True)
    assert response.context["tallies"] == {
        "undecided": 1,
        "eligible": 1,
        "ineligible": 1,
        "bulk": 1,
    }


def test_applicant_may_not_see_the_page(applicant_client, dossiers):
    assert applicant_client.get(URL).status_code == 403
    assert applicant_client.post(BULK_URL).status_code == 403
    assert (
        applicant_client.post(
            URL, {"reference": "LTI-2026-0001", "LTI-2026-0001-decision": "eligible"}
        ).status_code
        == 403
    )
    assert Eligibility.objects.count() == 2


def test_juror_may_not_see_the_page(client, edition, dossiers):
    juror = JurorFactory(round=RoundFactory(edition=edition), user=UserFactory())
    client.force_login(juror.user)

    assert client.get(URL).status_code == 403


def test_visitor_is_sent_to_login(visitor, dossiers):
    response = visitor.get(URL)

    assertRedirects(
        response, f"{reverse('accounts:login')}?next={URL}", fetch_redirect_response=False
    )


def test_unknown_edition_is_404(organiser_client):
    assert organiser_client.get(URL).status_code == 404


# --------------------------------------------------------------------------- decisions


def test_organiser_declares_a_dossier_ineligible_with_a_reason(
    organiser_client, dossiers, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{URL}?theme=mobilite",
            {
                "reference": "LTI-2026-0001",
                "LTI-2026-0001-decision": "ineligible",
                "LTI-2026-0001-reason": REASON,
            },
        )

    assertRedirects(response, f"{URL}?theme=mobilite", fetch_redirect_response=False)
    dossiers[0].refresh_from_db()
    assert (dossiers[0].state, dossiers[0].eligibility.reason) == (
        ApplicationState.INELIGIBLE,
        REASON,
    )
    assert [(m.subject, m.to) for m in mailoutbox] == [
        (
            "Label Territoire Innovant 2026 : votre dossier LTI-2026-0001 n'est pas recevable",
            ["agent@rennes.fr"],
        )
    ]


def test_the_reason_is_mandatory_and_nothing_changes(organiser_client, dossiers):
    response = organiser_client.post(
        URL,
        {
            "reference": "LTI-2026-0001",
            "LTI-2026-0001-decision": "ineligible",
            "LTI-2026-0001-reason": "  ",
        },
    )

    dossiers[0].refresh_from_db()
    form = row_form(response, "LTI-2026-0001")
    assert (response.status_code, dossiers[0].state, form.errors) == (
        200,
        ApplicationState.SUBMITTED,
        {"reason": ["Indiquez le motif de l'irrecevabilité."]},
    )
    assertContains(response, "<title>Erreur – Recevabilité – Label Territoire Innovant 2026")
    assert not Eligibility.objects.filter(application=dossiers[0]).exists()


def test_a_missing_choice_keeps_the_reason_typed(organiser_client, dossiers):
    response = organiser_client.post(
        URL, {"reference": "LTI-2026-0001", "LTI-2026-0001-reason": "Brouillon de motif"}
    )

    form = row_form(response, "LTI-2026-0001")
    assert (form.errors, form["reason"].value()) == (
        {"decision": ["Choisissez « recevable » ou « irrecevable »."]},
        "Brouillon de motif",
    )
    assertContains(response, ">\nBrouillon de motif</textarea>")


def test_organiser_corrects_an_ineligible_dossier_to_eligible(organiser_client, dossiers):
    response = organiser_client.post(
        URL, {"reference": "LTI-2026-0002", "LTI-2026-0002-decision": "eligible"}
    )

    assert response.status_code == 302
    dossiers[1].refresh_from_db()
    assert (dossiers[1].state, dossiers[1].eligibility.eligible) == (
        ApplicationState.SUBMITTED,
        True,
    )


def test_a_refusal_of_the_domain_is_shown_on_the_row(organiser_client, edition, dossiers):
    RoundEntryFactory(round=RoundFactory(edition=edition, name="Bretagne"), application=dossiers[2])

    response = organiser_client.post(
        URL,
        {
            "reference": "LTI-2026-0003",
            "LTI-2026-0003-decision": "ineligible",
            "LTI-2026-0003-reason": REASON,
        },
    )

    assertContains(
        response,
        "Le dossier LTI-2026-0003 figure déjà dans le tour « Bretagne » : il ne peut plus être "
        "déclaré irrecevable.",
    )
    assert row_form(response, "LTI-2026-0003")["reason"].value() == REASON


def test_a_draft_cannot_be_posted(organiser_client, dossiers):
    response = organiser_client.post(
        URL, {"reference": "LTI-2026-0004", "LTI-2026-0004-decision": "eligible"}
    )

    assert response.status_code == 404


def test_bulk_marks_only_the_undecided_submitted_dossiers_of_the_filter(
    organiser_client, edition, themes, dossiers
):
    dossier(edition, "LTI-2026-0005", theme=themes[1])

    response = organiser_client.post(f"{BULK_URL}?theme=mobilite")

    assertRedirects(response, f"{URL}?theme=mobilite", fetch_redirect_response=False)
    assert sorted(
        Eligibility.objects.filter(eligible=True).values_list("application__reference", flat=True)
    ) == ["LTI-2026-0001", "LTI-2026-0003"]
    assert list(
        ActivityEntry.objects.filter(action="jury.eligibility_decided").values_list(
            "subject", flat=True
        )
    ) == ["LTI-2026-0001"]


def test_bulk_without_filters_marks_every_undecided_submitted_dossier(
    organiser_client, edition, themes, dossiers
):
    dossier(edition, "LTI-2026-0005", theme=themes[1])

    response = organiser_client.post(BULK_URL)

    assertRedirects(response, URL, fetch_redirect_response=False)
    assert sorted(
        Eligibility.objects.filter(eligible=True).values_list("application__reference", flat=True)
    ) == ["LTI-2026-0001", "LTI-2026-0003", "LTI-2026-0005"]


def test_bulk_is_post_only(organiser_client, dossiers):
    assert organiser_client.get(BULK_URL).status_code == 405
    assert Eligibility.objects.count() == 2


def test_bulk_button_counts_the_undecided(organiser_client, dossiers):
    response = organiser_client.get(URL)

    assertContains(response, "Déclarer recevable le dossier déposé sans décision")


def test_the_bulk_form_carries_the_filters_of_the_page(organiser_client, dossiers):
    response = organiser_client.get(f"{URL}?theme=mobilite&decision=undecided")

    assertContains(
        response,
        f'<form class="form" method="post" action="{BULK_URL}?theme=mobilite&amp;'
        'decision=undecided">',
    )


# ----------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=mobilite", ["LTI-2026-0001", "LTI-2026-0003"]),
        ("state=ineligible", ["LTI-2026-0002"]),
        ("decision=undecided", ["LTI-2026-0001"]),
        ("decision=decided", ["LTI-2026-0002", "LTI-2026-0003"]),
        ("decision=eligible", ["LTI-2026-0003"]),
        ("decision=ineligible", ["LTI-2026-0002"]),
        ("theme=mobilite&decision=undecided", ["LTI-2026-0001"]),
        # An unknown value is reported and ignored, the list stays whole.
        ("theme=inconnu", ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003"]),
    ],
)
def test_filters(organiser_client, dossiers, query, expected):
    assert listed(organiser_client.get(f"{URL}?{query}")) == expected


def test_an_empty_filter_says_so(organiser_client, dossiers):
    response = organiser_client.get(f"{URL}?state=ineligible&decision=eligible")

    assertContains(response, "Aucun dossier ne correspond à ces filtres.")
    assertNotContains(response, "<table")


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_queries_for_one_or_three_dossiers(
    organiser_client, edition, themes, rennes, django_assert_num_queries, count
):
    for number in range(count):
        application = dossier(edition, f"LTI-2026-{number + 1:04d}", theme=themes[0])
        EligibilityFactory(application=application, eligible=number % 2 == 0, reason="Hors délai.")

    # session, user, edition, count, rows, tallies, theme choices of the filter
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(8):
        response = organiser_client.get(URL)

    assert len(response.context["rows"]) == count


# --------------------------------------------------------- the applicant's dossier page


def test_the_notice_tells_the_applicant_the_reason(edition):
    application = ApplicationFactory(edition=edition, reference="LTI-2026-0001")
    EligibilityFactory(application=application, eligible=False, reason="Hors délai.")

    html = render_to_string("jury/eligibility/applicant_notice.html", {"application": application})

    assert "Le dossier a été déclaré irrecevable le" in html
    assert '<p class="reason">Motif : Hors délai.</p>' in html


def test_the_notice_says_nothing_before_a_decision(edition):
    application = ApplicationFactory(edition=edition, reference="LTI-2026-0001")

    html = render_to_string("jury/eligibility/applicant_notice.html", {"application": application})

    assert html.strip() == ""


def test_a_refused_decision_puts_its_error_beside_the_dossier_with_the_focus(
    organiser_client, edition, dossiers
):
    RoundEntryFactory(round=RoundFactory(edition=edition, name="Bretagne"), application=dossiers[2])

    response = organiser_client.post(
        URL,
        {
            "reference": "LTI-2026-0003",
            "LTI-2026-0003-decision": "ineligible",
            "LTI-2026-0003-reason": REASON,
        },
    )

    page = response.content.decode()
    assert page.count("autofocus") == 1
    assert (
        '<td id="decision-LTI-2026-0003"><div class="message message-error" role="alert" '
        'id="erreur-LTI-2026-0003" tabindex="-1" autofocus><p>Le dossier LTI-2026-0003 figure '
        "déjà dans le tour « Bretagne » : il ne peut plus être déclaré irrecevable.</p></div>"
    ) in page


def test_a_missing_reason_is_announced_beside_its_dossier(organiser_client, dossiers):
    response = organiser_client.post(
        URL,
        {"reference": "LTI-2026-0001", "LTI-2026-0001-decision": "ineligible"},
    )

    assertContains(
        response,
        'id="erreur-LTI-2026-0001" tabindex="-1" autofocus><p>La décision sur le dossier '
        "LTI-2026-0001 n'est pas enregistrée : corrigez le champ signalé.</p></div>",
    )


def test_a_page_without_error_moves_no_focus(organiser_client, dossiers):
    response = organiser_client.get(URL)

    assert "autofocus" not in response.content.decode()
