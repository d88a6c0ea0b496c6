"""The submission receipt by email, through a real SMTP server on loopback (aiosmtpd)."""

import io

import pytest
from pypdf import PdfReader

from accounts.enums import MembershipState
from applications import domain, receipts

from ..factories import MembershipFactory
from . import smtp

smtp_server = smtp.smtp_server  # a real SMTP server for the test (a fixture)

SUBJECT = "Dossier LTI-2031-0001 déposé – Label Territoire Innovant 2031"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def rennes_colleagues(rennes):
    """Two more confirmed agents of Rennes, and one whose membership is still pending."""
    for email, state in [
        ("dsi@rennes.fr", MembershipState.CONFIRMED),
        ("direction@rennes.fr", MembershipState.CONFIRMED),
        ("stagiaire@rennes.fr", MembershipState.PENDING),
    ]:
        MembershipFactory(user__email=email, organisation=rennes, state=state)


def submit(application, user, capture):
    with capture(execute=True):
        return domain.submit_application(application, by=user)


def test_submitting_sends_the_receipt_by_smtp(
    complete_dossier,
    partner_applicant,
    applicant,
    rennes_colleagues,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    submitted = submit(complete_dossier, partner_applicant, django_capture_on_commit_callbacks)

    [delivery] = smtp_server.deliveries
    message = delivery.message
    assert message["Subject"] == SUBJECT
    # The submitter (here the co-porteur's agent) first, then the lead's confirmed members.
    assert message["To"] == (
        "agent@saint-malo.fr, agent@rennes.fr, direction@rennes.fr, dsi@rennes.fr"
    )
    assert sorted(delivery.rcpt_tos) == [
        "agent@rennes.fr",
        "agent@saint-malo.fr",
        "direction@rennes.fr",
        "dsi@rennes.fr",
    ]
    assert message["From"] == "Palmarès <ne-pas-repondre@palmares.localhost>"
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(
        "Bonjour,\n\nLe dossier LTI-2031-0001 « Des conseillers numériques dans les mairies de "
        "quartier » porté par « Commune de Rennes » a été déposé au Label Territoire Innovant "
        "2031 le "
    )
    assert "Le récépissé joint (recepisse-LTI-2031-0001.pdf)" in body
    assert "Vous pouvez retirer le dossier jusqu'à la délibération du jury." in body
    assert "- Candidatures closes (recevabilité) : à partir du " in body
    assert "http://127.0.0.1:8000/candidatures/LTI-2031-0001/recepisse.pdf" in body

    [part] = list(message.iter_attachments())
    assert part.get_filename() == "recepisse-LTI-2031-0001.pdf"
    assert part.get_content_type() == "application/pdf"
    pdf = part.get_content()
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Récépissé de dépôt Dossier LTI-2031-0001" in text
    assert submitted.submitted_fingerprint in text.replace(" ", "")


def test_a_draft_gets_no_receipt(complete_dossier, smtp_server):
    receipts.send_submission_receipt.call(complete_dossier.reference)

    assert smtp_server.deliveries == []


def test_a_dossier_withdrawn_before_the_task_ran_gets_no_receipt(
    complete_dossier, applicant, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submitted = domain.submit_application(complete_dossier, by=applicant)
    domain.withdraw_application(submitted, by=applicant)

    receipts.send_submission_receipt.call(submitted.reference)

    assert smtp_server.deliveries == []


def test_receipt_recipients_are_the_submitter_and_the_leads_confirmed_members(
    complete_dossier, applicant, partner_applicant, rennes_colleagues
):
    assert receipts.receipt_recipients(complete_dossier) == [
        "agent@rennes.fr",
        "direction@rennes.fr",
        "dsi@rennes.fr",
    ]
