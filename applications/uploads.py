"""Checks on uploaded files, by their content, shared by the forms and (later) the API.

The type of a file is read from its first bytes, never from its name or from the type the browser
claims: a renamed executable stays an executable. PDFs are parsed, images decoded and videos
measured with ffprobe, so a broken or truncated file is refused at upload rather than found
unreadable by a juror months later.
"""

import hashlib
import json
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palmares.sizes import KILOBYTE, MEGABYTE, _bytes, _rounded, format_size  # noqa: F401 (re-exported)

# Sizes as people read them in French ("Mo" is 1,000,000 bytes, like the file managers show).
# An upload is a whole video, not a stream: a cap keeps one upload from filling the disk.
# The editions have no setting for it; 10 minutes of 1080p video fit well under it.
MAX_VIDEO_BYTES = 1_000 * MEGABYTE
# Containers often report a few hundredths of a second more than the recorded length (audio
# padding): a "10-minute" video must not be refused for 10 min 00.04 s.
DURATION_TOLERANCE_SECONDS = 1.0
FFPROBE_TIMEOUT_SECONDS = 60

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
MP4 = "video/mp4"
WEBM = "video/webm"
DOCUMENT_TYPES = frozenset({PDF, PNG, JPEG, WEBP})
IMAGE_TYPES = frozenset({PNG, JPEG, WEBP})
VIDEO_TYPES = frozenset({MP4, WEBM})
UNKNOWN = "application/octet-stream"

# What a detected type is called in messages and lists.
TYPE_LABELS = {
    PDF: _("document PDF"),
    PNG: _("image PNG"),
    JPEG: _("image JPEG"),
    WEBP: _("image WebP"),
    MP4: _("vidéo MP4"),
    WEBM: _("vidéo WebM"),
    "video/x-matroska": _("vidéo Matroska (MKV)"),
    "video/quicktime": _("vidéo QuickTime (MOV)"),
    "image/heic": _("image HEIC"),
    "image/gif": _("image GIF"),
    "image/tiff": _("image TIFF"),
    "image/bmp": _("image BMP"),
    "application/x-msdownload": _("programme Windows"),
    "application/x-executable": _("programme Linux"),
    "application/x-sh": _("script"),
    "application/zip": _("archive ZIP ou document bureautique"),
    "application/x-ole-storage": _("document bureautique ancien (Word, Excel…)"),
    "application/x-rar": _("archive RAR"),
    "application/x-7z-compressed": _("archive 7-Zip"),
    "application/gzip": _("archive gzip"),
    "text/html": _("page HTML"),
}

# (offset, magic bytes, type), tried in order; ISO media ("ftyp") and EBML are handled apart.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", PDF),
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"BM", "image/bmp"),
    (0, b"MZ", "application/x-msdownload"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"#!", "application/x-sh"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (0, b"Rar!\x1a\x07", "application/x-rar"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"\x1f\x8b", "application/gzip"),
)
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1"})
_SNIFF_BYTES = 64


@contextmanager
def _at_start(file: IO[bytes]) -> Iterator[IO[bytes]]:
    """Read from the start of the file, and leave it at the start for whoever reads it next."""
    file.seek(0)
    try:
        yield file
    finally:
        file.seek(0)


def sniff(file: IO[bytes]) -> str:
    """The content type of `file` from its first bytes ("application/octet-stream" if unknown)."""
    with _at_start(file):
        head = file.read(_SNIFF_BYTES)
    for offset, magic, content_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "image/heic"
        return "video/quicktime" if brand == b"qt  " else MP4
    if head[:4] == b"\x1a\x45\xdf\xa3":
        # EBML: the DocType element, within the first bytes, says WebM or Matroska.
        return WEBM if b"webm" in head else "video/x-matroska"
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return UNKNOWN


def type_label(content_type: str) -> str:
    """How a content type is named for people (« document PDF »), or the type itself."""
    return str(TYPE_LABELS.get(content_type, content_type))


def format_megabytes(limit_bytes: int) -> str:
    """A limit in whole megabytes: « 10 Mo »."""
    return gettext("%(size)s Mo") % {"size": number_format(limit_bytes // MEGABYTE)}


def _size_over(size: int, limit_bytes: int) -> str:
    """A size above a limit, in bytes when rounding would show it equal to the limit."""
    if size >= MEGABYTE and _rounded(size, MEGABYTE) * MEGABYTE <= limit_bytes:
        return _bytes(size)
    return format_size(size)


def format_duration(seconds: float) -> str:
    """« 12 min 03 s » (seconds floored: a 12:00.7 video is 12 min 00 s, as players show it)."""
    whole = int(seconds)
    return gettext("%(minutes)d min %(seconds)02d s") % {
        "minutes": whole // 60,
        "seconds": whole % 60,
    }


def sha256_of(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    with _at_start(file):
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _name(file: File) -> str:
    return (getattr(file, "name", "") or "").rsplit("/", 1)[-1]


def validate_size(file: File, *, max_bytes: int) -> None:
    if file.size > max_bytes:
        raise ValidationError(
            _("Le fichier « %(name)s » est trop volumineux (%(size)s, limite %(limit)s)."),
            code="file_too_large",
            params={
                "name": _name(file),
                "size": _size_over(file.size, max_bytes),
                "limit": format_megabytes(max_bytes),
            },
        )


def validate_dossier_total(file: File, *, used_bytes: int, max_bytes: int) -> None:
    """Refuse a file that would take the dossier's attachments over the edition's total."""
    total = used_bytes + file.size
    if total > max_bytes:
        raise ValidationError(
            _(
                "Avec « %(name)s » (%(size)s), les pièces du dossier atteindraient %(total)s ; "
                "la limite est de %(limit)s par dossier. Supprimez une pièce ou réduisez ce "
                "fichier."
            ),
            code="dossier_too_large",
            params={
                "name": _name(file),
                "size": format_size(file.size),
                "total": _size_over(total, max_bytes),
                "limit": format_megabytes(max_bytes),
            },
        )


def _refuse_type(file: File, content_type: str, message_known, message_unknown) -> None:
    if content_type == UNKNOWN:
        raise ValidationError(message_unknown, code="wrong_type", params={"name": _name(file)})
    raise ValidationError(
        message_known,
        code="wrong_type",
        params={"name": _name(file), "detected": type_label(content_type)},
    )


def _unreadable_pdf(file: File) -> ValidationError:
    return ValidationError(
        _("Le fichier « %(name)s » n'est pas un PDF lisible."),
        code="broken_pdf",
        params={"name": _name(file)},
    )


def _check_pdf(file: File) -> None:
    # Imported here: pypdf is only needed when a PDF is uploaded.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        with _at_start(file):
            # Not strict: real-world PDFs often have small defects viewers ignore; a truncated
            # file still fails (no end-of-file marker, streams that end early).
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValidationError(
                    _(
                        "Le fichier « %(name)s » est protégé par un mot de passe : déposez une "
                        "version sans mot de passe, que le jury pourra ouvrir."
                    ),
                    code="encrypted_pdf",
                    params={"name": _name(file)},
                )
            if len(reader.pages) == 0:
                raise _unreadable_pdf(file)
            for page in reader.pages:
                page.get_contents()
    except DependencyError:
        # AES-encrypted without a password to open it: readable by viewers, but pypdf needs the
        # `cryptography` package to look inside; the structure was parsed, which is enough.
        return
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise _unreadable_pdf(file) from error


def _check_image(file: File) -> None:
    from PIL import Image, UnidentifiedImageError

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    # Pillow's own guard at open() raises past twice this value; below, we refuse from the size.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        # open() reads the header only: the size is known before a single pixel is decoded, so
        # a small file that would decode to gigabytes (a 13000 × 13000 PNG) is refused first.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with _at_start(file), Image.open(file) as image:
                width, height = image.size
                if width * height > limit:
                    raise Image.DecompressionBombError(f"{width} × {height}")
                image.verify()
        # verify() checks the structure; loading decodes the pixels (a truncated image fails).
        with _at_start(file), Image.open(file) as image:
            image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _(
                "L'image « %(name)s » est trop grande (plus de %(limit)s mégapixels) : "
                "réduisez sa définition ou déposez-la en PDF."
            ),
            code="image_too_large",
            params={"name": _name(file), "limit": number_format(limit // 1_000_000)},
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas une image lisible."),
            code="broken_image",
            params={"name": _name(file)},
        ) from error


def validate_document(file: File, *, max_bytes: int) -> str:
    """Check an attachment (PDF or PNG/JPEG/WebP image) by its content; return its type.

    Raises ValidationError with a French message naming the file: too large, not a PDF nor an
    image (saying what was detected when it is known), or a PDF or image that cannot be read.
    """
    validate_size(file, max_bytes=max_bytes)
    content_type = sniff(file)
    if content_type not in DOCUMENT_TYPES:
        _refuse_type(
            file,
            content_type,
            _(
                "Le fichier « %(name)s » n'est pas un PDF ni une image "
                "(contenu détecté : %(detected)s)."
            ),
            _("Le fichier « %(name)s » n'est pas un PDF ni une image (contenu non reconnu)."),
        )
    if content_type == PDF:
        _check_pdf(file)
    else:
        _check_image(file)
    return content_type


class VideoProbeUnavailable(RuntimeError):
    """ffprobe is missing: the server is not set up (Debian package ffmpeg, `make system`)."""


class VideoProbeFailed(ValueError):
    """ffprobe could not read a duration from the file."""


def probe_video_duration(path: str, *, container: str | None = None) -> float:
    """The duration in seconds of the video at `path`, measured by ffprobe.

    `container` ("mov" or "matroska") forces the demuxer, so a crafted file cannot make ffprobe
    pick a playlist format that would open other files or the network.
    """
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise VideoProbeUnavailable(
            "ffprobe not found: install Debian's ffmpeg package (`make system`)."
        )
    command = [ffprobe, "-v", "error", "-protocol_whitelist", "file"]
    if container:
        command += ["-f", container]
    command += ["-show_entries", "format=duration", "-of", "json", path]
    try:
        # Fixed arguments and a path we chose: no shell, nothing from the user but the content.
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, timeout=FFPROBE_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise VideoProbeFailed("ffprobe timed out") from error
    if result.returncode != 0:
        raise VideoProbeFailed(result.stderr.decode(errors="replace").strip())
    try:
        duration = float(json.loads(result.stdout)["format"]["duration"])
    except (ValueError, KeyError, TypeError) as error:
        raise VideoProbeFailed(f"no duration in {result.stdout[:200]!r}") from error
    if duration <= 0:
        raise VideoProbeFailed(f"duration {duration}")
    return duration


@contextmanager
def _on_disk(file: File) -> Iterator[str]:
    """A path to the file's content: the upload's temporary file, or a copy of it."""
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        yield path()
        return
    with tempfile.NamedTemporaryFile(suffix=".video") as copy, _at_start(file):
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            copy.write(chunk)
        copy.flush()
        yield copy.name


_CONTAINERS = {MP4: "mov", WEBM: "matroska"}


def validate_video(file: File, *, max_minutes: int) -> tuple[str, float]:
    """Check a pitch video (MP4 or WebM by content) and its duration; return (type, seconds).

    Raises ValidationError when the file is not an MP4/WebM video, cannot be read, or lasts
    longer than `max_minutes` (the message gives the measured duration), and
    VideoProbeUnavailable when ffprobe is not installed.
    """
    validate_size(file, max_bytes=MAX_VIDEO_BYTES)
    content_type = sniff(file)
    if content_type not in VIDEO_TYPES:
        _refuse_type(
            file,
            content_type,
            _(
                "Le fichier « %(name)s » n'est pas une vidéo MP4 ou WebM "
                "(contenu détecté : %(detected)s)."
            ),
            _("Le fichier « %(name)s » n'est pas une vidéo MP4 ou WebM (contenu non reconnu)."),
        )
    try:
        with _on_disk(file) as path:
            duration = probe_video_duration(path, container=_CONTAINERS[content_type])
    except VideoProbeFailed as error:
        raise ValidationError(
            _("La vidéo « %(name)s » est illisible : sa durée n'a pas pu être mesurée."),
            code="broken_video",
            params={"name": _name(file)},
        ) from error
    if duration > max_minutes * 60 + DURATION_TOLERANCE_SECONDS:
        raise ValidationError(
            _("La vidéo dure %(duration)s ; la durée maximale est de %(limit)d min."),
            code="video_too_long",
            params={"duration": format_duration(duration), "limit": max_minutes},
        )
    return content_type, duration
