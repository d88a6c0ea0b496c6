"""The first upload handler of every request: a file is measured while it streams in.

Without it a 1.1 GB upload was written whole to a temporary file before the form found it too
large. Here each file's bytes are counted as they arrive; past MAX_VIDEO_BYTES (the largest
file the site accepts anywhere, a pitch video) the file is skipped: its remaining bytes are read
but neither kept in memory nor written to disk, and the view tells which file was refused
(`refuse_skipped_files`). The edition's smaller limits are checked by the forms afterwards.
Whole bodies are capped before this by palmares/security.py and nginx.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .uploads import MAX_VIDEO_BYTES, format_megabytes

REFUSED_ATTRIBUTE = "refused_uploads"


class BoundedUploadHandler(FileUploadHandler):
    """Skip any file past MAX_VIDEO_BYTES as soon as its bytes say so."""

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_VIDEO_BYTES:
            refused = getattr(self.request, REFUSED_ATTRIBUTE, {})
            refused[self.field_name] = self.file_name
            setattr(self.request, REFUSED_ATTRIBUTE, refused)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def refuse_skipped_files(request: HttpRequest, form: forms.Form) -> bool:
    """Put on `form` the refusal of each of its files skipped while streaming; True if any.

    Call after form.is_valid(): the field's "required" error is replaced by the real reason.
    """
    refused = getattr(request, REFUSED_ATTRIBUTE, {})
    found = False
    for name in form.fields:
        file_name = refused.get(form[name].html_name)
        if file_name is None:
            continue
        found = True
        form.errors.pop(name, None)
        form.add_error(
            name,
            ValidationError(
                _("Le fichier « %(name)s » est trop volumineux (plus de %(limit)s)."),
                code="file_too_large",
                params={"name": file_name, "limit": format_megabytes(MAX_VIDEO_BYTES)},
            ),
        )
    return found
