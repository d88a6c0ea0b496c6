"""Publication of a validated palmarès, at once or at a chosen moment (the Forum ceremony).

The embargo holds by construction until then: no Award of the edition exists and its dossiers
keep their running states, so no public page, API answer, open-data file, search result or badge
(all of which read awards through `Edition.objects.public`, contests' embargo rule) and no
dossier page can show a level, and no email is sent. `publish` does everything in one
transaction; emails to the applicants and the open-data files follow its commit.

`schedule_publication` stores the moment and queues `awards.tasks.publish_scheduled` to run
then; the task publishes only a still validated, unpublished deliberation whose moment has come,
so rescheduling or running it twice is harmless.

Modules: outcomes.py (which dossiers publication concludes and how; the preview of what it will
make public), publishing.py (`publish`, `schedule_publication`, `publish_if_due`), emails.py
(the result emails, sent by `awards.tasks.send_results`).
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
from .publishing import award_slug, publish, publish_if_due, schedule_publication

__all__ = [
    "Outcome",
    "Preview",
    "PublicationRefused",
    "ThemeCounts",
    "award_slug",
    "blocking_reasons",
    "dossier_outcomes",
    "publication_preview",
    "publish",
    "publish_if_due",
    "result_message",
    "schedule_publication",
    "send_result_emails",
]
