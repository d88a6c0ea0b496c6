"""Who may do what in the selection: organisers run rounds; jurors see only what they evaluate.

The rule that matters most: a juror in conflict with a dossier sees nothing of it. Every
predicate that opens a dossier to a juror is `is_assigned_juror & ~is_conflicted_juror`, and
lists are built from the same two sets (`assigned_application_ids`, `conflicted_application_ids`),
so pages, files, scores and counts agree. A conflict is the person's for the whole edition
(jury.models.jurors): the dossiers in conflict are those of every round, the same set the
solver keeps the juror away from (jury.domain.assign reads `Conflict.objects.effective()` too).
An organiser who is also a juror in conflict with a dossier does not see that dossier's scores
either.

The two sets are cached on the user object (one request), so checking every row of a list costs
two queries.

Auditions: organisers manage sessions, attendance, the timetable and the invitations; the
applicants of a dossier in an audition round say which sessions they can attend (while the
dossier is still in the running) and download their invitation; an accepted juror of the round
downloads the calendar of their sessions (without the dossiers they are in conflict with:
jury.domain.auditions builds it).

Two rights belong to lower apps, which offer a hook that JuryConfig.ready() fills: reading a
dossier (`applications.read_dossier`, `may_read_as_juror`) and having to give the second factor
(`accounts.second_factor`, `has_jury_membership`).
"""

import rules

from applications.enums import ApplicationState
from applications.rules import is_applicant_member
from contests.domain import edition_allows
from contests.rules import is_contest_organiser

from .enums import EvaluationState, JurorState, RoundKind

_CACHE = "_jury_access"


def _access(user) -> tuple[frozenset[int], frozenset[int]]:
    """(ids of dossiers assigned to the user as an accepted juror, ids of dossiers in conflict)."""
    if not (user and user.is_authenticated):
        return frozenset(), frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from .models import Assignment, Conflict

        assigned = frozenset(
            Assignment.objects.filter(
                juror__user=user, juror__state=JurorState.ACCEPTED
            ).values_list("application_id", flat=True)
        )
        conflicted = frozenset(
            Conflict.objects.effective()
            .filter(member__user=user)
            .values_list("application_id", flat=True)
        )
        cached = (assigned, conflicted)
        setattr(user, _CACHE, cached)
    return cached


def forget_access(user) -> None:
    """Drop the cache after an assignment or conflict of this user changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def assigned_application_ids(user) -> frozenset[int]:
    """Dossiers the user may read as a juror: assigned and not in conflict."""
    assigned, conflicted = _access(user)
    return assigned - conflicted


def conflicted_application_ids(user) -> frozenset[int]:
    return _access(user)[1]


@rules.predicate
def is_assigned_juror(user, application) -> bool:
    return application is not None and application.pk in _access(user)[0]


@rules.predicate
def is_conflicted_juror(user, application) -> bool:
    return application is not None and application.pk in _access(user)[1]


may_read_as_juror = is_assigned_juror & ~is_conflicted_juror


def has_jury_membership(user) -> bool:
    """The user sits on a jury, whatever the state of the invitation (second factor required)."""
    from .models import Juror

    return Juror.objects.filter(user=user).exists()


def holds_jury_seat(user) -> bool:
    """An accepted juror of some round: their jury space is in the header, and they land on
    it after signing in (accounts.landing)."""
    from .models import Juror

    return bool(
        user
        and user.is_authenticated
        and Juror.objects.filter(user=user, state=JurorState.ACCEPTED).exists()
    )


@rules.predicate
def is_round_juror(user, round_) -> bool:
    """An accepted juror of this round."""
    return bool(
        round_ is not None
        and user
        and user.is_authenticated
        and round_.jurors.filter(user=user, state=JurorState.ACCEPTED).exists()
    )


@rules.predicate
def is_round_president(user, round_) -> bool:
    return bool(
        round_ is not None
        and user
        and user.is_authenticated
        and round_.jurors.filter(user=user, state=JurorState.ACCEPTED, is_president=True).exists()
    )


# Predicates on an Assignment (the juror's own evaluation of one dossier).
@rules.predicate
def owns_assignment(user, assignment) -> bool:
    return bool(
        assignment is not None
        and user
        and user.is_authenticated
        and assignment.juror.user_id == user.pk
        and assignment.juror.state == JurorState.ACCEPTED
    )


@rules.predicate
def assignment_in_conflict(user, assignment) -> bool:
    return assignment is not None and assignment.application_id in _access(user)[1]


@rules.predicate
def phase_allows_scoring(user, assignment) -> bool:
    return assignment is not None and edition_allows(assignment.juror.round.edition, "may_score")


@rules.predicate
def round_scoring_open(user, assignment) -> bool:
    """The round's end date has not passed (jury.domain.round_deadline)."""
    from .domain.round_deadline import scoring_ended

    return assignment is not None and not scoring_ended(assignment.juror.round)


@rules.predicate
def phase_allows_seeing_other_scores(user, assignment) -> bool:
    return assignment is not None and edition_allows(
        assignment.juror.round.edition, "may_see_other_scores"
    )


@rules.predicate
def own_evaluation_submitted(user, assignment) -> bool:
    evaluation = getattr(assignment, "evaluation", None) if assignment is not None else None
    return evaluation is not None and evaluation.state == EvaluationState.SUBMITTED


@rules.predicate
def own_evaluation_open(user, assignment) -> bool:
    evaluation = getattr(assignment, "evaluation", None) if assignment is not None else None
    return evaluation is None or evaluation.state == EvaluationState.DRAFT


may_open_assignment = owns_assignment & ~assignment_in_conflict

# Organisers.
rules.add_perm("jury.manage_selection", is_contest_organiser)
# A dossier's scores (organisers' pages and exports): not for an organiser in conflict with it.
rules.add_perm("jury.view_scores", is_contest_organiser & ~is_conflicted_juror)

# Jurors.
rules.add_perm("jury.read_dossier", may_read_as_juror)
rules.add_perm("jury.view_juror_round", is_round_juror)
rules.add_perm("jury.declare_conflict", is_round_juror)
rules.add_perm("jury.open_assignment", may_open_assignment)
rules.add_perm(
    "jury.evaluate",
    may_open_assignment & phase_allows_scoring & round_scoring_open & own_evaluation_open,
)
# Other jurors' scores stay hidden until one's own is submitted, and only when the phase says so.
rules.add_perm(
    "jury.view_other_scores",
    may_open_assignment & own_evaluation_submitted & phase_allows_seeing_other_scores,
)
rules.add_perm("jury.preside", is_round_president)


# Auditions.


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
    """Applicants may still change their availabilities (the dossier awaits its audition)."""
    return application is not None and application.state in ApplicationState.awaiting_audition()


rules.add_perm("jury.manage_auditions", is_contest_organiser)
rules.add_perm("jury.view_availability", is_applicant_member & in_audition_round)
rules.add_perm(
    "jury.change_availability", is_applicant_member & in_audition_round & availability_open
)
rules.add_perm("jury.view_audition_calendar", is_round_juror)
