"""Attachments and the pitch video of a dossier: storing, replacing and removing them.

Files are checked by applications.uploads before they reach these functions. They are stored in
the default storage (MEDIA_ROOT, outside the static tree) under random names; the original name
is kept in the row and given back only on download, to people allowed to see the dossier.
Stored files are deleted once the transaction that dropped their row commits, so a rolled-back
change never leaves a row pointing at a missing file.
"""

import secrets

from django.core.files import File
from django.db import transaction
from django.db.models import Sum

from accounts.models import User

from .enums import VideoKind
from .models import Application, Attachment
from .uploads import sha256_of

VIDEO_FIELDS = [
    "video_kind",
    "video_url",
    "video_file",
    "video_original_name",
    "video_duration_seconds",
    "updated_at",
]


def _original_name(file: File) -> str:
    # Browsers send a bare name; some old ones sent a whole Windows path.
    name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:255] or "fichier"


def _delete_stored_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def attachments_total_bytes(application: Application) -> int:
    return application.attachments.aggregate(total=Sum("size"))["total"] or 0


@transaction.atomic
def add_attachment(
    application: Application, file: File, *, content_type: str, by: User
) -> Attachment:
    """Store a checked file as an attachment of the dossier.

    Steps: hash the content, store it under a random name, save the row (random download token,
    original name, detected type, size, SHA-256). The dossier's version is left alone: adding a
    file does not conflict with someone editing the text of the dossier.
    """
    attachment = Attachment(
        application=application,
        token=secrets.token_urlsafe(16),
        original_name=_original_name(file),
        content_type=content_type,
        size=file.size,
        sha256=sha256_of(file),
        uploaded_by=by,
    )
    attachment.file.save(attachment.original_name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment) -> None:
    """Delete the row, then the stored file once the deletion is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    _delete_stored_on_commit(storage, name)


def _forget_video_file(application: Application) -> None:
    if application.video_file:
        _delete_stored_on_commit(application.video_file.storage, application.video_file.name)
    application.video_file = ""
    application.video_original_name = ""
    application.video_duration_seconds = None


@transaction.atomic
def set_video_upload(application: Application, file: File, *, duration_seconds: float) -> None:
    """Make a checked, measured upload the dossier's pitch video, replacing any previous one.

    Only the video fields are saved (update_fields): someone editing the text of the dossier
    at the same time keeps their changes, and the version counter stays as it was.
    """
    _forget_video_file(application)
    application.video_kind = VideoKind.UPLOAD
    application.video_url = ""
    application.video_original_name = _original_name(file)
    application.video_duration_seconds = duration_seconds
    application.video_file.save(application.video_original_name, file, save=False)
    application.save(update_fields=VIDEO_FIELDS)


@transaction.atomic
def set_video_link(application: Application, url: str) -> None:
    """Make a link the pitch video (accepted as is: its duration is not checked)."""
    _forget_video_file(application)
    application.video_kind = VideoKind.LINK
    application.video_url = url
    application.save(update_fields=VIDEO_FIELDS)


@transaction.atomic
def remove_video(application: Application) -> None:
    _forget_video_file(application)
    application.video_kind = VideoKind.NONE
    application.video_url = ""
    application.save(update_fields=VIDEO_FIELDS)
