"""What dossiers hold about a person (« Mes données », accounts.personal_data), and the
retention of non-laureate dossiers."""

from collections.abc import Iterator
from datetime import datetime
from functools import partial

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.personal_data import PersonalDataSection, Pseudonym, RetentionRule, Rows

from .enums import ApplicationState
from .models import Answer, Application, Attachment, CriterionAnswer

# The content of a dossier that is the applicants' own words about people and money, cleared
# with its files when a non-laureate dossier's retention ends. Title and summary stay: the
# edition's lists and figures still name the dossier.
PURGED_TEXT_FIELDS = ["description", "funding", "audience", "indicators"]
CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone"]


def dossier_rows(user: User) -> Rows:
    dossiers = Application.objects.filter(created_by=user).select_related(
        "edition__contest", "lead_organisation", "theme"
    )
    return [
        {
            "reference": dossier.reference,
            "edition": str(dossier.edition),
            "lead_organisation": dossier.lead_organisation.name,
            "state": dossier.state,
            "theme": dossier.theme.name if dossier.theme else None,
            "title": dossier.title,
            "summary": dossier.summary,
            "description": dossier.description,
            "contact_name": dossier.contact_name,
            "contact_email": dossier.contact_email,
            "contact_phone": dossier.contact_phone,
            "created_at": dossier.created_at.isoformat(),
            "submitted_at": dossier.submitted_at.isoformat() if dossier.submitted_at else None,
            "criterion_answers": {
                answer.criterion.name: answer.text
                for answer in dossier.criterion_answers.select_related("criterion")
            },
        }
        for dossier in dossiers.order_by("pk")
    ]


def _uploads(user: User):
    return Attachment.objects.filter(uploaded_by=user).select_related("application")


def attachment_rows(user: User) -> Rows:
    return [
        {
            "dossier": attachment.application.reference,
            "name": attachment.original_name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "uploaded_at": attachment.uploaded_at.isoformat(),
            "file_in_archive": _archive_name(attachment),
        }
        for attachment in _uploads(user).order_by("pk")
    ]


def _archive_name(attachment: Attachment) -> str:
    # The token keeps two files of the same name apart; the name is the person's own.
    safe = attachment.original_name.replace("/", "_").replace("\\", "_")
    return f"fichiers/{attachment.application.reference}/{attachment.token}-{safe}"


def attachment_files(user: User) -> Iterator[tuple[str, File]]:
    for attachment in _uploads(user).order_by("pk"):
        yield _archive_name(attachment), attachment.file


def erase_author(user: User, pseudonym: Pseudonym) -> None:
    """The dossiers stay with their structure; the author's own contact details leave them
    (created_by and uploaded_by empty themselves: SET_NULL)."""
    Application.objects.filter(contact_email__iexact=user.email).update(
        **{field: "" for field in CONTACT_FIELDS}
    )


def _delete_files(names: list[str]) -> None:
    storage = Application._meta.get_field("video_file").storage
    for name in names:
        if name:
            storage.delete(name)


def purge_dossiers(cutoff: datetime) -> int:
    """Clear the files, contact details and long texts of non-laureate dossiers unchanged
    since `cutoff`. Returns how many dossiers were purged."""
    expired = Application.objects.filter(updated_at__lt=cutoff, purged_at__isnull=True).exclude(
        state=ApplicationState.AWARDED
    )
    count = 0
    for dossier in expired.iterator():
        stored = [a.file.name for a in dossier.attachments.all()]
        stored += [a.file.name for a in dossier.answers.exclude(file="")]
        if dossier.video_file:
            stored.append(dossier.video_file.name)
        with transaction.atomic():
            dossier.attachments.all().delete()
            Answer.objects.filter(application=dossier).update(
                value="", file="", file_original_name=""
            )
            CriterionAnswer.objects.filter(application=dossier).update(text="")
            # A queryset update: `updated_at` keeps the date the retention ran from.
            Application.objects.filter(pk=dossier.pk).update(
                purged_at=timezone.now(),
                video_file="",
                video_original_name="",
                video_url="",
                **{field: "" for field in PURGED_TEXT_FIELDS + CONTACT_FIELDS},
            )
            # Files go once the rows are gone: a failed transaction leaves both in place.
            transaction.on_commit(partial(_delete_files, stored))
        count += 1
    return count


SECTIONS = [
    PersonalDataSection(
        "dossiers",
        gettext_lazy("Les dossiers que vous avez créés"),
        dossier_rows,
        erase=erase_author,
    ),
    PersonalDataSection(
        "pieces_jointes",
        gettext_lazy("Les pièces jointes que vous avez déposées"),
        attachment_rows,
        files=attachment_files,
    ),
]
RETENTION = RetentionRule("dossiers_non_laureats", "RETENTION_DOSSIER_DAYS", purge_dossiers)
