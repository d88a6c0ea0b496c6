"""applications.uploads: types from the content, readable PDFs and images, size limits, and
video durations measured by Debian's ffprobe on real videos made by ffmpeg."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications import uploads

from . import samples
from .samples import EXE, image_bytes, pdf_bytes, upload

videos = samples.videos  # the session's sample videos, a fixture

LIMIT = 10 * uploads.MEGABYTE
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def refusal(check, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        check(*args, **kwargs)
    return raised.value.messages


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
        (image_bytes("WEBP"), "image/webp"),
        (image_bytes("GIF"), "image/gif"),
        (EXE, "application/x-msdownload"),
        (b"PK\x03\x04rest of a zip", "application/zip"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "video/x-matroska"),
        (b"<!DOCTYPE html><html>", "text/html"),
        (b"just some words", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniff_reads_the_type_from_the_first_bytes(content, expected):
    file = upload("anything.pdf", content)

    assert uploads.sniff(file) == expected
    assert file.tell() == 0


def test_sniff_ignores_the_name_and_the_claimed_type():
    file = upload("photo.png", pdf_bytes(), content_type="image/png")

    assert uploads.sniff(file) == "application/pdf"


def test_validate_document_accepts_a_real_pdf():
    assert uploads.validate_document(upload("dossier.pdf", pdf_bytes()), max_bytes=LIMIT) == (
        "application/pdf"
    )


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9])
def test_validate_document_refuses_a_truncated_pdf(fraction):
    content = pdf_bytes()
    broken = upload("x.pdf", content[: int(len(content) * fraction)])

    assert refusal(uploads.validate_document, broken, max_bytes=LIMIT) == [
        "Le fichier « x.pdf » n'est pas un PDF lisible."
    ]


def test_validate_document_refuses_a_pdf_header_on_garbage():
    broken = upload("faux.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)

    assert refusal(uploads.validate_document, broken, max_bytes=LIMIT) == [
        "Le fichier « faux.pdf » n'est pas un PDF lisible."
    ]


def test_validate_document_refuses_a_renamed_executable_naming_what_it_is():
    fake = upload("projet.pdf", EXE, content_type="application/pdf")

    assert refusal(uploads.validate_document, fake, max_bytes=LIMIT) == [
        "Le fichier « projet.pdf » n'est pas un PDF ni une image "
        "(contenu détecté : programme Windows)."
    ]


def test_validate_document_refuses_unknown_content():
    assert refusal(uploads.validate_document, upload("notes.pdf", b"hello"), max_bytes=LIMIT) == [
        "Le fichier « notes.pdf » n'est pas un PDF ni une image (contenu non reconnu)."
    ]


def test_validate_document_refuses_a_video_as_attachment():
    mp4 = upload("pitch.pdf", b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + b"\x00" * 40)

    assert refusal(uploads.validate_document, mp4, max_bytes=LIMIT) == [
        "Le fichier « pitch.pdf » n'est pas un PDF ni une image (contenu détecté : vidéo MP4)."
    ]


@pytest.mark.parametrize(
    ("format", "expected"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_validate_document_accepts_images(format, expected):
    image = upload(f"photo.{format.lower()}", image_bytes(format))

    assert uploads.validate_document(image, max_bytes=LIMIT) == expected


def test_validate_document_refuses_a_truncated_png():
    content = image_bytes("PNG")

    assert refusal(
        uploads.validate_document, upload("plan.png", content[:60]), max_bytes=LIMIT
    ) == ["Le fichier « plan.png » n'est pas une image lisible."]


def test_validate_document_refuses_a_gif_naming_it():
    assert refusal(
        uploads.validate_document, upload("logo.gif", image_bytes("GIF")), max_bytes=LIMIT
    ) == ["Le fichier « logo.gif » n'est pas un PDF ni une image (contenu détecté : image GIF)."]


def test_validate_size_accepts_exactly_the_limit():
    uploads.validate_size(upload("a.pdf", b"\x00" * LIMIT), max_bytes=LIMIT)


def test_validate_size_refuses_one_byte_more_in_bytes_not_a_rounded_equal_size():
    assert refusal(
        uploads.validate_size, upload("a.pdf", b"\x00" * (LIMIT + 1)), max_bytes=LIMIT
    ) == [f"Le fichier « a.pdf » est trop volumineux (10{NBSP}000{NBSP}001 octets, limite 10 Mo)."]


def test_validate_document_checks_the_size_first_with_both_sizes_in_the_message():
    big = upload("annexes.pdf", pdf_bytes() + b"\x00" * 12_400_000)

    assert refusal(uploads.validate_document, big, max_bytes=LIMIT) == [
        "Le fichier « annexes.pdf » est trop volumineux (12,4 Mo, limite 10 Mo)."
    ]


def test_validate_dossier_total_accepts_up_to_the_limit():
    uploads.validate_dossier_total(
        upload("a.pdf", b"\x00" * 1_000),
        used_bytes=50 * uploads.MEGABYTE - 1_000,
        max_bytes=50 * uploads.MEGABYTE,
    )


def test_validate_dossier_total_refuses_above_the_limit():
    file = upload("budget.pdf", b"\x00" * 6_000_000)

    assert refusal(
        uploads.validate_dossier_total,
        file,
        used_bytes=45_300_000,
        max_bytes=50 * uploads.MEGABYTE,
    ) == [
        "Avec « budget.pdf » (6,0 Mo), les pièces du dossier atteindraient 51,3 Mo ; la limite "
        "est de 50 Mo par dossier. Supprimez une pièce ou réduisez ce fichier."
    ]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 octets"),
        (1, "1 octet"),
        (999, "999 octets"),
        (1_000, "1,0 ko"),
        (245_349, "245,3 ko"),
        (999_949, "999,9 ko"),
        (999_950, "1,0 Mo"),
        (1_000_000, "1,0 Mo"),
        (12_440_000, "12,4 Mo"),
    ],
)
def test_format_size(size, expected):
    assert uploads.format_size(size) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0.4, "0 min 00 s"), (183.0, "3 min 03 s"), (723.9, "12 min 03 s"), (720.0, "12 min 00 s")],
)
def test_format_duration(seconds, expected):
    assert uploads.format_duration(seconds) == expected


def test_probe_video_duration_measures_a_real_video(videos):
    assert uploads.probe_video_duration(str(videos["3min.mp4"])) == 180.0


def test_probe_video_duration_without_ffprobe_says_what_to_install(videos, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(uploads.VideoProbeUnavailable, match=r"ffmpeg package \(`make system`\)"):
        uploads.probe_video_duration(str(videos["3min.mp4"]))


@pytest.mark.parametrize(
    ("name", "expected"), [("3min.mp4", ("video/mp4", 180.0)), ("3min.webm", ("video/webm", 180.0))]
)
def test_validate_video_accepts_mp4_and_webm_within_the_limit(videos, name, expected):
    video = upload(name, videos[name].read_bytes())

    assert uploads.validate_video(video, max_minutes=10) == expected


def test_validate_video_refuses_12_minutes_with_the_measured_duration(videos):
    video = upload("pitch.mp4", videos["12min.mp4"].read_bytes())

    assert refusal(uploads.validate_video, video, max_minutes=10) == [
        "La vidéo dure 12 min 00 s ; la durée maximale est de 10 min."
    ]


def test_validate_video_reads_the_limit_of_the_edition(videos):
    video = upload("pitch.mp4", videos["3min.mp4"].read_bytes())

    assert refusal(uploads.validate_video, video, max_minutes=2) == [
        "La vidéo dure 3 min 00 s ; la durée maximale est de 2 min."
    ]


def test_validate_video_refuses_a_truncated_video(videos):
    video = upload("pitch.mp4", videos["truncated.mp4"].read_bytes())

    assert refusal(uploads.validate_video, video, max_minutes=10) == [
        "La vidéo « pitch.mp4 » est illisible : sa durée n'a pas pu être mesurée."
    ]


def test_validate_video_refuses_a_pdf_naming_it():
    assert refusal(uploads.validate_video, upload("pitch.mp4", pdf_bytes()), max_minutes=10) == [
        "Le fichier « pitch.mp4 » n'est pas une vidéo MP4 ou WebM (contenu détecté : document PDF)."
    ]
