"""The public call (/candidater/): readable by anyone while published, 404 before, « closed »
after; its « Candidater » button; the home page and header while open; the extension email."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from applications import domain
from contests import call
from contests.models import Edition, Level, Phase, Theme
from notifications.models import OutgoingEmail

from .conftest import add_content, add_phases, paris

CALL = "/candidater/label-territoire-innovant/2031/"
START = "/candidatures/nouveau/label-territoire-innovant/2031/"
# A fixed deadline far enough ahead: the text is exact whatever day the tests run.
DEADLINE = paris(2040, 2, 1, 12)


@pytest.fixture
def published(label) -> Edition:
    """The 2031 edition, its call opened yesterday until 1 February 2040 at noon."""
    edition = Edition.objects.create(
        contest=label,
        year=2031,
        rules_text="Article 1 – Objet.\n\nArticle 2 – Candidats.",
        contact_email="label@interconnectes.fr",
    )
    now = timezone.now()
    add_phases(
        edition,
        {
            "draft": now - timedelta(days=60),
            "applications_open": now - timedelta(days=1),
            "applications_closed": DEADLINE,
            "regional_selection": paris(2040, 3, 1, 9),
            "auditions": paris(2040, 4, 10, 9),
        },
    )
    add_content(edition)
    Theme.objects.filter(edition=edition, slug="inclusion").update(
        description="Rendre les services numériques accessibles à tous."
    )
    Level.objects.create(edition=edition, code="or", name="Or", rank=1)
    return edition


def test_the_call_page_tells_everything_without_an_account(client, published):
    response = client.get(CALL)

    assertContains(
        response, "<h1>Appel à candidatures Label Territoire Innovant 2031</h1>", html=True
    )
    assertContains(
        response,
        "Les dossiers se déposent jusqu'au <strong>1er février 2040 à 12:00</strong> "
        "(heure de Paris).",
    )
    assertContains(response, "<h3>Inclusion numérique</h3>", html=True)
    assertContains(response, "Rendre les services numériques accessibles à tous.")
    assertContains(response, "Une réponse nouvelle au regard de territoires comparables.")
    assertContains(
        response, "élimine le dossier : dès qu&#x27;un juré juge un critère insuffisant."
    )
    assertContains(response, "<li>Label or</li>", html=True)
    assertContains(response, "<li>Auditions : 10 avril 2040 à 09:00</li>", html=True)
    assertContains(response, "<p>Article 2 – Candidats.</p>", html=True)
    assertContains(response, 'href="mailto:label@interconnectes.fr"')
    assertNotContains(response, "<script")


def test_a_visitor_is_sent_to_sign_up_then_to_a_new_dossier(client, published):
    response = client.get(CALL)

    next_query = "next=%2Fcandidatures%2Fnouveau%2Flabel-territoire-innovant%2F2031%2F"
    assertContains(
        response, f'<a class="button" href="/compte/inscription/?{next_query}">', count=2
    )
    assertContains(response, f'href="/compte/connexion/?{next_query}"')


def test_a_signed_in_agent_goes_straight_to_a_new_dossier(applicant_client, published):
    response = applicant_client.get(CALL)

    assertContains(response, f'<a class="button" href="{START}">', count=2)
    assertNotContains(response, "/compte/inscription/")


def test_an_unpublished_call_is_not_found_anywhere(client, published):
    Phase.objects.filter(edition=published).update(may_apply=False)
    call.refresh_open_calls()  # a bulk update sends no signal

    assert client.get(CALL).status_code == 404
    assert client.get(f"{CALL}reglement.pdf").status_code == 404
    assertNotContains(client.get("/candidater/"), CALL)
    assertNotContains(client.get("/"), CALL)


def test_an_unknown_call_is_not_found(client, published):
    assert client.get("/candidater/label-territoire-innovant/1999/").status_code == 404
    assert client.get("/candidater/inconnu/2031/").status_code == 404


def test_the_open_call_is_on_the_home_page_and_in_the_header(client, published):
    home = client.get("/")

    assertContains(home, f'<a href="{CALL}">Label Territoire Innovant 2031</a>', html=True)
    assertContains(home, "dossiers à déposer avant le 1er février 2040 à 12:00 (heure de Paris)")
    assertContains(home, '<li><a href="/candidater/">Candidater</a></li>', html=True)
    listing = client.get("/candidater/")
    assertContains(listing, f'<a href="{CALL}">Label Territoire Innovant 2031</a>', html=True)


def test_once_closed_nothing_is_announced_and_the_page_says_so(client, published, organiser):
    call.close_call(published, by=organiser)

    home = client.get("/")
    assertNotContains(home, CALL)
    assertNotContains(home, 'href="/candidater/"')
    assertContains(client.get("/candidater/"), "Aucun appel à candidatures n'est ouvert")
    page = client.get(CALL)
    assert page.status_code == 200
    assertContains(page, "Cet appel à candidatures est clos depuis le")
    assertContains(page, "La date d'ouverture du prochain appel n'est pas encore annoncée")
    assertNotContains(page, START)
    assertNotContains(page, "/compte/inscription/")


def test_a_closed_call_names_when_the_next_opens(client, published, label, organiser):
    call.close_call(published, by=organiser)
    following = Edition.objects.create(contest=label, year=2032)
    add_phases(
        following,
        {"applications_open": paris(2041, 10, 1, 9), "applications_closed": paris(2041, 12, 1)},
    )

    page = client.get(CALL)

    assertContains(page, "L'appel de l'édition 2032 ouvrira le 1er octobre 2041 à 09:00")
    assertContains(page, 'href="/candidater/label-territoire-innovant/2032/"')


def test_the_rules_pdf_is_served_inline(client, published):
    published.rules_pdf.save("r.pdf", ContentFile(b"%PDF-1.4 minimal"))

    response = client.get(f"{CALL}reglement.pdf")

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minimal"
    assertContains(client.get(CALL), f'href="{CALL}reglement.pdf"')


def test_an_extension_emails_the_drafts_with_their_link_and_the_new_deadline(
    published, applicant, other_applicant, rennes, brest, organiser, settings
):
    draft = domain.create_application(published, rennes, by=applicant)
    submitted = domain.create_application(published, brest, by=other_applicant)
    submitted.state = "submitted"
    submitted.save(update_fields=["state"])

    call.extend_deadline(published, paris(2040, 2, 15, 18), by=organiser)

    emails = list(OutgoingEmail.objects.filter(kind="applications.deadline_extended"))
    assert [(email.to, email.subject) for email in emails] == [
        (
            [applicant.email],
            "Label Territoire Innovant 2031 : la date limite de dépôt est reportée au "
            "15 février 2040 à 18:00",
        )
    ]
    body = emails[0].body
    assert f"{settings.SITE_URL}/candidatures/{draft.reference}/modifier/" in body
    assert "au 15 février 2040 à 18:00 (heure de Paris) ; elle était fixée au 1er février" in body
    assert "Pour toute question : label@interconnectes.fr" in body
    assert "L'équipe organisatrice du concours « Label Territoire Innovant »" in body


def test_a_later_call_already_closed_is_not_announced(client, published, label, organiser):
    call.close_call(published, by=organiser)
    past = Edition.objects.create(contest=label, year=2032)
    add_phases(
        past, {"applications_open": paris(2020, 1, 1), "applications_closed": paris(2020, 2, 1)}
    )

    page = client.get(CALL)

    assertContains(page, "La date d'ouverture du prochain appel n'est pas encore annoncée")
    assertNotContains(page, "/candidater/label-territoire-innovant/2032/")
