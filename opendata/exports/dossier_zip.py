"""A dossier's files in one ZIP: attachments, the uploaded pitch video, the files answering extra
questions. Stored, not compressed: PDFs, images and videos are compressed already.

Names inside the archive are the original names (as the single-file downloads give them), in
one folder per kind, made unique and stripped of any path, so that unpacking the archive can
never write outside its folder.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from applications.enums import VideoKind
from applications.models import Application

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    name: str  # path inside the archive
    file: FieldFile


def _clean(name: str, fallback: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return name or fallback


def members(application: Application) -> Iterator[Member]:
    """What the archive holds, in a stable order, names made unique."""
    used: set[str] = set()

    def unique(folder: str, name: str) -> str:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, number = f"{folder}/{name}", 2
        while candidate.lower() in used:
            candidate = f"{folder}/{stem} ({number}){dot}{extension}"
            number += 1
        used.add(candidate.lower())
        return candidate

    for attachment in application.attachments.order_by("uploaded_at", "pk"):
        name = _clean(attachment.original_name, "piece-jointe")
        yield Member(unique(_("pieces-jointes"), name), attachment.file)
    if application.video_kind == VideoKind.UPLOAD and application.video_file:
        name = _clean(application.video_original_name, "video")
        yield Member(unique(_("video"), name), application.video_file)
    answers = (
        application.answers.exclude(file="")
        .select_related("question")
        .order_by("question__position", "question__pk")
    )
    for answer in answers:
        name = _clean(answer.file_original_name, "reponse")
        yield Member(
            unique(_("reponses"), f"{answer.question.position + 1:02d}-{name}"), answer.file
        )


def write_zip(application: Application) -> IO[bytes]:
    """The archive in a temporary file (spooled to disk past 10 MB), rewound, ready to send."""
    out = tempfile.SpooledTemporaryFile(max_size=10 * CHUNK)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for member in members(application):
            with (
                member.file.open("rb") as source,
                archive.open(member.name, "w", force_zip64=True) as target,
            ):
                shutil.copyfileobj(source, target, CHUNK)
    out.seek(0)
    return out


def zip_filename(application: Application) -> str:
    return f"dossier-{application.reference}.zip"
