"""What a dossier contains: the fields a draft may change, what submission requires, and the
fingerprint of the submitted content."""

import hashlib
import json
from decimal import Decimal
from typing import TypedDict

from django.core.files import File
from django.utils.translation import gettext

from territories.models import Organisation

from ..enums import ProjectStage
from ..models import Application

# The dossier's own fields that a draft save may change (everything else is workflow or files).
CONTENT_FIELDS: tuple[str, ...] = (
    "theme",
    "title",
    "summary",
    "description",
    "project_stage",
    "started_on",
    "deployed_on",
    "budget_euros",
    "funding",
    "audience",
    "indicators",
    "repository_url",
    "licence",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class DraftChanges(TypedDict, total=False):
    """What `save_draft` accepts; every key is optional, absent keys are left unchanged.

    - any name of CONTENT_FIELDS → its new value (`theme` is a Theme or None);
    - "partners": the complete, ordered list of partner Organisations (replaces the current one;
      the lead organisation and duplicates are ignored);
    - "criterion_answers": {criterion id: text} (an empty text deletes the answer);
    - "answers": {question id: value} for extra questions; multiple choices are one value per
      line; a question of kind "file" takes a django File (an empty value keeps the stored file).
    """

    partners: list[Organisation]
    criterion_answers: dict[int, str]
    answers: dict[int, str | File]


def missing_for_submission(application: Application) -> list[str]:
    """What the dossier still lacks before it can be submitted, in French, in form order."""
    missing: list[str] = []
    edition = application.edition
    if application.theme_id is None and edition.themes.exists():
        missing.append(gettext("le thème"))
    for field, label in (
        ("title", gettext("le titre du projet")),
        ("summary", gettext("le résumé")),
        ("description", gettext("la description")),
    ):
        if not getattr(application, field).strip():
            missing.append(label)
    answered = set(
        application.criterion_answers.exclude(text="").values_list("criterion_id", flat=True)
    )
    for criterion in edition.criteria.all():
        if criterion.pk not in answered:
            missing.append(gettext("la réponse au critère « %(name)s »") % {"name": criterion.name})
    if not application.project_stage:
        missing.append(gettext("le stade du projet"))
    stage = application.project_stage
    if stage in (ProjectStage.PILOT, ProjectStage.DEPLOYED) and application.started_on is None:
        missing.append(gettext("la date de début du projet"))
    if stage == ProjectStage.DEPLOYED and application.deployed_on is None:
        missing.append(gettext("la date de mise en service"))
    if not application.audience.strip():
        missing.append(gettext("les publics ou services touchés"))
    if not application.contact_name.strip():
        missing.append(gettext("la personne à contacter"))
    if not application.contact_email.strip():
        missing.append(gettext("l'adresse de contact"))
    answers = {
        answer.question_id: answer for answer in application.answers.filter(question__required=True)
    }
    for question in edition.questions.filter(required=True):
        answer = answers.get(question.pk)
        if answer is None or not (answer.value.strip() or answer.file):
            label = gettext("la réponse à la question « %(label)s »")
            missing.append(label % {"label": question.label})
    return missing


def _file_sha256(field) -> str:
    digest = hashlib.sha256()
    field.open("rb")
    try:
        for chunk in field.chunks():
            digest.update(chunk)
    finally:
        field.close()
    return digest.hexdigest()


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def content_fingerprint(application: Application) -> str:
    """SHA-256 (hex) of a canonical JSON of the dossier's content, printed on the receipt.

    Covers the content fields, theme, lead and partners (by slug), criterion answers (by
    criterion name), extra answers (by question label, files by their SHA-256), the video (kind,
    link or name and measured duration) and the attachments (name and SHA-256). Keys are sorted
    and separators fixed, so the same content always gives the same fingerprint.
    """
    content: dict[str, object] = {
        "reference": application.reference,
        "edition": f"{application.edition.contest.slug}/{application.edition.year}",
        "lead": application.lead_organisation.slug,
        "partners": [
            partner.organisation.slug
            for partner in application.application_partners.select_related("organisation")
        ],
        "theme": application.theme.name if application.theme_id else None,
        "criteria": {
            answer.criterion.name: answer.text
            for answer in application.criterion_answers.select_related("criterion")
        },
        "answers": {
            answer.question.label: (
                {"file": answer.file_original_name, "sha256": _file_sha256(answer.file)}
                if answer.file
                else answer.value
            )
            for answer in application.answers.select_related("question")
        },
        "video": {
            "kind": application.video_kind,
            "url": application.video_url,
            "file": application.video_original_name,
            "duration_seconds": application.video_duration_seconds,
        },
        "attachments": sorted(
            [attachment.original_name, attachment.sha256]
            for attachment in application.attachments.all()
        ),
    }
    for name in CONTENT_FIELDS:
        if name != "theme":
            content[name] = _plain(getattr(application, name))
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
