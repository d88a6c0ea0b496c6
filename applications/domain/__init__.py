"""Business logic of dossiers: creation, drafts with optimistic locking, submission, workflow.

Every change of a dossier's state goes through `set_application_state` (one guard table, one
log); `submit_application`, `withdraw_application` and `reopen_application` are thin wrappers that
add their own checks. Views call these functions and never write rows themselves.

Modules, leaves first: calendar (deadline) → errors → leads (who may lead) → content (fields,
completeness, fingerprint) → workflow (transitions) → drafts (create, save) → submission.
"""

from .calendar import PARIS, applications_open_at, format_paris, submission_deadline
from .content import CONTENT_FIELDS, DraftChanges, content_fingerprint, missing_for_submission
from .drafts import contest_initials, create_application, next_reference, save_draft
from .errors import (
    ApplicationError,
    NotEditable,
    StaleVersion,
    SubmissionRefused,
    TransitionRefused,
)
from .leads import (
    LeadRefused,
    accepted_kinds_text,
    accepted_lead_kinds,
    check_lead,
    lead_organisations,
    may_lead,
)
from .submission import check_deadline, submit_application
from .workflow import (
    ALLOWED_TRANSITIONS,
    REOPEN_DAYS,
    applicant_emails,
    reopen_application,
    set_application_state,
    withdraw_application,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CONTENT_FIELDS",
    "PARIS",
    "REOPEN_DAYS",
    "ApplicationError",
    "DraftChanges",
    "LeadRefused",
    "NotEditable",
    "StaleVersion",
    "SubmissionRefused",
    "TransitionRefused",
    "accepted_kinds_text",
    "accepted_lead_kinds",
    "applicant_emails",
    "applications_open_at",
    "check_deadline",
    "check_lead",
    "content_fingerprint",
    "contest_initials",
    "create_application",
    "format_paris",
    "lead_organisations",
    "may_lead",
    "missing_for_submission",
    "next_reference",
    "reopen_application",
    "save_draft",
    "set_application_state",
    "submission_deadline",
    "submit_application",
    "withdraw_application",
]
