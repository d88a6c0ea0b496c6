"""The logo of the organisation that awards a contest: checked by its content, bounded.

An uploaded file is an image only if Pillow reads it as one of the formats below, whatever its
name or the type the browser announced; its weight and its size in pixels are bounded so that
every page and document that shows it stays light (and a decompression bomb is refused).
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 500 * 1024
MAX_SIDE = 2000
# Pillow's format name → the stored file's extension and the content type it is served with.
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}


@dataclass
class LogoError(Exception):
    message: str
    code: str


def check_logo(upload: UploadedFile) -> str:
    """The extension the logo is stored with; raises LogoError (French message) otherwise."""
    if upload.size > MAX_BYTES:
        raise LogoError(str(_("Le logo pèse plus de 500 Ko : réduisez-le.")), "too_heavy")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise LogoError(
                    str(_("Le logo dépasse 2000 pixels de côté : réduisez-le.")), "too_large"
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise LogoError(
            str(_("Ce fichier n'est pas une image PNG, JPEG ou WebP lisible.")), "not_image"
        ) from error
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise LogoError(str(_("Le logo doit être une image PNG, JPEG ou WebP.")), "format")
    return FORMATS[image_format][0]


def content_type(name: str) -> str:
    """The content type a stored logo is served with, from the extension check_logo gave it."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
