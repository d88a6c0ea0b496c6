"""The PDF receipt of a submitted dossier (WeasyPrint): what it lists, its font, its safety."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications import attachments, domain, receipts
from applications.models import Answer, Question
from palmares import pdf

from ..factories import ApplicationFactory
from . import samples
from .samples import pdf_bytes, upload

media_root = samples.media_root  # uploaded files in the test's own directory (a fixture)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace folded (lines wrap where the layout wants)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def font_names(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


@pytest.fixture
def submitted(complete_dossier, applicant, media_root, django_capture_on_commit_callbacks):
    """The complete Rennes dossier with a PDF attachment, a video link and a jury-only answer,
    submitted (the receipt email is not sent: its callback is captured, not run)."""
    edition = complete_dossier.edition
    attachments.add_attachment(
        complete_dossier,
        upload("plan-de-deploiement.pdf", pdf_bytes("Plan")),
        content_type="application/pdf",
        by=applicant,
    )
    attachments.set_video_link(complete_dossier, "https://video.exemple.fr/w/pitch-rennes")
    question = Question.objects.get(edition=edition, label="Canaux de diffusion")
    Answer.objects.create(
        application=complete_dossier, question=question, value="Presse\nAffichage"
    )
    with django_capture_on_commit_callbacks(execute=False):
        return domain.submit_application(complete_dossier, by=applicant)


def test_receipt_lists_the_submitted_content_and_its_fingerprint(submitted):
    text = pdf_text(receipts.render_receipt_pdf(submitted))
    submitted_at = timezone.localtime(submitted.submitted_at, receipts.PARIS)

    assert text.startswith(
        "Label Territoire Innovant 2031 Récépissé de dépôt Dossier LTI-2031-0001"
    )
    assert (
        f"Déposé le {submitted_at.day} " in text
        and f"{submitted_at:%Y} à {submitted_at:%H:%M:%S} (heure de Paris)" in text
    )
    assert "Structure porteuse Rennes Co-porteurs Saint-Malo" in text
    assert "Titre du projet Des conseillers numériques dans les mairies de quartier" in text
    assert "Thème Inclusion numérique" in text
    assert "Stade du projet Déployé" in text
    assert "Budget (euros) non renseigné" in text
    assert "L'innovation Notre réponse : L'innovation" in text
    assert "La reproductibilité Notre réponse : La reproductibilité" in text
    assert "Nombre d'agents formés (Visible du jury seulement) 12" in text
    assert "Canaux de diffusion (Visible du jury seulement) Presse Affichage" in text
    assert "Lien : https://video.exemple.fr/w/pitch-rennes (durée non vérifiée)." in text
    assert "Pièces jointes plan-de-deploiement.pdf (579 octets) SHA-256 " in text


def test_receipt_carries_the_fingerprints_whole(submitted):
    letters = re.sub(r"\s", "", pdf_text(receipts.render_receipt_pdf(submitted)))
    attachment = submitted.attachments.get()

    assert len(submitted.submitted_fingerprint) == 64
    assert submitted.submitted_fingerprint == domain.content_fingerprint(submitted)
    assert f"EmpreinteSHA-256ducontenudéposé{submitted.submitted_fingerprint}" in letters
    assert attachment.sha256 in letters


def test_receipt_uses_the_fonts_the_site_ships(submitted):
    names = font_names(receipts.render_receipt_pdf(submitted))

    # Subsets of the one shipped file (bold and italic synthesised), named "ABCDEF+…".
    assert {name.split("+", 1)[1] for name in names} <= {
        "Atkinson-Hyperlegible",
        "Atkinson-Hyperlegible-Bold",
        "Atkinson-Hyperlegible-Oblique",
        "Atkinson-Hyperlegible-Bold-Oblique",
    }
    assert "Atkinson-Hyperlegible" in {name.split("+", 1)[1] for name in names}


def test_receipt_prints_applicants_markup_as_text(
    complete_dossier, applicant, django_capture_on_commit_callbacks
):
    domain.save_draft(
        complete_dossier,
        {"description": '<img src="http://127.0.0.1:9/tracker.png"> <b>gras</b>'},
        expected_version=complete_dossier.version,
        by=applicant,
    )
    with django_capture_on_commit_callbacks(execute=False):
        submitted = domain.submit_application(complete_dossier, by=applicant)

    text = pdf_text(receipts.render_receipt_pdf(submitted))

    assert 'Description <img src="http://127.0.0.1:9/tracker.png"> <b>gras</b>' in text


def test_receipt_fetcher_refuses_anything_but_the_font():
    fetcher = pdf.font_only_fetcher(pdf.font_url())

    with pytest.raises(ValueError, match="nothing but its font"):
        fetcher.fetch("http://127.0.0.1:9/tracker.png")
    with pytest.raises(ValueError, match="nothing but its font"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch(pdf.font_url()).read(4) == b"wOF2"


def test_receipt_is_available_once_submitted_not_as_a_draft(submitted):
    draft = ApplicationFactory(edition=submitted.edition, reference="LTI-2031-0099")

    assert receipts.receipt_available(submitted) is True
    assert receipts.receipt_available(draft) is False


def test_receipt_is_not_available_while_reopened(submitted, organiser):
    reopened = domain.reopen_application(submitted, by=organiser, reason="Pièce illisible")

    assert receipts.receipt_available(reopened) is False
