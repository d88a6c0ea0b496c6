"""Real sample files for the upload tests: PDFs, images, an executable, videos made by ffmpeg,
and a private media directory per test."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# The first bytes of a Windows program (DOS header), as any .exe starts.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 112


def pdf_bytes(text: str = "Projet") -> bytes:
    """A minimal valid one-page PDF (cross-reference table with exact offsets)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def image_bytes(format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 60)).save(out, format=format)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_video(directory: Path, seconds: int, extension: str = "mp4") -> Path:
    """A real video of `seconds` (one black frame per second: fast to make, tiny)."""
    path = directory / f"video-{seconds}s.{extension}"
    codec = {"mp4": ["-c:v", "libx264", "-preset", "ultrafast"], "webm": ["-c:v", "libvpx"]}
    subprocess.run(  # noqa: S603
        [
            shutil.which("ffmpeg") or "ffmpeg",
            *["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=160x120:r=1"],
            *["-t", str(seconds), *codec[extension], str(path)],
        ],
        check=True,
    )
    return path


@pytest.fixture(scope="session")
def videos(tmp_path_factory) -> dict[str, Path]:
    """Videos of 3 and 12 minutes (MP4), 3 minutes (WebM), and an MP4 cut in half."""
    directory = tmp_path_factory.mktemp("videos")
    made = {
        "3min.mp4": make_video(directory, 180),
        "12min.mp4": make_video(directory, 720),
        "3min.webm": make_video(directory, 180, "webm"),
    }
    whole = made["3min.mp4"].read_bytes()
    truncated = directory / "truncated.mp4"
    truncated.write_bytes(whole[: len(whole) // 2])
    made["truncated.mp4"] = truncated
    return made


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Uploaded files go to a directory of this test, never to var/media."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
