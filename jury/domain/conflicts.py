"""Conflicts of interest: detected from the referential, declared by jurors, decided by organisers.

A person of the jury is in conflict with a dossier when their institution is its lead or a
partner, or when their territories overlap: a commune and its EPCI, a body and the département or
région it lies in (both ways: the juror's institution inside a dossier body, or a dossier body
inside it), or two bodies with the same INSEE code. Each relation found becomes one `Conflict`
row per reason code, with a sentence naming both bodies.

A conflict is the person's (`JuryMember`) for the whole edition: found, declared or decided in
one round, it holds in all of them, and a dismissed one is never detected again (its row stays,
so detection finds it there). Whenever a conflict is effective (in force or confirmed), the
person cannot be assigned to the dossier in any round: any such assignment is removed, with its
evaluation (`_drop_assignments`), and the juror is told by email.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from applications.models import Application, ApplicationPartner
from contests.activity import record
from territories.enums import OrganisationKind
from territories.models import Organisation

from ..enums import ConflictReason, ConflictSource, ConflictStatus, JurorState
from ..models import Assignment, Conflict, Juror, Round, RoundEntry
from ..rules import forget_access
from .assignment_notices import notify_assignment_changes

# Jurors whose conflicts are detected: those who may still judge.
DETECTED_STATES = (JurorState.INVITED, JurorState.ACCEPTED)
# Which reason a container at each level gives.
_LEVEL_REASON = {
    "epci": ConflictReason.COMMUNE_EPCI,
    "departement": ConflictReason.WITHIN_DEPARTEMENT,
    "region": ConflictReason.WITHIN_REGION,
}
# The order reasons are looked for (the first sentence found for a code is kept).
_ROLES = ("lead", "partner")


class ConflictRefused(Exception):
    """A declaration or a decision that cannot be made; the message is for the user."""


@dataclass(frozen=True)
class Body:
    """An organisation as detection needs it: its identity and the bodies it lies in."""

    id: int
    name: str
    kind: str
    insee_code: str | None
    # {container id: level} for the EPCI, département and région the body lies in.
    containers: dict[int, str]


def _bodies(ids: Iterable[int]) -> dict[int, Body]:
    """The organisations by id, with their containers, in one query."""
    rows = Organisation.objects.filter(pk__in=set(ids)).values(
        "pk", "name", "kind", "insee_code", "epci_id", "departement_id", "region_id",
        "departement__region_id",
    )  # fmt: skip
    bodies = {}
    for row in rows:
        kind = row["kind"]
        containers: dict[int, str] = {}
        if kind == OrganisationKind.COMMUNE and row["epci_id"]:
            containers[row["epci_id"]] = "epci"
        below_departement = kind not in (OrganisationKind.DEPARTEMENT, OrganisationKind.REGION)
        if below_departement and row["departement_id"]:
            containers[row["departement_id"]] = "departement"
        if kind != OrganisationKind.REGION:
            region_id = row["region_id"] or row["departement__region_id"]
            if region_id:
                containers[region_id] = "region"
        bodies[row["pk"]] = Body(row["pk"], row["name"], kind, row["insee_code"], containers)
    return bodies


def _elided(name: str) -> bool:
    return name[:1].upper() in "AEIOUYÉÈÊÎÔÂH"


def describe(body: Body) -> str:
    """How a sentence names a body: "la commune de Toulouse", "Rennes Métropole (EPCI)"."""
    if body.kind == OrganisationKind.COMMUNE:
        if _elided(body.name):
            return gettext("la commune d’%(name)s") % {"name": body.name}
        return gettext("la commune de %(name)s") % {"name": body.name}
    if body.kind in OrganisationKind.epci_kinds():
        return gettext("%(name)s (EPCI)") % {"name": body.name}
    if body.kind == OrganisationKind.DEPARTEMENT:
        return gettext("%(name)s (département)") % {"name": body.name}
    if body.kind == OrganisationKind.REGION:
        return gettext("%(name)s (région)") % {"name": body.name}
    return body.name


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _role(role: str) -> str:
    return gettext("porteuse") if role == "lead" else gettext("co-porteuse")


def relation(institution: Body, body: Body, role: str) -> tuple[str, str] | None:
    """(reason code, sentence) when a juror's institution and a dossier body overlap, else None.

    `role` is "lead" or "partner": what the body is to the dossier.
    """
    words = {
        "juror": describe(institution),
        "body": describe(body),
        "role": _role(role),
    }
    if institution.id == body.id:
        if role == "lead":
            text = gettext("%(juror)s, institution du juré, porte le dossier.")
            return ConflictReason.LEAD, _sentence(text % words)
        text = gettext("%(juror)s, institution du juré, est co-porteuse du dossier.")
        return ConflictReason.PARTNER, _sentence(text % words)
    level = body.containers.get(institution.id)
    if level is not None:
        # The juror's institution contains the dossier body.
        verb = (
            gettext("%(juror)s regroupe %(body)s, %(role)s du dossier.")
            if level == "epci"
            else gettext("%(juror)s englobe %(body)s, %(role)s du dossier.")
        )
        return _LEVEL_REASON[level], _sentence(verb % words)
    level = institution.containers.get(body.id)
    if level is not None:
        text = gettext(
            "%(juror)s, institution du juré, fait partie de %(body)s, %(role)s du dossier."
        )
        return _LEVEL_REASON[level], _sentence(text % words)
    if institution.insee_code and institution.insee_code == body.insee_code:
        text = gettext(
            "%(juror)s, institution du juré, et %(body)s, %(role)s du dossier, "
            "couvrent le même territoire."
        )
        return ConflictReason.SAME_TERRITORY, _sentence(text % words)
    return None


def _drop_assignments(
    pairs: set[tuple[int, int]], *, edition, by: User | None, notify: bool = True
) -> int:
    """Remove the assignments, in every round, of (member id, application id) pairs now in
    conflict, with their evaluations; log each; tell each juror concerned by email unless
    `notify` is false (they declared it themselves); return how many were removed."""
    if not pairs:
        return 0
    member_ids = {member_id for member_id, _ in pairs}
    application_ids = {application_id for _, application_id in pairs}
    doomed = [
        assignment
        for assignment in Assignment.objects.filter(
            juror__member_id__in=member_ids, application_id__in=application_ids
        ).select_related(
            "juror__user", "juror__round__edition__contest", "application", "evaluation"
        )
        if (assignment.juror.member_id, assignment.application_id) in pairs
    ]
    removed: dict[Juror, list] = {}
    for assignment in doomed:
        evaluation = getattr(assignment, "evaluation", None)
        record(
            edition,
            "assignment_removed_for_conflict",
            by=by,
            subject=assignment.application.reference,
            juror=str(assignment.juror.reference),
            evaluation=evaluation.state if evaluation is not None else None,
        )
        if assignment.juror.user is not None:
            forget_access(assignment.juror.user)
        removed.setdefault(assignment.juror, []).append(assignment.application)
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in doomed]).delete()
    if notify:
        notify_assignment_changes({juror: ([], dropped) for juror, dropped in removed.items()})
    return len(doomed)


def _assigned_in_conflict(round_: Round) -> set[tuple[int, int]]:
    """(member id, application id) of the round's assignments whose person has an effective
    conflict with the dossier (found in another round, or left by an older version)."""
    return set(
        Assignment.objects.filter(
            juror__round=round_,
            juror__member__conflicts__application=F("application"),
            juror__member__conflicts__status__in=ConflictStatus.effective(),
        ).values_list("juror__member_id", "application_id")
    )


def detect_conflicts(
    round_: Round,
    *,
    jurors: Iterable[Juror] | None = None,
    applications: Iterable[Application] | None = None,
    by: User | None = None,
) -> list[Conflict]:
    """Create the detected conflicts of a round (or of some of its jurors / dossiers).

    Steps: read the invited and accepted jurors with an institution, the round's dossiers with
    their lead and partners, and the organisations involved (a handful of queries whatever the
    size); compare every pair in memory; create the person's rows not there yet — whatever
    their status and the round they were found in, so a dismissed conflict is never recreated;
    drop the assignments of the new pairs in every round (a detected conflict is in force at
    once); log one entry for the run. Returns the conflicts created.
    """
    juror_rows = Juror.objects.filter(
        round=round_, state__in=DETECTED_STATES, institution__isnull=False
    )
    if jurors is not None:
        juror_rows = juror_rows.filter(pk__in=[juror.pk for juror in jurors])
    # Keyed by the person: a conflict is the member's, whatever the round.
    juror_institutions = dict(juror_rows.values_list("member_id", "institution_id"))
    entry_rows = RoundEntry.objects.filter(round=round_)
    if applications is not None:
        entry_rows = entry_rows.filter(application__in=[a.pk for a in applications])
    dossier_bodies: dict[int, list[tuple[int, str]]] = {
        application_id: [(lead_id, "lead")]
        for application_id, lead_id in entry_rows.values_list(
            "application_id", "application__lead_organisation_id"
        )
    }
    if not juror_institutions or not dossier_bodies:
        return []
    for application_id, organisation_id in ApplicationPartner.objects.filter(
        application_id__in=dossier_bodies
    ).values_list("application_id", "organisation_id"):
        dossier_bodies[application_id].append((organisation_id, "partner"))
    bodies = _bodies(
        {*juror_institutions.values()}
        | {organisation_id for pairs in dossier_bodies.values() for organisation_id, _ in pairs}
    )
    existing = set(
        Conflict.objects.filter(
            member_id__in=juror_institutions, application_id__in=dossier_bodies
        ).values_list("member_id", "application_id", "reason_code")
    )
    found: dict[tuple[int, int, str], str] = {}
    for member_id, institution_id in juror_institutions.items():
        institution = bodies[institution_id]
        for application_id, dossier in dossier_bodies.items():
            for organisation_id, role in dossier:
                match = relation(institution, bodies[organisation_id], role)
                if match is None:
                    continue
                key = (member_id, application_id, str(match[0]))
                if key not in existing and key not in found:
                    found[key] = match[1]
    if not found:
        return []
    with transaction.atomic():
        created = Conflict.objects.bulk_create(
            [
                Conflict(
                    member_id=member_id,
                    application_id=application_id,
                    round=round_,
                    source=ConflictSource.DETECTED,
                    reason_code=code,
                    reason=reason,
                    status=ConflictStatus.IN_FORCE,
                )
                for (member_id, application_id, code), reason in found.items()
            ],
            # Two detections at once (an acceptance while entries are added) must not fail.
            ignore_conflicts=True,
        )
        pairs = {(member_id, application_id) for member_id, application_id, _ in found}
        removed = _drop_assignments(pairs, edition=round_.edition, by=by)
        record(
            round_.edition,
            "conflicts_detected",
            by=by,
            subject=round_.slug,
            count=len(found),
            assignments_removed=removed,
        )
    return created


def detect_conflicts_for_round(round_: Round, *, by: User | None = None) -> list[Conflict]:
    """All the round's jurors against all its dossiers (after entries are added, before
    assignment); then no assignment of the round is left in conflict, wherever the conflict
    was found."""
    created = detect_conflicts(round_, by=by)
    _drop_assignments(_assigned_in_conflict(round_), edition=round_.edition, by=by)
    return created


def declare_conflict(juror: Juror, application: Application, reason: str, *, by: User) -> int:
    """A juror declares a conflict with a dossier of their round (in force at once, in every
    round of the edition).

    Steps: guard (a reason; the dossier is in the round; not already declared), create the
    person's row, drop their assignments to the dossier in every round with the evaluations,
    log, forget the user's cached access. Returns the number of assignments removed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ConflictRefused(gettext("Indiquez la raison du conflit d'intérêts."))
    if not RoundEntry.objects.filter(round=juror.round_id, application=application).exists():
        raise ConflictRefused(gettext("Ce dossier ne fait pas partie de ce tour."))
    with transaction.atomic():
        _conflict, created = Conflict.objects.get_or_create(
            member_id=juror.member_id,
            application=application,
            reason_code=ConflictReason.DECLARED,
            defaults={"source": ConflictSource.DECLARED, "reason": reason, "round": juror.round},
        )
        if not created:
            raise ConflictRefused(gettext("Vous avez déjà déclaré un conflit avec ce dossier."))
        edition = juror.round.edition
        removed = _drop_assignments(
            {(juror.member_id, application.pk)}, edition=edition, by=by, notify=False
        )
        record(
            edition,
            "conflict_declared",
            by=by,
            subject=application.reference,
            juror=str(juror.reference),
            reason=reason,
            assignments_removed=removed,
        )
    forget_access(by)
    return removed


def decide_conflict(conflict: Conflict, status: str, reason: str, *, by: User) -> int:
    """An organiser confirms or dismisses a conflict (detected or declared), with a reason; the
    decision holds in every round of the edition.

    Steps: guard (a reason; confirmed or dismissed), save the decision, drop the person's
    assignments to the dossier in every round, with their evaluations, when the conflict is
    (again) effective, log. Returns the number of assignments removed.
    """
    reason = (reason or "").strip()
    if status not in (ConflictStatus.CONFIRMED, ConflictStatus.DISMISSED):
        raise ConflictRefused(gettext("Choisissez de confirmer ou d'écarter le conflit."))
    if not reason:
        raise ConflictRefused(gettext("Indiquez la raison de votre décision."))
    edition = conflict.member.edition
    with transaction.atomic():
        previous = conflict.status
        conflict.status = status
        conflict.decision_reason = reason
        conflict.decided_by = by
        conflict.decided_at = timezone.now()
        conflict.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        removed = 0
        if status in ConflictStatus.effective():
            removed = _drop_assignments(
                {(conflict.member_id, conflict.application_id)}, edition=edition, by=by
            )
        record(
            edition,
            "conflict_confirmed" if status == ConflictStatus.CONFIRMED else "conflict_dismissed",
            by=by,
            subject=conflict.application.reference,
            juror=str(conflict.member.reference),
            reason_code=conflict.reason_code,
            previous=previous,
            reason=reason,
            assignments_removed=removed,
        )
    return removed
