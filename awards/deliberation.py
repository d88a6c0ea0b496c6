"""The deliberation of an edition: opened on a round, decisions staged from the board, changed
by the jury with a reason, validated (frozen) by the jury president. Everything is logged in
the activity log (`contests.activity.record`).

The board itself (scores, intervals, proposals, what-if) is computed in
`awards.deliberation_board`; this module holds the changes of state:

- `open_deliberation`: creates it on a round of the edition, then stages the decisions;
- `stage_decisions`: one Decision per dossier of the board, proposed level from the rules;
- `change_decision`: the jury sets another level (a reason is mandatory when it differs from
  the proposal);
- `set_distinctions`: the president or the organisers award distinctions, besides the level
  or alone;
- `validate`: the president freezes the palmarès; the log's fingerprint is kept for the minutes.

A deliberation that is not open (validated, published) refuses every change
(`DeliberationFrozen`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contests.activity import record
from contests.models import Distinction, Edition, Level
from jury.enums import RoundKind
from jury.models import Round

from . import level_rules
from .deliberation_board import (
    Board,
    BoardData,
    LevelChange,
    board,
    load_board_data,
    mark_changes,
    proposals,
    what_if,
)
from .enums import DeliberationState, ScoreMethod
from .models import Decision, Deliberation

__all__ = [
    "Board",
    "BoardData",
    "DeliberationError",
    "DeliberationFrozen",
    "LevelChange",
    "board",
    "change_decision",
    "default_round",
    "load_board_data",
    "mark_changes",
    "open_deliberation",
    "set_distinctions",
    "stage_decisions",
    "validate",
    "what_if",
]


class DeliberationError(Exception):
    """A refused change; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeliberationFrozen(DeliberationError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "La délibération a été validée par la présidence du jury : "
                "ses décisions ne peuvent plus changer."
            )
        )


def _code(level: Level | None) -> str:
    """How a level appears in the log ("" for no level)."""
    return level.code if level is not None else ""


def default_round(edition: Edition) -> Round | None:
    """The round a deliberation usually decides on: the auditions, else the national jury,
    else the edition's last round."""
    rounds = list(edition.rounds.order_by("-position", "-pk"))
    for kind in (RoundKind.AUDITION, RoundKind.NATIONAL):
        for round_ in rounds:
            if round_.kind == kind:
                return round_
    return rounds[0] if rounds else None


@transaction.atomic
def open_deliberation(
    edition: Edition,
    round_: Round,
    *,
    by,
    method: str = ScoreMethod.MEAN,
    normalised: bool = True,
    disagreement_threshold: Decimal = Decimal(1),
    send_reasons: bool = True,
) -> Deliberation:
    """Open the edition's deliberation on one of its rounds.

    Effects: guards (the round is the edition's; no deliberation yet); creates the
    Deliberation with the given settings (the model's defaults otherwise); logs
    "deliberation_opened"; stages the decisions (`stage_decisions`).
    """
    if round_.edition_id != edition.pk:
        raise DeliberationError(gettext("Ce tour n'appartient pas à cette édition."))
    try:
        with transaction.atomic():
            deliberation = Deliberation.objects.create(
                edition=edition,
                round=round_,
                method=method,
                normalised=normalised,
                disagreement_threshold=disagreement_threshold,
                send_reasons=send_reasons,
            )
    except IntegrityError:
        raise DeliberationError(
            gettext("La délibération de cette édition est déjà ouverte.")
        ) from None
    record(
        edition,
        "deliberation_opened",
        by=by,
        subject=round_.slug,
        method=method,
        normalised=normalised,
        disagreement_threshold=str(disagreement_threshold),
        send_reasons=send_reasons,
    )
    stage_decisions(deliberation, by=by)
    return deliberation


def _locked(deliberation: Deliberation) -> Deliberation:
    """The deliberation row, locked until the end of the transaction; refused unless open."""
    current = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if current.state != DeliberationState.OPEN:
        raise DeliberationFrozen
    deliberation.state = current.state
    return deliberation


@dataclass(frozen=True)
class Staging:
    """What `stage_decisions` did (references)."""

    created: list[str]
    updated: list[str]  # proposal, score or followed level changed
    removed: list[str]  # dossiers no longer in the round


@transaction.atomic
def stage_decisions(deliberation: Deliberation, *, by) -> Staging:
    """Write the board's proposals as decisions, one per dossier of the deliberated round.

    Effects: guard (open); for each dossier, the score used, its interval and the proposed
    level; the decided level follows the proposal, unless the jury changed it by hand (a
    decision whose level differed from its proposal keeps its level and reason); decisions of
    dossiers no longer on the board are deleted; logs "decisions_staged" with the proposals
    (reference → level code, "" for none).
    """
    _locked(deliberation)
    data = load_board_data(deliberation)
    staged = proposals(data)
    created, updated, to_create, to_update = [], [], [], []
    for entry in data.entries:
        measure, level = staged[entry.application_id]
        level_id = level.pk if level else None
        current = data.decisions.get(entry.application_id)
        decision = Decision(
            deliberation=deliberation, application_id=entry.application_id, level_id=level_id
        )
        if current is None:
            to_create.append(decision)
            created.append(entry.application.reference)
        else:
            decision.pk = current.pk
            # Changed by hand (to something else than its proposal): the jury's word stands.
            if current.level_id != current.proposed_level_id:
                decision.level_id = current.level_id
            before = (current.score, current.proposed_level_id, current.level_id)
            if before != (measure.score, level_id, decision.level_id):
                updated.append(entry.application.reference)
            to_update.append(decision)
        decision.score, decision.lower, decision.upper = measure.score, measure.lower, measure.upper
        decision.proposed_level_id = level_id
    _insert(to_create)
    Decision.objects.bulk_update(
        to_update, ["score", "lower", "upper", "proposed_level", "level"], batch_size=500
    )
    kept = {entry.application_id for entry in data.entries}
    stale = [d for d in data.decisions.values() if d.application_id not in kept]
    removed = sorted(
        Decision.objects.filter(pk__in=[d.pk for d in stale]).values_list(
            "application__reference", flat=True
        )
    )
    Decision.objects.filter(pk__in=[d.pk for d in stale]).delete()
    record(
        deliberation.edition,
        "decisions_staged",
        by=by,
        subject=deliberation.round.slug,
        proposals={
            entry.application.reference: _code(staged[entry.application_id][1])
            for entry in data.entries
        },
        created=len(created),
        updated=updated,
        removed=removed,
    )
    return Staging(created, updated, removed)


# SQLite: rows a statement at most, so that one statement stays small whatever the edition.
ROWS_PER_INSERT = 1000


def _insert(decisions: list[Decision]) -> None:
    """Insert new decisions. PostgreSQL: bulk_create, which sends one array per column
    (UNNEST), a quarter of the time of as many rows in VALUES. SQLite: as many rows per
    statement as it takes, written here: bulk_create compiles each field of each row on its
    own, half the time of opening a deliberation of 2,000 dossiers. Decisions have no save()
    logic and no signals; the database checks the constraints as it does for bulk_create."""
    if not decisions:
        return
    if connection.vendor == "postgresql":
        Decision.objects.bulk_create(decisions)
        return
    fields = [field for field in Decision._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = [
        [field.get_db_prep_save(field.pre_save(decision, True), connection) for field in fields]
        for decision in decisions
    ]
    size = min(connection.ops.bulk_batch_size(fields, decisions), ROWS_PER_INSERT)
    table = quote(Decision._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            marks = ", ".join([row_marks] * len(batch))
            # Names from the model's own meta, values as parameters: nothing typed reaches SQL.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks}",  # noqa: S608
                [value for row in batch for value in row],
            )


def reason_required_message(proposed: Level | None) -> str:
    proposed_label = proposed.name if proposed else gettext("aucun niveau")
    return gettext(
        "Le niveau choisi diffère du niveau proposé (%(proposed)s) : indiquez le motif de "
        "ce changement."
    ) % {"proposed": proposed_label}


@transaction.atomic
def change_decision(decision: Decision, level: Level | None, reason: str, *, by) -> Decision:
    """Set the level the jury decides for a dossier (None: not labelled).

    Effects: guards (deliberation open; the level is one of the edition's; a reason when the
    level differs from the proposal); saves level, reason, decided_by and decided_at; logs
    "decision_changed" with the old and new levels, the proposal, the reason and what the
    level goes beyond in the edition's rules (`level_rules`: never refused, the jury decides).
    """
    deliberation = _locked(decision.deliberation)
    if level is not None and level.edition_id != deliberation.edition_id:
        raise DeliberationError(gettext("Ce niveau n'est pas un niveau de cette édition."))
    reason = reason.strip()
    proposed_id = decision.proposed_level_id
    if (level.pk if level else None) != proposed_id and not reason:
        raise DeliberationError(reason_required_message(decision.proposed_level))
    old = decision.level
    decision.level = level
    decision.reason = reason
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.save(update_fields=["level", "reason", "decided_by", "decided_at"])
    beyond = level_rules.breaches(level_rules.decided_levels(deliberation))
    record(
        deliberation.edition,
        "decision_changed",
        by=by,
        subject=decision.application.reference,
        old=_code(old),
        new=_code(level),
        proposed=_code(decision.proposed_level),
        reason=reason,
        beyond_rules=[breach.kind for breach in beyond.get(decision.application_id, [])],
    )
    return decision


def _codes(distinctions) -> list[str]:
    return sorted(distinction.code for distinction in distinctions)


@transaction.atomic
def set_distinctions(decision: Decision, distinctions: list[Distinction], *, by) -> Decision:
    """Set the distinctions the jury awards a dossier, besides its level or alone (none: no
    distinction). No rule proposes them: the president or the organisers decide.

    Effects: guards (deliberation open; each distinction is one of the edition's); replaces the
    decision's distinctions, sets decided_by and decided_at; logs "decision_distinctions_changed"
    with the old and new codes. A dossier with a distinction and no level is labelled with the
    distinction alone at publication.
    """
    deliberation = _locked(decision.deliberation)
    if any(distinction.edition_id != deliberation.edition_id for distinction in distinctions):
        raise DeliberationError(
            gettext("Cette distinction n'est pas une distinction de cette édition.")
        )
    old = _codes(decision.distinctions.all())
    decision.distinctions.set(distinctions)
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.save(update_fields=["decided_by", "decided_at"])
    record(
        deliberation.edition,
        "decision_distinctions_changed",
        by=by,
        subject=decision.application.reference,
        old=old,
        new=_codes(distinctions),
    )
    return decision


@transaction.atomic
def validate(deliberation: Deliberation, *, by) -> Deliberation:
    """The jury president validates the palmarès, which freezes it.

    Effects: guards (open; every dossier of the board has a decision — otherwise the proposals
    must be staged again first); state validated, validated_by/at; logs
    "deliberation_validated" with every decision (reference → level code) and, if any, the
    distinctions (reference → codes, for dossiers that have some), THEN stores that
    entry's hash as `log_fingerprint`: the fingerprint printed on the minutes covers the
    validation itself and everything logged before it.
    """
    _locked(deliberation)
    data = load_board_data(deliberation)
    undecided = [
        entry.application.reference
        for entry in data.entries
        if entry.application_id not in data.decisions
    ]
    if undecided:
        raise DeliberationError(
            gettext(
                "Des dossiers n'ont pas encore de décision (%(references)s) : recalculez les "
                "propositions avant de valider."
            )
            % {"references": ", ".join(undecided)}
        )
    levels = {level.pk: level for level in data.levels}
    distinctions = {
        e.application.reference: codes
        for e in data.entries
        if (codes := _codes(data.decisions[e.application_id].distinction_list))
    }
    now = timezone.now()
    entry = record(
        deliberation.edition,
        "deliberation_validated",
        by=by,
        subject=deliberation.round.slug,
        decisions={
            e.application.reference: _code(levels.get(data.decisions[e.application_id].level_id))
            for e in data.entries
        },
        # Only when the jury awarded some: the log of an edition without any stays as it was.
        **({"distinctions": distinctions} if distinctions else {}),
    )
    deliberation.state = DeliberationState.VALIDATED
    deliberation.validated_by = by
    deliberation.validated_at = now
    deliberation.log_fingerprint = entry.entry_hash
    deliberation.save(update_fields=["state", "validated_by", "validated_at", "log_fingerprint"])
    return deliberation
