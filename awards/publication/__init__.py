"""Publication of a validated palmarès, at once or at a chosen moment (the Forum ceremony).

The embargo holds by construction until then: no Award of the edition exists and its dossiers
keep their running states, so no public page, API answer, open-data file, search result or badge
(all of which read awards through `Edition.objects.public`, contests' embargo rule) and no
dossier page can show a level, and no email is sent. `publish` does everything in one
transaction; emails to the applicants and the open-data files follow its commit.

`schedule_publication` stores the moment and queues `awards.tasks.publish_scheduled` to run
then; the task publishes only a still validated, unpublished deliberation whose moment has come,
so rescheduling or running it twice is harmless.

A scheduled publication can be cancelled (`cancel_scheduled_publication`): the queued task then
finds no moment and does nothing.

Modules: outcomes.py (which dossiers publication concludes and how; the preview of what it will
make public; what stops it), unexamined.py (the dossiers no round examined, whose outcome the
organisers decide with a reason), publishing.py (`publish`, `schedule_publication`,
`cancel_scheduled_publication`, `publish_if_due`), results.py (a dossier's result as its
applicants are told it: email and dossier page), emails.py (the result emails, sent by
`awards.tasks.send_results`).
"""

from .emails import result_message, send_result_emails
from .outcomes import (
    Outcome,
    Preview,
    PublicationRefused,
    ThemeCounts,
    blocking_reasons,
    dossier_outcomes,
    publication_preview,
)
from .publishing import (
    award_slug,
    cancel_scheduled_publication,
    publish,
    publish_if_due,
    schedule_publication,
)
from .results import DossierResult, dossier_result, published_result
from .unexamined import (
    UnexaminedRefused,
    UnexaminedRow,
    decide_all_undecided,
    decide_unexamined,
    unexamined_applications,
    unexamined_rows,
)

__all__ = [
    "DossierResult",
    "Outcome",
    "Preview",
    "PublicationRefused",
    "ThemeCounts",
    "UnexaminedRefused",
    "UnexaminedRow",
    "award_slug",
    "blocking_reasons",
    "cancel_scheduled_publication",
    "decide_all_undecided",
    "decide_unexamined",
    "dossier_outcomes",
    "dossier_result",
    "publication_preview",
    "publish",
    "publish_if_due",
    "published_result",
    "result_message",
    "schedule_publication",
    "send_result_emails",
    "unexamined_applications",
    "unexamined_rows",
]
