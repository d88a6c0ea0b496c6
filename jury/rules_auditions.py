"""Who may do what with auditions (imported by JuryConfig.ready, next to jury.rules).

- organisers manage sessions, attendance, the timetable and the invitations;
- the applicants of a dossier in an audition round say which sessions they can attend (while
  the dossier is still in the running) and download their invitation;
- an accepted juror of the round downloads the calendar of their sessions (without the dossiers
  they are in conflict with: jury.domain.auditions builds it).
"""

import rules

from accounts.rules import is_organiser
from applications.enums import ApplicationState
from applications.rules import is_applicant_member

from .enums import RoundKind
from .rules import is_round_juror

# Dossiers whose applicants may still change their availabilities.
OPEN_STATES = frozenset({ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED})


@rules.predicate
def in_audition_round(user, application) -> bool:
    """The dossier is in a round of kind « auditions » (reads `audition_round` if the view
    already fetched it)."""
    if application is None:
        return False
    cached = getattr(application, "audition_round", None)
    if cached is not None:
        return True
    return application.round_entries.filter(round__kind=RoundKind.AUDITION).exists()


@rules.predicate
def availability_open(user, application) -> bool:
    return application is not None and application.state in OPEN_STATES


rules.add_perm("jury.manage_auditions", is_organiser)
rules.add_perm("jury.view_availability", is_applicant_member & in_audition_round)
rules.add_perm(
    "jury.change_availability", is_applicant_member & in_audition_round & availability_open
)
rules.add_perm("jury.view_audition_calendar", is_round_juror)
