"""Downloads of attachments, videos and receipts: only for people who may see the dossier,
always as attachments (never rendered by the browser), 404 for everyone else."""

import pytest
from django.urls import reverse

from applications import attachments, domain
from applications.enums import VideoKind

from . import samples
from .samples import pdf_bytes, upload

media_root = samples.media_root  # uploaded files in the test's own directory (a fixture)
videos = samples.videos  # real videos made by ffmpeg, once per session (a fixture)

CONTENT = pdf_bytes("Budget prévisionnel")
LOGIN = "/compte/connexion/?next="


@pytest.fixture
def attachment(dossier, applicant, media_root):
    return attachments.add_attachment(
        dossier,
        upload("Budget prévisionnel 2026.pdf", CONTENT),
        content_type="application/pdf",
        by=applicant,
    )


@pytest.fixture
def attachment_url(dossier, attachment) -> str:
    return reverse("applications:attachment_download", args=[dossier.reference, attachment.token])


@pytest.fixture
def video_url(dossier, applicant, videos, media_root) -> str:
    attachments.set_video_upload(
        dossier,
        upload("pitch.webm", videos["3min.webm"].read_bytes()),
        duration_seconds=180.0,
    )
    return reverse("applications:video_download", args=[dossier.reference])


@pytest.fixture
def submitted(complete_dossier, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return domain.submit_application(complete_dossier, by=applicant)


def receipt_url(application) -> str:
    return reverse("applications:receipt_download", args=[application.reference])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("client_name", ["applicant_client", "partner_client", "organiser_client"])
def test_people_who_see_the_dossier_download_an_attachment(client_name, attachment_url, request):
    response = request.getfixturevalue(client_name).get(attachment_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Budget%20pr%C3%A9visionnel%202026.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert body(response) == CONTENT


@pytest.mark.parametrize("client_name", ["other_applicant_client", "pending_client"])
def test_others_may_not_download_an_attachment(client_name, attachment_url, request):
    assert request.getfixturevalue(client_name).get(attachment_url).status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_an_attachment(visitor, attachment_url):
    response = visitor.get(attachment_url)

    assert response.status_code == 302
    assert response["Location"] == LOGIN + attachment_url


def test_unknown_token_is_404(dossier, attachment, applicant_client):
    url = reverse("applications:attachment_download", args=[dossier.reference, "x" * 22])

    assert applicant_client.get(url).status_code == 404


def test_a_token_only_opens_its_own_dossier(attachment, applicant, applicant_client, open_edition):
    # Another Rennes dossier, which the same agent may see: the token still belongs to the first.
    second = domain.create_application(
        open_edition, attachment.application.lead_organisation, by=applicant
    )
    url = reverse("applications:attachment_download", args=[second.reference, attachment.token])

    assert applicant_client.get(url).status_code == 404
    assert (
        applicant_client.get(reverse("applications:files", args=[second.reference])).status_code
        == 200
    )


@pytest.mark.parametrize("client_name", ["applicant_client", "partner_client", "organiser_client"])
def test_people_who_see_the_dossier_download_the_video(client_name, video_url, videos, request):
    response = request.getfixturevalue(client_name).get(video_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Disposition"] == 'attachment; filename="pitch.webm"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == videos["3min.webm"].read_bytes()


@pytest.mark.parametrize("client_name", ["other_applicant_client", "pending_client"])
def test_others_may_not_download_the_video(client_name, video_url, request):
    assert request.getfixturevalue(client_name).get(video_url).status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_the_video(visitor, video_url):
    response = visitor.get(video_url)

    assert response.status_code == 302
    assert response["Location"] == LOGIN + video_url


def test_a_video_link_has_nothing_to_download(dossier, applicant_client):
    attachments.set_video_link(dossier, "https://video.exemple.fr/w/pitch")
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.LINK

    response = applicant_client.get(
        reverse("applications:video_download", args=[dossier.reference])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("client_name", ["applicant_client", "partner_client", "organiser_client"])
def test_people_who_see_the_dossier_download_the_receipt(client_name, submitted, request):
    response = request.getfixturevalue(client_name).get(receipt_url(submitted))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="recepisse-LTI-2031-0001.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("client_name", ["other_applicant_client", "pending_client"])
def test_others_may_not_download_the_receipt(client_name, submitted, request):
    assert request.getfixturevalue(client_name).get(receipt_url(submitted)).status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_the_receipt(visitor, submitted):
    response = visitor.get(receipt_url(submitted))

    assert response.status_code == 302
    assert response["Location"] == LOGIN + receipt_url(submitted)


def test_a_draft_has_no_receipt(dossier, applicant_client):
    assert applicant_client.get(receipt_url(dossier)).status_code == 404
