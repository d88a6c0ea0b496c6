"""The organisers' call pages: the checklist that refuses to open an incomplete call, the rules
form (text, PDF checked by its content and size, contact), closing early and a new deadline."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter
from pytest_django.asserts import assertContains, assertRedirects

from contests import call
from contests.enums import PhaseKind
from contests.models import ActivityEntry, Edition, Theme

from .formsets import formset_data

EDITION_2027 = "/organisation/concours/label-territoire-innovant/2027/"
CHECKLIST = f"{EDITION_2027}appel/"
RULES = f"{EDITION_2027}reglement/"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def ready(edition) -> Edition:
    """The 2027 edition with a theme, applications from yesterday to 30 days from now; no rules."""
    now = timezone.now()
    Theme.objects.create(edition=edition, name="Inclusion numérique", slug="inclusion")
    starts = {
        PhaseKind.DRAFT: now - timedelta(days=10),
        PhaseKind.APPLICATIONS_OPEN: now - timedelta(days=1),
        PhaseKind.APPLICATIONS_CLOSED: now + timedelta(days=30),
    }
    for kind, moment in starts.items():
        edition.phases.filter(kind=kind).update(starts_at=moment)
    edition.phases.exclude(kind__in=starts).update(starts_at=now + timedelta(days=60))
    edition.phases.filter(kind=PhaseKind.REGIONAL_SELECTION).update(
        starts_at=now + timedelta(days=45)
    )
    return edition


def test_the_checklist_says_what_is_missing_and_refuses_to_open(organiser_client, ready):
    page = organiser_client.get(CHECKLIST)

    assertContains(page, "appel n'est pas publié : sa page publique n'existe pas encore")
    assertContains(page, "complétez : règlement, contact.")

    response = organiser_client.post(f"{CHECKLIST}ouvrir/", follow=True)

    assertRedirects(response, CHECKLIST)
    assertContains(response, "ne peut pas être ouvert : il manque règlement, contact.")
    assert call.is_published(Edition.objects.get(pk=ready.pk)) is False


def test_the_rules_then_the_opening(organiser_client, ready):
    response = organiser_client.post(
        RULES,
        {"rules_text": "Article 1 – Objet.", "contact_email": "label@interconnectes.fr"},
    )
    assertRedirects(response, RULES)

    response = organiser_client.post(f"{CHECKLIST}ouvrir/", follow=True)

    assertContains(response, "candidatures est ouvert jusqu&#x27;au")
    edition = Edition.objects.get(pk=ready.pk)
    assert (edition.rules_text, call.is_published(edition)) == ("Article 1 – Objet.", True)
    assert ActivityEntry.objects.filter(action="contests.call_opened").count() == 1
    assert organiser_client.get("/candidater/label-territoire-innovant/2027/").status_code == 200


def test_a_valid_pdf_is_kept(organiser_client, ready):
    upload = SimpleUploadedFile("reglement.pdf", pdf_bytes(), content_type="application/pdf")

    response = organiser_client.post(
        RULES, {"rules_text": "Article 1.", "contact_email": "a@b.fr", "rules_pdf": upload}
    )

    assertRedirects(response, RULES)
    edition = Edition.objects.get(pk=ready.pk)
    with edition.rules_pdf.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "Le fichier « reglement.pdf » n'est pas un PDF lisible."),
        (b"%PDF-1.4\n truncated", "Le fichier « reglement.pdf » n'est pas un PDF lisible."),
        (b"%PDF-" + b"0" * 10_000_001, "Le fichier « reglement.pdf » dépasse 10 Mo."),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_or_too_large_is_refused(
    organiser_client, ready, content, message
):
    upload = SimpleUploadedFile("reglement.pdf", content, content_type="application/pdf")

    response = organiser_client.post(
        RULES, {"rules_text": "Article 1.", "contact_email": "a@b.fr", "rules_pdf": upload}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"rules_pdf": [message]}
    assertContains(response, "Article 1.")  # what was typed is kept
    assert Edition.objects.get(pk=ready.pk).rules_pdf.name == ""


def test_the_phases_page_cannot_open_the_call(organiser_client, ready):
    data = formset_data(organiser_client.get(f"{EDITION_2027}phases/").context["formset"])
    data["phases-1-may_apply"] = "on"  # « Candidatures ouvertes »

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assert response.context["formset"].errors[1] == {
        "may_apply": [
            "L'appel à candidatures n'est pas encore ouvert : ouvrez-le depuis sa page "
            "« Appel à candidatures », qui vérifie qu'il est complet."
        ]
    }
    assert ready.phases.filter(may_apply=True).count() == 0


def open_ready(ready, organiser) -> Edition:
    ready.rules_text, ready.contact_email = "Article 1.", "label@interconnectes.fr"
    ready.save()
    return call.open_call(ready, by=organiser)


def test_an_extension_out_of_bounds_is_shown_with_what_was_typed(
    organiser_client, ready, organiser
):
    edition = open_ready(ready, organiser)
    before = call.deadline(edition)
    typed = timezone.localtime(before - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = organiser_client.post(f"{CHECKLIST}prolonger/", {"deadline": typed})

    assert response.status_code == 400
    assert (
        response.context["deadline_form"]
        .errors["deadline"][0]
        .startswith("La nouvelle date limite doit être postérieure à la date actuelle (")
    )
    assertContains(response, f'value="{typed}"', status_code=400)
    assert call.deadline(Edition.objects.get(pk=ready.pk)) == before


def test_an_empty_extension_says_what_to_type(organiser_client, ready, organiser):
    open_ready(ready, organiser)

    response = organiser_client.post(f"{CHECKLIST}prolonger/", {"deadline": ""})

    assert response.context["deadline_form"].errors == {
        "deadline": ["Indiquez la nouvelle date limite."]
    }


def test_closing_early_from_the_checklist(organiser_client, ready, organiser):
    open_ready(ready, organiser)

    response = organiser_client.post(f"{CHECKLIST}clore/", follow=True)

    assertContains(response, "candidatures est clos : plus aucun dépôt.")
    assert call.is_open(Edition.objects.prefetch_related("phases").get(pk=ready.pk)) is False
    assert ActivityEntry.objects.filter(action="contests.call_closed").count() == 1


@pytest.mark.parametrize("action", ["ouvrir", "clore", "prolonger"])
def test_an_applicant_may_not_act_on_the_call(applicant_client, ready, action):
    assert applicant_client.post(f"{CHECKLIST}{action}/").status_code == 403
    assert call.is_published(Edition.objects.get(pk=ready.pk)) is False


def test_the_edition_page_links_to_the_checklist(organiser_client, ready):
    assertContains(
        organiser_client.get(EDITION_2027),
        f'<a href="{CHECKLIST}">Non publié : vérifier et ouvrir</a>',
        html=True,
    )
