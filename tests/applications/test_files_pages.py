"""The attachments and video page of a dossier: who may see and change it, uploads checked by
their content with the error on the page, deletion, the pitch video as a file or a link."""

import hashlib

import pytest
from django.urls import reverse
from django.utils.html import escape

from applications import attachments, domain
from applications.models import Attachment

from . import samples
from .conftest import complete_changes
from .samples import EXE, image_bytes, pdf_bytes, upload

media_root = samples.media_root  # uploaded files in the test's own directory (a fixture)
videos = samples.videos  # real videos made by ffmpeg, once per session (a fixture)

PDF_SIZE = len(pdf_bytes())  # the sample PDF's size in bytes
REFUSED_NOTE = "Le navigateur ne garde pas un fichier refusé : après correction, choisissez-le"


def files_url(application) -> str:
    return reverse("applications:files", args=[application.reference])


def attachment_add_url(application) -> str:
    return reverse("applications:attachment_add", args=[application.reference])


def post_file(client, application, name, content):
    return client.post(attachment_add_url(application), {"attachment-file": upload(name, content)})


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def submitted(complete_dossier, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return domain.submit_application(complete_dossier, by=applicant)


# ----------------------------------------------------------------------------- seeing the page


def test_lead_member_sees_the_attachments(dossier, applicant, applicant_client, media_root):
    attachment = attachments.add_attachment(
        dossier, upload("plan.pdf", pdf_bytes()), content_type="application/pdf", by=applicant
    )

    response = applicant_client.get(files_url(dossier))

    assert response.status_code == 200
    html = page(response)
    download = reverse(
        "applications:attachment_download", args=[dossier.reference, attachment.token]
    )
    assert f'<a href="{download}">plan.pdf</a>' in html
    assert "<td>document PDF</td>" in html
    assert f'<td class="file-size">{PDF_SIZE} octets</td>' in html
    assert f"Total : {PDF_SIZE} octets sur 50 Mo autorisés." in html
    assert 'name="attachment-file"' in html


def test_partner_member_sees_the_page_with_the_upload_form(dossier, partner_client):
    response = partner_client.get(files_url(dossier))

    assert response.status_code == 200
    assert "Aucune pièce jointe pour l'instant." in page(response)
    assert 'name="attachment-file"' in page(response)


def test_member_of_another_organisation_gets_404(dossier, other_applicant_client):
    assert other_applicant_client.get(files_url(dossier)).status_code == 404


def test_pending_member_of_the_lead_gets_404(dossier, pending_client):
    assert pending_client.get(files_url(dossier)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(dossier, visitor):
    response = visitor.get(files_url(dossier))

    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={files_url(dossier)}"


def test_organiser_sees_the_page_without_upload_form(dossier, organiser_client):
    response = organiser_client.get(files_url(dossier))

    assert response.status_code == 200
    assert "Le dossier n'est pas modifiable" in page(response)
    assert 'name="attachment-file"' not in page(response)


def test_submitted_dossier_page_is_read_only_with_its_receipt(submitted, applicant_client):
    html = page(applicant_client.get(files_url(submitted)))

    assert "Le dossier n'est pas modifiable" in html
    assert 'name="attachment-file"' not in html
    assert f'href="/candidatures/{submitted.reference}/recepisse.pdf"' in html


def test_unknown_dossier_gets_404(applicant_client):
    assert applicant_client.get("/candidatures/LTI-2031-9999/pieces/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_attachments(
    dossier, applicant, applicant_client, media_root, django_assert_num_queries, count
):
    for number in range(count):
        attachments.add_attachment(
            dossier,
            upload(f"piece-{number}.pdf", pdf_bytes()),
            content_type="application/pdf",
            by=applicant,
        )

    # session, user, dossier, partners, phases, memberships, attachments
    with django_assert_num_queries(7):
        response = applicant_client.get(files_url(dossier))

    assert page(response).count(f'<td class="file-size">{PDF_SIZE} octets</td>') == count


# ----------------------------------------------------------------------------- attachments


def test_lead_member_uploads_a_pdf(dossier, applicant, applicant_client, media_root):
    content = pdf_bytes("Plan de déploiement")

    response = post_file(applicant_client, dossier, "Plan de déploiement.pdf", content)

    assert response.status_code == 302
    assert response["Location"] == files_url(dossier)
    attachment = Attachment.objects.get(application=dossier)
    assert attachment.original_name == "Plan de déploiement.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == applicant
    assert len(attachment.token) == 22
    # Stored under a random name in the dossier's private folder, outside the static tree.
    folder, stored = attachment.file.name.rsplit("/", 1)
    assert folder == f"applications/{dossier.reference}"
    assert len(stored) == 32 and int(stored, 16) >= 0
    assert (media_root / attachment.file.name).read_bytes() == content
    html = page(applicant_client.get(files_url(dossier)))
    assert "« Plan de déploiement.pdf » est joint au dossier." in html


def test_partner_member_uploads_an_image(dossier, partner_client, media_root):
    response = post_file(partner_client, dossier, "photo.png", image_bytes("PNG"))

    assert response.status_code == 302
    assert Attachment.objects.get(application=dossier).content_type == "image/png"


def test_member_of_another_organisation_may_not_upload(dossier, other_applicant_client, media_root):
    response = post_file(other_applicant_client, dossier, "plan.pdf", pdf_bytes())

    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_nobody_uploads_to_a_submitted_dossier(submitted, applicant_client, media_root):
    response = post_file(applicant_client, submitted, "plan.pdf", pdf_bytes())

    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_renamed_executable_is_refused_with_the_message_on_the_page(
    dossier, applicant_client, media_root
):
    response = post_file(applicant_client, dossier, "projet.pdf", EXE)

    assert response.status_code == 200
    html = page(response)
    assert (
        escape(
            "Le fichier « projet.pdf » n'est pas un PDF ni une image "
            "(contenu détecté : programme Windows)."
        )
        in html
    )
    assert escape(REFUSED_NOTE) in html
    assert html.count('aria-invalid="true"') == 1
    assert "<title>Erreur – Pièces jointes et vidéo" in html
    assert not Attachment.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_broken_pdf_is_refused(dossier, applicant_client, media_root):
    content = pdf_bytes()

    response = post_file(applicant_client, dossier, "x.pdf", content[: len(content) // 2])

    assert escape("Le fichier « x.pdf » n'est pas un PDF lisible.") in page(response)
    assert not Attachment.objects.exists()


def test_file_above_the_editions_limit_is_refused_with_both_sizes(
    dossier, applicant_client, media_root
):
    dossier.edition.max_file_megabytes = 1
    dossier.edition.save()

    response = post_file(applicant_client, dossier, "annexe.pdf", pdf_bytes("x" * 1_200_000))

    assert escape("Le fichier « annexe.pdf » est trop volumineux (1,2 Mo, limite 1 Mo).") in page(
        response
    )
    assert not Attachment.objects.exists()


def test_file_above_the_dossiers_total_is_refused(dossier, applicant, applicant_client, media_root):
    dossier.edition.max_dossier_megabytes = 1
    dossier.edition.save()
    attachments.add_attachment(
        dossier,
        upload("a.pdf", pdf_bytes("x" * 600_000)),
        content_type="application/pdf",
        by=applicant,
    )

    response = post_file(applicant_client, dossier, "b.pdf", pdf_bytes("y" * 500_000))

    assert escape(
        "Avec « b.pdf » (500,6 ko), les pièces du dossier atteindraient 1,1 Mo ; la limite est "
        "de 1 Mo par dossier. Supprimez une pièce ou réduisez ce fichier."
    ) in page(response)
    assert Attachment.objects.count() == 1


def test_posting_without_a_file_says_it_is_required(dossier, applicant_client):
    response = applicant_client.post(attachment_add_url(dossier), {})

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in page(response)


def test_the_page_itself_takes_no_post(dossier, applicant_client, media_root):
    response = applicant_client.post(files_url(dossier), {"attachment-file": upload("a.pdf", b"")})

    assert response.status_code == 405
    assert not Attachment.objects.exists()


def test_adding_an_attachment_is_post_only(dossier, applicant_client):
    assert applicant_client.get(attachment_add_url(dossier)).status_code == 405


def test_lead_member_deletes_an_attachment_and_its_file(
    dossier, applicant, applicant_client, media_root, django_capture_on_commit_callbacks
):
    attachment = attachments.add_attachment(
        dossier, upload("plan.pdf", pdf_bytes()), content_type="application/pdf", by=applicant
    )
    stored = media_root / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            reverse("applications:attachment_delete", args=[dossier.reference, attachment.token])
        )

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_member_of_another_organisation_may_not_delete(
    dossier, applicant, other_applicant_client, media_root
):
    attachment = attachments.add_attachment(
        dossier, upload("plan.pdf", pdf_bytes()), content_type="application/pdf", by=applicant
    )

    response = other_applicant_client.post(
        reverse("applications:attachment_delete", args=[dossier.reference, attachment.token])
    )

    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_attachment_of_a_submitted_dossier_may_not_be_deleted(
    dossier, applicant, applicant_client, media_root, django_capture_on_commit_callbacks
):
    attachment = attachments.add_attachment(
        dossier, upload("plan.pdf", pdf_bytes()), content_type="application/pdf", by=applicant
    )
    domain.save_draft(
        dossier,
        complete_changes(dossier.edition),
        expected_version=dossier.version,
        by=applicant,
    )
    with django_capture_on_commit_callbacks(execute=False):
        domain.submit_application(dossier, by=applicant)

    response = applicant_client.post(
        reverse("applications:attachment_delete", args=[dossier.reference, attachment.token])
    )

    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_deleting_is_post_only(dossier, applicant, applicant_client, media_root):
    attachment = attachments.add_attachment(
        dossier, upload("plan.pdf", pdf_bytes()), content_type="application/pdf", by=applicant
    )

    response = applicant_client.get(
        reverse("applications:attachment_delete", args=[dossier.reference, attachment.token])
    )

    assert response.status_code == 405
    assert Attachment.objects.count() == 1
