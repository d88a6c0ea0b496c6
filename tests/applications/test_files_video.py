"""The pitch video on the attachments page: real videos measured by ffprobe, or a link."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from applications.enums import VideoKind

from . import samples
from .samples import pdf_bytes, upload

media_root = samples.media_root  # uploaded files in the test's own directory (a fixture)
videos = samples.videos  # real videos made by ffmpeg, once per session (a fixture)


def files_url(application) -> str:
    return reverse("applications:files", args=[application.reference])


def post_video(client, application, name, content):
    return client.post(
        reverse("applications:video_upload", args=[application.reference]),
        {"video-file": upload(name, content)},
    )


def post_link(client, application, url):
    return client.post(
        reverse("applications:video_link", args=[application.reference]), {"link-url": url}
    )


def test_12_minute_video_is_refused_with_its_measured_duration(
    dossier, applicant_client, videos, media_root
):
    response = post_video(applicant_client, dossier, "pitch.mp4", videos["12min.mp4"].read_bytes())

    assert response.status_code == 200
    html = response.content.decode()
    assert "La vidéo dure 12 min 00 s ; la durée maximale est de 10 min." in html
    assert "Le navigateur ne garde pas un fichier refusé" in html
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.NONE
    assert not dossier.video_file


@pytest.mark.parametrize("in_memory", [True, False], ids=["in-memory", "temporary-file"])
def test_3_minute_video_is_accepted_with_its_duration(
    dossier, applicant_client, videos, media_root, settings, in_memory
):
    # Large uploads reach the view as temporary files, which ffprobe reads where they are.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000 if in_memory else 0
    content = videos["3min.mp4"].read_bytes()

    response = post_video(applicant_client, dossier, "pitch-rennes.mp4", content)

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.UPLOAD
    assert dossier.video_original_name == "pitch-rennes.mp4"
    assert dossier.video_duration_seconds == 180.0
    assert dossier.video_file.name.startswith(f"applications/{dossier.reference}/")
    assert (media_root / dossier.video_file.name).read_bytes() == content
    html = applicant_client.get(files_url(dossier)).content.decode()
    assert "La vidéo est déposée (durée : 3 min 00 s)." in html
    assert "Fichier « pitch-rennes.mp4 », durée mesurée : 3 min 00 s." in html
    assert f'href="/candidatures/{dossier.reference}/video/"' in html


def test_webm_video_is_accepted(dossier, partner_client, videos, media_root):
    response = post_video(partner_client, dossier, "pitch.webm", videos["3min.webm"].read_bytes())

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.video_kind, dossier.video_duration_seconds) == (VideoKind.UPLOAD, 180.0)


def test_a_pdf_is_not_a_video(dossier, applicant_client, media_root):
    response = post_video(applicant_client, dossier, "pitch.mp4", pdf_bytes())

    assert (
        escape(
            "Le fichier « pitch.mp4 » n'est pas une vidéo MP4 ou WebM "
            "(contenu détecté : document PDF)."
        )
        in response.content.decode()
    )


def test_member_of_another_organisation_may_not_upload_a_video(
    dossier, other_applicant_client, videos, media_root
):
    response = post_video(
        other_applicant_client, dossier, "pitch.mp4", videos["3min.mp4"].read_bytes()
    )

    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.NONE


def test_a_new_video_replaces_the_old_one_and_its_file(
    dossier, applicant_client, videos, media_root, django_capture_on_commit_callbacks
):
    post_video(applicant_client, dossier, "v1.mp4", videos["3min.mp4"].read_bytes())
    dossier.refresh_from_db()
    first = media_root / dossier.video_file.name

    with django_capture_on_commit_callbacks(execute=True):
        post_video(applicant_client, dossier, "v2.webm", videos["3min.webm"].read_bytes())

    dossier.refresh_from_db()
    assert dossier.video_original_name == "v2.webm"
    assert not first.exists()
    assert (media_root / dossier.video_file.name).exists()


def test_without_ffprobe_the_page_says_so_and_keeps_nothing(
    dossier, applicant_client, videos, media_root, monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))

    response = post_video(applicant_client, dossier, "pitch.mp4", videos["3min.mp4"].read_bytes())

    assert response.status_code == 200
    assert (
        "La durée des vidéos ne peut pas être mesurée en ce moment : la vidéo n'a pas été "
        "enregistrée. Réessayez plus tard ou donnez un lien."
    ) in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.NONE


def test_a_link_is_accepted_as_is_marked_duration_not_checked(dossier, applicant_client):
    response = post_link(applicant_client, dossier, "https://video.exemple.fr/w/pitch-rennes")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.LINK
    assert dossier.video_url == "https://video.exemple.fr/w/pitch-rennes"
    assert dossier.video_duration_seconds is None
    html = applicant_client.get(files_url(dossier)).content.decode()
    assert (
        '<a href="https://video.exemple.fr/w/pitch-rennes" rel="noopener noreferrer">'
        "https://video.exemple.fr/w/pitch-rennes</a> "
        '<span class="badge">durée non vérifiée</span>'
    ) in html
    assert 'value="https://video.exemple.fr/w/pitch-rennes"' in html


def test_a_link_replaces_an_uploaded_video_and_its_file(
    dossier, applicant_client, videos, media_root, django_capture_on_commit_callbacks
):
    post_video(applicant_client, dossier, "v1.mp4", videos["3min.mp4"].read_bytes())
    dossier.refresh_from_db()
    stored = media_root / dossier.video_file.name

    with django_capture_on_commit_callbacks(execute=True):
        post_link(applicant_client, dossier, "https://video.exemple.fr/w/pitch")

    dossier.refresh_from_db()
    assert (dossier.video_kind, dossier.video_file.name, dossier.video_original_name) == (
        VideoKind.LINK,
        "",
        "",
    )
    assert not stored.exists()


@pytest.mark.parametrize(
    ("client_name", "status"), [("other_applicant_client", 404), ("organiser_client", 403)]
)
def test_others_may_not_give_a_link(dossier, client_name, status, request):
    client = request.getfixturevalue(client_name)

    response = post_link(client, dossier, "https://video.exemple.fr/w/pitch")

    assert response.status_code == status
    dossier.refresh_from_db()
    assert (dossier.video_kind, dossier.video_url) == (VideoKind.NONE, "")


def test_an_invalid_link_is_refused_and_kept_in_the_field(dossier, applicant_client):
    response = post_link(applicant_client, dossier, "pas une adresse")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une URL valide." in html
    assert 'value="pas une adresse"' in html
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.NONE


def test_the_video_is_removed(
    dossier, applicant_client, videos, media_root, django_capture_on_commit_callbacks
):
    post_video(applicant_client, dossier, "v1.mp4", videos["3min.mp4"].read_bytes())
    dossier.refresh_from_db()
    stored = media_root / dossier.video_file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            reverse("applications:video_remove", args=[dossier.reference])
        )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.video_kind, dossier.video_file.name) == (VideoKind.NONE, "")
    assert not stored.exists()


@pytest.mark.parametrize("client_name", ["other_applicant_client", "organiser_client"])
def test_others_may_not_remove_the_video(dossier, applicant_client, client_name, request):
    post_link(applicant_client, dossier, "https://video.exemple.fr/w/pitch")

    response = request.getfixturevalue(client_name).post(
        reverse("applications:video_remove", args=[dossier.reference])
    )

    assert (
        response.status_code
        == {"other_applicant_client": 404, "organiser_client": 403}[client_name]
    )
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.LINK
