"""Request bodies are capped, and a file is measured while it streams in (issue 17, #5)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from applications import upload_handlers
from applications.enums import VideoKind

from . import samples
from .samples import upload

media_root = samples.media_root
videos = samples.videos
NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "palmares.conf"


@pytest.fixture
def written(monkeypatch):
    """The bytes Django's temporary-file handler wrote to disk, per request."""
    total = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        total.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    return total


def test_a_video_past_the_limit_is_refused_while_streaming(
    dossier, applicant_client, media_root, settings, monkeypatch, written
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file to a temporary file, as a large one
    monkeypatch.setattr(upload_handlers, "MAX_VIDEO_BYTES", 1_000_000)
    content = b"\x00\x00\x00\x20ftypisom" + b"\x00" * 3_000_000

    response = applicant_client.post(
        reverse("applications:video_upload", args=[dossier.reference]),
        {"video-file": upload("pitch.mp4", content)},
    )

    assert response.status_code == 200
    assert "Le fichier « pitch.mp4 » est trop volumineux (plus de 1 Mo)." in (
        response.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    )
    # Stopped at the limit: at most one chunk past it reached the disk, not the 3 MB.
    assert sum(written) <= 1_000_000
    dossier.refresh_from_db()
    assert dossier.video_kind == VideoKind.NONE


def test_a_video_under_the_limit_streams_through(
    dossier, applicant_client, videos, media_root, settings, written
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    content = videos["3min.mp4"].read_bytes()

    response = applicant_client.post(
        reverse("applications:video_upload", args=[dossier.reference]),
        {"video-file": upload("pitch.mp4", content)},
    )

    assert response.status_code == 302
    assert sum(written) == len(content)


def test_a_body_over_the_cap_gets_413_before_anything_reads_it(applicant_client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000

    over = applicant_client.post(
        reverse("accounts:login"), data=b"x" * 1001, content_type="application/octet-stream"
    )
    under = applicant_client.post(
        reverse("accounts:login"), {"email": "a@exemple.fr", "password": "x"}
    )

    assert over.status_code == 413
    assert "La requête est trop volumineuse" in over.content.decode()
    assert under.status_code == 200


def test_the_application_cap_is_nginx_s_own():
    (megabytes,) = re.findall(r"client_max_body_size (\d+)m;", NGINX.read_text())

    assert int(megabytes) * 1024 * 1024 == django_settings.MAX_REQUEST_BODY_BYTES
