"""Submission receipt: the PDF (WeasyPrint) and the email that carries it.

The receipt is rebuilt from the dossier's stored content whenever it is needed (email, download):
a submitted dossier is read-only, so the same content gives the same document, and its SHA-256
fingerprint (computed once, at submission) lets anyone check later that nothing changed.
Receipts are official documents of a French label: they are always written in French.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Prefetch
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import User
from contests.enums import PhaseKind
from contests.models import Phase
from notifications.outbox import email_kind, queue_email
from palmares import dates
from palmares.pdf import render_pdf

from .enums import ApplicationState, QuestionKind, VideoKind
from .models import Answer, Application, ApplicationPartner, CriterionAnswer, Transition
from .uploads import format_duration, format_size

PARIS = ZoneInfo("Europe/Paris")
RECEIPT_LANGUAGE = "fr"
PDF_TYPE = "application/pdf"
RECEIPT_EMAIL = email_kind("applications.receipt", _("Accusé de réception d'un dossier"))


def receipt_available(application: Application) -> bool:
    """A receipt exists once the dossier is submitted, and as long as its content is the one
    submitted (not while an organiser has reopened it)."""
    return bool(application.submitted_at) and (
        application.state in ApplicationState.submitted_states()
    )


def receipt_filename(application: Application) -> str:
    return f"recepisse-{application.reference}.pdf"


@dataclass(frozen=True)
class Row:
    """One labelled piece of the dossier's content, as printed on the receipt."""

    label: str
    value: str


def _receipt_application(application: Application) -> Application:
    """The dossier with everything the receipt prints, in a fixed number of queries."""
    return (
        Application.objects.select_related("edition__contest", "lead_organisation", "theme")
        .prefetch_related(
            Prefetch(
                "application_partners",
                queryset=ApplicationPartner.objects.select_related("organisation"),
            ),
            Prefetch(
                "criterion_answers", queryset=CriterionAnswer.objects.select_related("criterion")
            ),
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            "attachments",
            "edition__criteria",
            "edition__questions",
        )
        .get(pk=application.pk)
    )


def _field_rows(application: Application) -> list[Row]:
    """Every content field of the dossier, in the order of the form, empty ones included."""
    # Imported here: the domain imports this module to queue the receipt.
    from .domain.content import CONTENT_FIELDS

    # The form's order: the title first, then the other content fields as the domain lists them.
    fields = sorted(CONTENT_FIELDS, key=lambda name: name != "title")
    rows = []
    for name in fields:
        field = Application._meta.get_field(name)
        if field.choices:
            value = getattr(application, f"get_{name}_display")()
        else:
            value = getattr(application, name)
        rows.append(Row(str(field.verbose_name).capitalize(), _text(value)))
    return rows


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return dates.long_date(value)
    if hasattr(value, "quantize"):
        return f"{number_format(value, 2, force_grouping=True)} €"
    return str(value)


def _answer_text(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.question.kind == QuestionKind.FILE:
        return answer.file_original_name
    if answer.question.kind == QuestionKind.MULTIPLE_CHOICE:
        return "\n".join(line.strip() for line in answer.value.splitlines() if line.strip())
    return answer.value


def _video(application: Application) -> dict[str, str] | None:
    if application.video_kind == VideoKind.UPLOAD and application.video_file:
        duration = application.video_duration_seconds
        return {
            "kind": "upload",
            "name": application.video_original_name,
            "duration": format_duration(duration) if duration is not None else "",
        }
    if application.video_kind == VideoKind.LINK and application.video_url:
        return {"kind": "link", "url": application.video_url}
    return None


def receipt_context(application: Application) -> dict[str, object]:
    application = _receipt_application(application)
    edition = application.edition
    criterion_answers = {a.criterion_id: a for a in application.criterion_answers.all()}
    answers = {a.question_id: a for a in application.answers.all()}
    return {
        "application": application,
        "edition": edition,
        "submitted_at": timezone.localtime(application.submitted_at, PARIS)
        if application.submitted_at
        else None,
        "partners": [p.organisation for p in application.application_partners.all()],
        "fields": _field_rows(application),
        "criteria": [
            Row(c.name, criterion_answers[c.pk].text if c.pk in criterion_answers else "")
            for c in edition.criteria.all()
        ],
        "questions": [
            {
                "label": q.label,
                "visibility": q.get_visibility_display(),
                "value": _answer_text(answers.get(q.pk)),
            }
            for q in edition.questions.all()
        ],
        "attachments": [
            {"name": a.original_name, "size": format_size(a.size), "sha256": a.sha256}
            for a in application.attachments.all()
        ],
        "video": _video(application),
    }


def render_receipt_pdf(application: Application) -> bytes:
    """The receipt of a submitted dossier as a PDF, in French, with the shipped font."""
    with translation.override(RECEIPT_LANGUAGE):
        context = receipt_context(application)
    return render_pdf(
        "applications/receipt/receipt.html", context, "applications/receipt/receipt.css"
    )


def submitter(application: Application) -> User | None:
    """Who submitted the dossier last (the workflow log), else who created it; None when
    that person has since deleted their account."""
    transition = (
        Transition.objects.filter(application=application, to_state=ApplicationState.SUBMITTED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if transition and transition.by:
        return transition.by
    return application.created_by


def receipt_recipients(application: Application) -> list[str]:
    """The submitter, then the lead organisation's confirmed members, each address once."""
    members = User.objects.filter(
        is_active=True,
        memberships__organisation_id=application.lead_organisation_id,
        memberships__state=MembershipState.CONFIRMED,
    ).order_by("email")
    person = submitter(application)
    recipients = [person.email] if person else []
    recipients += list(members.values_list("email", flat=True))
    return list(dict.fromkeys(recipients))


def _next_phases(application: Application) -> list[Phase]:
    """The next three phases the dossier will go through: a contest without regional rounds or
    auditions announces none (its new editions have no such phases, an older one may keep the
    rows, which then do nothing)."""
    contest = application.edition.contest
    skipped = [
        kind
        for kind, used in (
            (PhaseKind.REGIONAL_SELECTION, contest.uses_regional_rounds),
            (PhaseKind.AUDITIONS, contest.uses_auditions),
        )
        if not used
    ]
    phases = application.edition.phases.filter(starts_at__gt=timezone.now()).exclude(
        kind__in=skipped
    )
    return list(phases.order_by("starts_at")[:3])


def receipt_email(application: Application) -> EmailMessage:
    with translation.override(RECEIPT_LANGUAGE):
        context = {
            "application": application,
            "edition": application.edition,
            # « au Label … 2027 », « à la Start-up … 2027 »: the contest with its article.
            "to_edition": (
                f"{application.edition.contest.with_article('à')} {application.edition.year}"
            ),
            "contest": application.edition.contest,
            "submitted_at": timezone.localtime(application.submitted_at, PARIS),
            "next_phases": [
                (phase.get_kind_display(), timezone.localtime(phase.starts_at, PARIS))
                for phase in _next_phases(application)
            ],
            "site_url": settings.SITE_URL,
            "receipt_path": reverse(
                "applications:receipt_download", kwargs={"reference": application.reference}
            ),
            "filename": receipt_filename(application),
        }
        subject = render_to_string("applications/receipt/email_subject.txt", context)
        body = render_to_string("applications/receipt/email_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=receipt_recipients(application),
    )
    message.attach(receipt_filename(application), render_receipt_pdf(application), PDF_TYPE)
    return message


@task()
def send_submission_receipt(reference: str) -> None:
    """Email the PDF receipt of the submitted dossier `reference` to its applicants (through
    the outbox, which retries if the mail server is down).

    Runs after the submission's transaction commits (applications.domain enqueues it); a dossier
    withdrawn or reopened in between gets no receipt, as its content may no longer be what
    was submitted.
    """
    application = Application.objects.select_related("edition__contest", "created_by").get(
        reference=reference
    )
    if application.state != ApplicationState.SUBMITTED or not receipt_available(application):
        return
    queue_email(receipt_email(application), kind=RECEIPT_EMAIL, context=str(application.edition))
