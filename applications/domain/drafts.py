"""Creating dossiers and saving drafts, with optimistic locking."""

import re
import unicodedata
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from contests.models import Edition
from territories.models import Organisation

from ..enums import ApplicationState, QuestionKind
from ..models import Answer, Application, ApplicationPartner, CriterionAnswer
from .content import CONTENT_FIELDS, DraftChanges
from .errors import NotEditable, StaleVersion
from .leads import check_lead
from .notices import tell_partners_added
from .workflow import log, record_transition

_SMALL_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "et", "d", "l", "a", "au", "aux"})


def contest_initials(name: str) -> str:
    """The initials that start a contest's references: "Label Territoire Innovant" gives "LTI"
    (accents dropped, small words such as "de" or "et" skipped)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [word for word in re.split(r"[^A-Za-z0-9]+", ascii_name) if word]
    initials = "".join(word[0] for word in words if word.lower() not in _SMALL_WORDS)
    return (initials or "DOS").upper()[:8]


def next_reference(edition: Edition) -> str:
    """The next free reference of the edition, like "LTI-2026-0001".

    Two requests may compute the same one; `create_application` retries on the unique
    constraint, so the sequence stays unique without a lock.
    """
    prefix = f"{contest_initials(edition.contest.name)}-{edition.year}-"
    taken = Application.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    # The highest number is the last of the longest references (numbers are zero-padded to
    # four digits, then grow): the database picks that one row, instead of every reference
    # crossing to Python, so creating a dossier costs the same at 100 dossiers and at 2,000.
    last = taken.order_by(Length("reference").desc(), "-reference").first()
    suffix = last[len(prefix) :] if last else "0"
    if suffix.isdigit() and (len(suffix) <= 4 or not suffix.startswith("0")):
        number = int(suffix)
    else:  # a reference edited by hand (not a padded number): the exhaustive way
        numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
        number = max(numbers, default=0)
    return f"{prefix}{number + 1:04d}"


def create_application(
    edition: Edition, lead_organisation: Organisation, *, by: User, attempts: int = 5
) -> Application:
    """Create an empty draft dossier of `lead_organisation` for `edition`.

    Effects: guard: the contest must accept the lead's nature (`leads.check_lead` raises
    LeadRefused: a start-up cannot lead a dossier of a contest of collectivités, nor the
    reverse); insert the dossier with the next free reference (retrying when a concurrent
    request took it), record the transition "" → draft by `by`, activity log.
    """
    check_lead(edition, lead_organisation)
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    edition=edition,
                    reference=next_reference(edition),
                    lead_organisation=lead_organisation,
                    created_by=by,
                    state=ApplicationState.DRAFT,
                )
                record_transition(
                    application, "", ApplicationState.DRAFT, by=by, at=timezone.now(), reason=""
                )
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            continue
        log("application created", application, by)
        return application
    raise AssertionError("unreachable")


def _save_partners(application: Application, partners: list[Organisation], *, by) -> None:
    """Replace the co-porteurs; tell the members of each structure newly added."""
    wanted: list[Organisation] = []
    for organisation in partners:
        if organisation.pk != application.lead_organisation_id and organisation not in wanted:
            wanted.append(organisation)
    before = set(
        ApplicationPartner.objects.filter(application=application).values_list(
            "organisation_id", flat=True
        )
    )
    added = [organisation for organisation in wanted if organisation.pk not in before]
    ApplicationPartner.objects.filter(application=application).delete()
    ApplicationPartner.objects.bulk_create(
        ApplicationPartner(application=application, organisation=organisation, position=position)
        for position, organisation in enumerate(wanted)
    )
    if added:
        application.refresh_from_db(fields=["title"])
        tell_partners_added(application, added, by=by)


def _save_criterion_answers(application: Application, answers: dict[int, str]) -> None:
    valid = set(application.edition.criteria.values_list("pk", flat=True))
    for criterion_id, text in answers.items():
        if int(criterion_id) not in valid:
            continue
        if text.strip():
            CriterionAnswer.objects.update_or_create(
                application=application, criterion_id=criterion_id, defaults={"text": text}
            )
        else:
            CriterionAnswer.objects.filter(
                application=application, criterion_id=criterion_id
            ).delete()


def _save_answers(application: Application, answers: dict[int, Any]) -> None:
    questions = {question.pk: question for question in application.edition.questions.all()}
    for question_id, value in answers.items():
        question = questions.get(int(question_id))
        if question is None:
            continue
        if isinstance(value, File):
            answer, _created = Answer.objects.get_or_create(
                application=application, question=question
            )
            if answer.file:  # a replaced file is not kept: nothing refers to it any more
                answer.file.delete(save=False)
            answer.file_original_name = (value.name or "").rsplit("/", 1)[-1][:255]
            answer.file.save(answer.file_original_name or "fichier", value, save=False)
            answer.save(update_fields=["file", "file_original_name"])
        elif value in (None, ""):
            if question.kind != QuestionKind.FILE:  # no new file: the stored one stays
                Answer.objects.filter(application=application, question=question).delete()
        else:
            Answer.objects.update_or_create(
                application=application, question=question, defaults={"value": str(value)}
            )


@transaction.atomic
def save_draft(
    application: Application, changes: DraftChanges | dict[str, Any], *, expected_version: int, by
) -> Application:
    """Save the user's changes if nobody saved the dossier since `expected_version`.

    Effects, in one transaction:
    1. guard: the state must be editable (NotEditable otherwise);
    2. `UPDATE … SET version = version + 1 WHERE version = expected_version` with the content
       fields of `changes`; if no row matched, someone saved in between: StaleVersion (with the
       current version and when it changed), nothing written;
    3. replace partners (emailing the members of each structure newly added), upsert
       criterion and extra answers present in `changes`;
    4. activity log. Returns the dossier re-read from the database (new version).
    """
    if application.state not in ApplicationState.editable():
        raise NotEditable(gettext("Ce dossier n'est plus modifiable : il a été déposé ou retiré."))
    fields = {name: changes[name] for name in CONTENT_FIELDS if name in changes}
    updated = Application.objects.filter(
        pk=application.pk, version=expected_version, state__in=ApplicationState.editable()
    ).update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not updated:
        current = Application.objects.values("version", "state", "updated_at").get(
            pk=application.pk
        )
        if current["state"] not in ApplicationState.editable():
            raise NotEditable(
                gettext("Ce dossier n'est plus modifiable : il a été déposé ou retiré.")
            )
        raise StaleVersion(current["version"], current["updated_at"])
    if "partners" in changes:
        _save_partners(application, list(changes["partners"]), by=by)
    if "criterion_answers" in changes:
        _save_criterion_answers(application, dict(changes["criterion_answers"]))
    if "answers" in changes:
        _save_answers(application, dict(changes["answers"]))
    log("draft saved", application, by, version=expected_version + 1)
    application.refresh_from_db()
    return application
