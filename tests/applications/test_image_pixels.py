"""A small file that decodes to a huge image is refused from its header, before decoding
(issue 17, #3): a 13000 × 13000 PNG of a few hundred KB made the web process grow by 640 MB."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from applications import uploads

from .samples import upload

LIMIT = 10 * uploads.MEGABYTE


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    # Bilevel and uniform: a few hundred KB on disk, width × height pixels once decoded.
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_13000_by_13000_png_is_refused_before_decoding(monkeypatch):
    content = png(13000, 13000)
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)

    with pytest.raises(ValidationError) as raised:
        uploads.validate_document(upload("plan.png", content), max_bytes=LIMIT)

    assert len(content) < 1_000_000
    assert raised.value.messages == [
        "L'image « plan.png » est trop grande (plus de 40 mégapixels) : "
        "réduisez sa définition ou déposez-la en PDF."
    ]
    assert decoded == []


def test_an_image_just_over_the_limit_is_refused_from_its_size(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000  # 1001 × 1000: under Pillow's own 2× guard

    with pytest.raises(ValidationError, match="plus de 1 mégapixels"):
        uploads.validate_document(upload("photo.png", png(1001, 1000)), max_bytes=LIMIT)


def test_an_image_under_the_limit_is_accepted():
    content = png(6000, 6000)  # 36 megapixels: a camera's full definition

    assert uploads.validate_document(upload("photo.png", content), max_bytes=LIMIT) == "image/png"


def test_the_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000

    with pytest.raises(ValidationError, match="trop grande"):
        uploads.validate_document(upload("photo.png", png(1001, 1000)), max_bytes=LIMIT)
    assert uploads.validate_document(upload("ok.png", png(1000, 1000)), max_bytes=LIMIT)
