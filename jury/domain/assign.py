"""Assigning a round's jurors to its dossiers: from the database to the exact solver and back.

The solver (jury.assignment) works on arrays; this module builds them from a round — dossiers in
the round, accepted jurors, their conflicts (the person's, whichever round they were found in),
institutions, expertise, loads — and writes the result, telling each juror whose dossiers
changed by email. Work already started is never thrown away: hand-made assignments and
assignments that have an evaluation (draft or submitted) are passed to the solver as fixed pairs;
only the solver's own untouched assignments are replaced.

Loads: each juror's load in the round aims at the fair share, floor to ceil of dossiers x jurors
per dossier / jurors (`fair_share`), met whenever the conflicts allow, else missed by as little as
possible; a minimum or maximum the organisers set for a juror is a strict limit instead.

Affinity of a juror for a dossier (what the solver maximises, summed over the assignment):
1 when the dossier's theme is one of the juror's expertise themes, 1/2 when the juror declared no
theme (a generalist), 0 otherwise. These are exact binary fractions, so the solver's integer
costs represent them without rounding.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils.translation import gettext

from applications.enums import ApplicationState
from applications.models import Application
from contests import activity

from ..assignment import AssignmentProblem, AssignmentResult, solve_assignment
from ..enums import AssignmentSource, EvaluationState, JurorState
from ..models import Assignment, Conflict, Juror, Round, RoundEntry
from .assignment_notices import notify_assignment_changes

EXPERT, GENERALIST, OTHER = 1.0, 0.5, 0.0


@dataclass(frozen=True)
class AssignmentOutcome:
    created: int
    removed: int
    kept: int
    objective: float
    optimal: bool
    dossiers: int
    jurors: int
    # Where the soft rules gave way, in French (dossier by dossier, juror by juror).
    departures: list[str] = field(default_factory=list)


def fair_share(dossiers: int, per_dossier: int, jurors: int) -> tuple[int, int]:
    """The even load: floor and ceil of dossiers x jurors per dossier / jurors."""
    if jurors == 0:
        return 0, 0
    share = dossiers * per_dossier / jurors
    return math.floor(share), math.ceil(share)


def load_bounds(juror: Juror, share: tuple[int, int], dossiers: int) -> tuple[int, int, int, int]:
    """(hard minimum, target minimum, target maximum, hard maximum) of a juror in a round: what
    the organisers set is strict, the rest aims at the fair share."""
    low = juror.capacity_min if juror.capacity_min is not None else 0
    high = juror.capacity_max if juror.capacity_max is not None else max(dossiers, low)
    target_low = min(
        max(juror.capacity_min if juror.capacity_min is not None else share[0], low), high
    )
    target_high = juror.capacity_max if juror.capacity_max is not None else share[1]
    return low, target_low, min(max(target_high, target_low), high), high


def round_entries(round_: Round) -> list[RoundEntry]:
    """The round's dossiers still in competition (the others are not assigned)."""
    return list(
        round_.entries.filter(application__state__in=ApplicationState.in_competition())
        .select_related("application__theme")
        .order_by("application__reference")
    )


def round_jurors(round_: Round) -> list[Juror]:
    return list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .prefetch_related("themes")
        .order_by("full_name", "pk")
    )


def affinity_matrix(entries: list[RoundEntry], jurors: list[Juror]) -> np.ndarray:
    """(dossiers × jurors) affinities, from each juror's expertise themes (see module doc)."""
    theme_index = {
        theme_id: i
        for i, theme_id in enumerate(
            sorted({e.application.theme_id for e in entries if e.application.theme_id})
        )
    }
    expertise = np.zeros((len(theme_index) + 1, len(jurors)), dtype=bool)
    generalist = np.zeros(len(jurors), dtype=bool)
    for j, juror in enumerate(jurors):
        themes = [theme.pk for theme in juror.themes.all()]
        generalist[j] = not themes
        for theme_id in themes:
            if theme_id in theme_index:
                expertise[theme_index[theme_id], j] = True
    # Row len(theme_index) stands for "no theme": nobody is an expert of it.
    rows = np.array(
        [theme_index.get(e.application.theme_id, len(theme_index)) for e in entries], dtype=int
    )
    affinity = np.where(expertise[rows], EXPERT, OTHER)
    affinity[:, generalist] = GENERALIST
    return affinity


def build_problem(
    round_: Round, entries: list[RoundEntry], jurors: list[Juror], per_dossier: int
) -> AssignmentProblem:
    dossier_index = {e.application_id: i for i, e in enumerate(entries)}
    juror_index = {juror.pk: j for j, juror in enumerate(jurors)}
    # The same source as the access rules (jury.rules): the person's conflicts, every round.
    conflicts = [
        (dossier_index[application_id], juror_index[juror_id])
        for juror_id, application_id in Conflict.objects.effective()
        .filter(application_id__in=dossier_index)
        .juror_pairs(round=round_)
        if juror_id in juror_index
    ]
    share = fair_share(len(entries), per_dossier, len(jurors))
    bounds = np.array(
        [load_bounds(juror, share, len(entries)) for juror in jurors], dtype=int
    ).reshape(-1, 4)
    institution_keys: dict[str, int] = {}
    institutions = [
        institution_keys.setdefault(j.institution_key, len(institution_keys)) for j in jurors
    ]
    group_keys: dict[object, int] = {}
    group_labels: list[str] = []
    groups = []
    for entry in entries:
        theme = entry.application.theme
        key = theme.pk if theme else None
        if key not in group_keys:
            group_keys[key] = len(group_labels)
            group_labels.append(theme.name if theme else "—")
        groups.append(group_keys[key])
    return AssignmentProblem(
        affinity=affinity_matrix(entries, jurors),
        conflicts=np.array(conflicts, dtype=int).reshape(-1, 2),
        institutions=np.array(institutions, dtype=int),
        capacity_min=bounds[:, 0],
        capacity_max=bounds[:, 3],
        target_min=bounds[:, 1],
        target_max=bounds[:, 2],
        per_dossier=per_dossier,
        dossier_groups=np.array(groups, dtype=int),
        group_labels=group_labels,
        juror_labels=[j.full_name for j in jurors],
        dossier_labels=[e.application.reference for e in entries],
    )


def is_kept(assignment: Assignment) -> bool:
    """A solver never undoes people's work: hand-made assignments and started ones stay."""
    return assignment.source == AssignmentSource.MANUAL or hasattr(assignment, "evaluation")


def replace_solver_assignments(
    current: dict[tuple[int, int], Assignment],
    wanted: dict[tuple[int, int], float],
    *,
    by,
) -> tuple[int, int]:
    """Make the stored assignments match a solver's (application id, juror id) → affinity pairs:
    remove the solver's untouched assignments it no longer wants (`current` holds the existing
    ones, with their evaluation selected), create the missing ones, email each juror whose
    dossiers changed; returns (created, removed)."""
    stale = [a for key, a in current.items() if key not in wanted and not is_kept(a)]
    Assignment.objects.filter(pk__in=[a.pk for a in stale]).delete()
    new = [
        Assignment(
            juror_id=juror_id,
            application_id=application_id,
            source=AssignmentSource.SOLVER,
            affinity=affinity,
            created_by=by if getattr(by, "pk", None) else None,
        )
        for (application_id, juror_id), affinity in sorted(wanted.items())
        if (application_id, juror_id) not in current
    ]
    Assignment.objects.bulk_create(new)
    _notify(new, stale)
    return len(new), len(stale)


def assign_round(round_: Round, *, per_dossier: int, by=None) -> AssignmentOutcome:
    """Run the exact assignment for the round and store it (raises jury.assignment.Infeasible).

    Steps: remember the jurors per dossier on the round; detect conflicts again (a body added
    to a dossier since the last detection cannot slip through, and no assignment is left in
    conflict); solve with the kept assignments fixed; replace the solver's other assignments;
    log; email each juror whose dossiers changed (after commit, through the outbox).
    """
    from .conflicts import detect_conflicts_for_round

    if round_.jurors_per_dossier != per_dossier:
        round_.jurors_per_dossier = per_dossier
        round_.save(update_fields=["jurors_per_dossier"])
    detect_conflicts_for_round(round_)
    entries = round_entries(round_)
    jurors = round_jurors(round_)
    problem = build_problem(round_, entries, jurors, per_dossier)
    existing = list(Assignment.objects.filter(juror__round=round_).select_related("evaluation"))
    dossier_index = {e.application_id: i for i, e in enumerate(entries)}
    juror_index = {juror.pk: j for j, juror in enumerate(jurors)}

    fixed_rows = [
        (dossier_index[a.application_id], juror_index[a.juror_id])
        for a in existing
        if is_kept(a) and a.application_id in dossier_index and a.juror_id in juror_index
    ]
    fixed = np.array(fixed_rows, dtype=int).reshape(-1, 2) if fixed_rows else None
    result: AssignmentResult = solve_assignment(problem, fixed=fixed)

    wanted = {
        (entries[d].application_id, jurors[j].pk): float(problem.affinity[d, j])
        for d, j in result.pairs
    }
    current = {(a.application_id, a.juror_id): a for a in existing}
    with transaction.atomic():
        created, removed = replace_solver_assignments(current, wanted, by=by)
        outcome = AssignmentOutcome(
            created=created,
            removed=removed,
            kept=len(wanted) - created,
            objective=result.objective,
            optimal=result.optimal,
            dossiers=len(entries),
            jurors=len(jurors),
            departures=list(result.departures),
        )
        activity.record(
            round_.edition,
            "jury.assignment_run",
            by=by,
            subject=round_.slug,
            per_dossier=per_dossier,
            created=outcome.created,
            removed=outcome.removed,
            kept=outcome.kept,
            objective=round(outcome.objective, 6),
            departures=len(outcome.departures),
        )
    return outcome


def _notify(created: list[Assignment], removed: list[Assignment]) -> None:
    """Each juror whose dossiers changed, told once (see assignment_notices); two queries."""
    changed = [*created, *removed]
    if not changed:
        return
    jurors = Juror.objects.select_related("round__edition__contest").in_bulk(
        {a.juror_id for a in changed}
    )
    applications = Application.objects.in_bulk({a.application_id for a in changed})
    changes: dict[Juror, tuple[list, list]] = {}
    for side, assignments in enumerate((created, removed)):
        for assignment in assignments:
            juror = jurors[assignment.juror_id]
            changes.setdefault(juror, ([], []))[side].append(
                applications[assignment.application_id]
            )
    notify_assignment_changes(changes)


def set_loads(
    round_: Round, bounds: dict[Juror, tuple[int | None, int | None]], *, by
) -> list[Juror]:
    """Save the minimum and maximum loads organisers set for the round's jurors (None: the
    fair share); log the jurors changed. Returns them. The next run follows them."""
    changed = [
        juror
        for juror, (low, high) in bounds.items()
        if (juror.capacity_min, juror.capacity_max) != (low, high)
    ]
    with transaction.atomic():
        for juror in changed:
            juror.capacity_min, juror.capacity_max = bounds[juror]
            juror.save(update_fields=["capacity_min", "capacity_max"])
        if changed:
            activity.record(
                round_.edition,
                "jury.loads_set",
                by=by,
                subject=round_.slug,
                jurors={
                    str(juror.reference): [juror.capacity_min, juror.capacity_max]
                    for juror in changed
                },
            )
    return changed


class AssignmentRefused(Exception):
    """A hand-made assignment that breaks a rule; the message says which, in French."""


def add_assignment(round_: Round, juror: Juror, entry: RoundEntry, *, by) -> Assignment:
    """Assign a juror to a dossier by hand, under the same rules as the solver."""
    application = entry.application
    if juror.round_id != round_.pk or entry.round_id != round_.pk:
        raise AssignmentRefused(gettext("Ce juré ou ce dossier n'appartient pas à ce tour."))
    if juror.state != JurorState.ACCEPTED:
        raise AssignmentRefused(
            gettext("%(juror)s n'a pas encore accepté l'invitation.") % {"juror": juror.full_name}
        )
    if (
        Conflict.objects.effective()
        .filter(member_id=juror.member_id, application=application)
        .exists()
    ):
        raise AssignmentRefused(
            gettext("%(juror)s est en conflit d'intérêts avec le dossier %(reference)s.")
            % {"juror": juror.full_name, "reference": application.reference}
        )
    others = Juror.objects.filter(assignments__application=application, round=round_).exclude(
        pk=juror.pk
    )
    if any(other.institution_key == juror.institution_key for other in others):
        raise AssignmentRefused(
            gettext("Un autre juré de « %(institution)s » évalue déjà le dossier %(reference)s.")
            % {"institution": juror.institution_label, "reference": application.reference}
        )
    # Only a maximum the organisers set is strict (the fair share is a target).
    if juror.capacity_max is not None and juror.assignments.count() >= juror.capacity_max:
        raise AssignmentRefused(
            gettext("%(juror)s a déjà %(count)s dossiers, son maximum.")
            % {"juror": juror.full_name, "count": juror.capacity_max}
        )
    assignment, created = Assignment.objects.get_or_create(
        juror=juror,
        application=application,
        defaults={"source": AssignmentSource.MANUAL, "created_by": by},
    )
    if not created:
        raise AssignmentRefused(
            gettext("%(juror)s évalue déjà le dossier %(reference)s.")
            % {"juror": juror.full_name, "reference": application.reference}
        )
    activity.record(
        round_.edition,
        "jury.assignment_added",
        by=by,
        subject=application.reference,
        round=round_.slug,
        juror=str(juror.reference),
    )
    notify_assignment_changes({juror: ([application], [])})
    return assignment


def remove_assignment(assignment: Assignment, *, by) -> None:
    """Take a dossier away from a juror; a submitted evaluation is kept, so it cannot be."""
    evaluation = getattr(assignment, "evaluation", None)
    if evaluation is not None and evaluation.state == EvaluationState.SUBMITTED:
        raise AssignmentRefused(
            gettext(
                "%(juror)s a déjà envoyé son évaluation du dossier %(reference)s : "
                "l'affectation est conservée."
            )
            % {"juror": assignment.juror.full_name, "reference": assignment.application.reference}
        )
    round_ = assignment.juror.round
    reference = assignment.application.reference
    juror_reference = str(assignment.juror.reference)
    assignment.delete()
    notify_assignment_changes({assignment.juror: ([], [assignment.application])})
    activity.record(
        round_.edition,
        "jury.assignment_removed",
        by=by,
        subject=reference,
        round=round_.slug,
        juror=juror_reference,
        had_draft=evaluation is not None,
    )
