"""Rounds of an edition: saving them, filling them with dossiers, promoting to the next round.

A round is regional (the dossiers whose lead organisation lies in its régions) or national (all
eligible dossiers, or, when regional rounds feed it, only the dossiers they promoted).
Promotions are staged first (by the round's rule, then reviewed by hand), and applied in one
transaction that adds the dossiers to the next round. Every change goes to the activity log.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from applications.domain.workflow import set_application_state
from applications.enums import ApplicationState
from applications.models import Application
from contests import activity
from territories.domain import region_of
from territories.models import Organisation

from ..enums import PromotionRule, PromotionState, RoundKind
from ..models import Promotion, Round, RoundEntry
from .progress import EvaluationProgress, evaluation_progress


class RoundRefused(Exception):
    """A refused operation on a round; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------ saving


def round_summary(round_: Round) -> dict[str, object]:
    """What the log records of a round's settings (public codes only)."""
    return {
        "name": round_.name,
        "kind": round_.kind,
        "regions": sorted(region.insee_code for region in round_.regions.all()),
        "event": round_.event.slug if round_.event_id else None,
        "criteria": sorted(criterion.name for criterion in round_.criteria.all()),
        "promotion_rule": round_.promotion_rule,
        "promotion_count": round_.promotion_count,
        "promotion_threshold": round_.promotion_threshold,
        "next_round": round_.next_round.slug if round_.next_round_id else None,
        "ends_on": round_.ends_on.isoformat() if round_.ends_on else None,
    }


@transaction.atomic
def save_round(round_: Round, *, regions: Iterable[Organisation], criteria: Iterable, by) -> Round:
    """Create or update a round (already validated by RoundForm) with its régions and criteria.

    Effects: save, set the two lists (a national round has no régions), then one activity entry
    `jury.round_created` or `jury.round_updated` with the settings before and after.
    """
    created = round_.pk is None
    before = None if created else round_summary(Round.objects.get(pk=round_.pk))
    round_.save()
    round_.regions.set(list(regions) if round_.kind == RoundKind.REGIONAL else [])
    round_.criteria.set(list(criteria))
    after = round_summary(round_)
    activity.record(
        round_.edition,
        "jury.round_created" if created else "jury.round_updated",
        by=by,
        subject=round_.slug,
        **({"settings": after} if created else {"before": before, "after": after}),
    )
    return round_


# ----------------------------------------------------------------------------- filling


def eligible_applications(round_: Round) -> QuerySet[Application]:
    """The edition's dossiers declared eligible and still submitted."""
    return Application.objects.filter(
        edition=round_.edition,
        state=ApplicationState.SUBMITTED,
        eligibility__eligible=True,
    )


def fill_round(round_: Round, *, by) -> list[str]:
    """Add to the round the dossiers it should hold and does not yet; returns their references.

    - regional round: eligible dossiers whose lead organisation's région (territories.domain.
      region_of) is one of the round's régions;
    - national round fed by other rounds (it is their next round): eligible dossiers those rounds
      promoted (promotions applied);
    - national round with no previous round: every eligible dossier.
    Idempotent (dossiers already there are left alone, none is removed); one activity entry when
    something was added.
    """
    candidates = eligible_applications(round_).select_related(
        "lead_organisation__region", "lead_organisation__departement__region"
    )
    if round_.kind == RoundKind.REGIONAL:
        regions = {region.pk for region in round_.regions.all()}
        wanted = [
            application
            for application in candidates
            if (region := region_of(application.lead_organisation)) is not None
            and region.pk in regions
        ]
    elif round_.previous_rounds.exists():
        wanted = list(
            candidates.filter(
                promotions__round__next_round=round_,
                promotions__state=PromotionState.APPLIED,
            ).distinct()
        )
    else:
        wanted = list(candidates)
    present = set(round_.entries.values_list("application_id", flat=True))
    new = sorted(
        (application for application in wanted if application.pk not in present),
        key=lambda application: application.reference,
    )
    if not new:
        return []
    with transaction.atomic():
        RoundEntry.objects.bulk_create(
            [RoundEntry(round=round_, application=application) for application in new]
        )
        references = [application.reference for application in new]
        activity.record(
            round_.edition,
            "jury.round_filled",
            by=by,
            subject=round_.slug,
            added=references,
            total=len(present) + len(new),
        )
    return references


# -------------------------------------------------------------------------- promotions


@dataclass
class Proposal:
    """What a round's rule proposes: the references to stage, and those tied at a cutoff."""

    references: list[str] = field(default_factory=list)
    # Top N: dossiers sharing the cutoff score when that makes more than N in their theme.
    tied: list[str] = field(default_factory=list)
    # The evaluations the ranking rests on (set by stage_promotions): incomplete is warned.
    progress: EvaluationProgress | None = None


def _ranked_entries(round_: Round) -> list[RoundEntry]:
    """Entries the rules may promote: scored and not eliminated, best score first, then by
    reference so that the order (and everything derived from it) is deterministic."""
    entries = (
        round_.entries.not_eliminated()
        .filter(score__isnull=False)
        .select_related("application__theme")
        .order_by("-score", "application__reference")
    )
    return list(entries)


def top_n_per_theme(entries: Iterable[RoundEntry], count: int) -> Proposal:
    """The `count` best-scored entries of each theme.

    Ties: when several entries share the score of the last place (the cutoff), all of them are
    proposed — so a theme may get more than `count` — and they are flagged in `tied`, for the
    organisers to remove some by hand if they must. Nobody is dropped by an arbitrary order.
    Entries without a theme form one group of their own.
    """
    by_theme: dict[int | None, list[RoundEntry]] = defaultdict(list)
    for entry in entries:
        by_theme[entry.application.theme_id].append(entry)
    proposal = Proposal()
    for group in by_theme.values():
        group.sort(key=lambda entry: (-entry.score, entry.application.reference))
        if len(group) <= count:
            proposal.references += [entry.application.reference for entry in group]
            continue
        cutoff = group[count - 1].score
        chosen = [entry for entry in group if entry.score >= cutoff]
        proposal.references += [entry.application.reference for entry in chosen]
        if len(chosen) > count:
            proposal.tied += [
                entry.application.reference for entry in chosen if entry.score == cutoff
            ]
    proposal.references.sort()
    proposal.tied.sort()
    return proposal


def above_threshold(entries: Iterable[RoundEntry], threshold: Decimal) -> Proposal:
    """Every entry whose score is at least the threshold."""
    return Proposal(
        sorted(entry.application.reference for entry in entries if entry.score >= threshold)
    )


def _check_next_round(round_: Round) -> None:
    if round_.next_round_id is None:
        raise RoundRefused(
            gettext(
                "Le tour « %(round)s » n'a pas de tour suivant : choisissez-le dans les "
                "paramètres du tour avant de proposer des promotions."
            )
            % {"round": round_.name}
        )


def propose(round_: Round) -> Proposal:
    """What the round's rule proposes now (nothing for the manual rule)."""
    rule = round_.promotion_rule
    if rule == PromotionRule.TOP_N:
        if not round_.promotion_count:
            raise RoundRefused(
                gettext(
                    "La règle « les N premiers de chaque thème » demande un nombre de dossiers "
                    "par thème : indiquez-le dans les paramètres du tour."
                )
            )
        return top_n_per_theme(_ranked_entries(round_), round_.promotion_count)
    if rule == PromotionRule.THRESHOLD:
        if round_.promotion_threshold is None:
            raise RoundRefused(
                gettext(
                    "La règle « note minimale » demande une note : indiquez-la dans les "
                    "paramètres du tour."
                )
            )
        return above_threshold(_ranked_entries(round_), round_.promotion_threshold)
    return Proposal()


@transaction.atomic
def stage_promotions(round_: Round, *, by) -> Proposal:
    """Stage the promotions the round's rule proposes, replacing the staged (not applied) ones.

    Effects: guards (a next round; the rule's number); the staged promotions not proposed are
    deleted, the proposed ones not yet staged or applied are created; one activity entry
    `jury.promotions_staged` listing added, removed and tied references. With the manual rule
    nothing is staged automatically (organisers tick dossiers with `stage_promotion`), and the
    staged ones are kept. The proposal carries the round's evaluation progress: a ranking on
    incomplete evaluations is allowed, and warned.
    """
    _check_next_round(round_)
    proposal = propose(round_)
    proposal.progress = evaluation_progress(round_)
    if round_.promotion_rule == PromotionRule.MANUAL:
        return proposal
    existing = {
        promotion.application.reference: promotion
        for promotion in round_.promotions.select_related("application")
    }
    removed = sorted(
        reference
        for reference, promotion in existing.items()
        if promotion.state == PromotionState.STAGED and reference not in proposal.references
    )
    Promotion.objects.filter(
        round=round_, state=PromotionState.STAGED, application__reference__in=removed
    ).delete()
    added = [reference for reference in proposal.references if reference not in existing]
    applications = Application.objects.filter(edition=round_.edition, reference__in=added)
    Promotion.objects.bulk_create(
        [
            Promotion(round=round_, application=application, staged_by=by)
            for application in applications
        ]
    )
    activity.record(
        round_.edition,
        "jury.promotions_staged",
        by=by,
        subject=round_.slug,
        rule=round_.promotion_rule,
        added=added,
        removed=removed,
        tied=proposal.tied,
    )
    return proposal


def _entry(round_: Round, reference: str) -> RoundEntry:
    entry = (
        round_.entries.filter(application__reference=reference)
        .select_related("application")
        .first()
    )
    if entry is None:
        raise RoundRefused(
            gettext("Le dossier %(reference)s ne figure pas dans ce tour.")
            % {"reference": reference}
        )
    return entry


@transaction.atomic
def stage_promotion(round_: Round, reference: str, *, by) -> Promotion:
    """Stage one dossier of the round by hand (review, or the manual rule); logged."""
    _check_next_round(round_)
    entry = _entry(round_, reference)
    promotion, created = Promotion.objects.get_or_create(
        round=round_, application=entry.application, defaults={"staged_by": by}
    )
    if not created:
        raise RoundRefused(
            gettext("Le dossier %(reference)s est déjà proposé pour le tour suivant.")
            % {"reference": reference}
        )
    activity.record(
        round_.edition,
        "jury.promotion_added",
        by=by,
        subject=reference,
        round=round_.slug,
        score=entry.score,
        eliminated=entry.eliminated,
    )
    return promotion


@transaction.atomic
def unstage_promotion(round_: Round, reference: str, *, by) -> None:
    """Withdraw a staged promotion by hand; an applied one stays (the dossier is already in the
    next round). Logged."""
    promotion = round_.promotions.filter(application__reference=reference).first()
    if promotion is None or promotion.state != PromotionState.STAGED:
        raise RoundRefused(
            gettext("Le dossier %(reference)s n'est pas proposé (ou sa promotion est appliquée).")
            % {"reference": reference}
        )
    promotion.delete()
    activity.record(
        round_.edition,
        "jury.promotion_removed",
        by=by,
        subject=reference,
        round=round_.slug,
    )


@transaction.atomic
def apply_promotions(round_: Round, *, by) -> list[str]:
    """Apply every staged promotion in one transaction; returns the references promoted.

    Effects: guards (a next round, at least one staged promotion); each staged dossier gets an
    entry in the next round (kept if already there) and its promotion is marked applied; a dossier
    promoted to an audition round is shortlisted (state « retenu pour l'audition »); one activity
    entry `jury.promotions_applied` listing them. If anything fails, nothing is applied.
    """
    _check_next_round(round_)
    staged = list(
        round_.promotions.select_for_update()
        .filter(state=PromotionState.STAGED)
        .select_related("application")
        .order_by("application__reference")
    )
    if not staged:
        raise RoundRefused(gettext("Aucune promotion n'est proposée : rien à appliquer."))
    next_round = round_.next_round
    present = set(next_round.entries.values_list("application_id", flat=True))
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=next_round, application=promotion.application)
            for promotion in staged
            if promotion.application_id not in present
        ]
    )
    now = timezone.now()
    Promotion.objects.filter(pk__in=[promotion.pk for promotion in staged]).update(
        state=PromotionState.APPLIED, applied_at=now
    )
    if next_round.kind == RoundKind.AUDITION:
        for promotion in staged:
            if promotion.application.state == ApplicationState.SUBMITTED:
                set_application_state(
                    promotion.application,
                    ApplicationState.SHORTLISTED,
                    by=by,
                    reason=gettext("Retenu pour l'audition (%(round)s).") % {"round": round_.name},
                )
    references = [promotion.application.reference for promotion in staged]
    activity.record(
        round_.edition,
        "jury.promotions_applied",
        by=by,
        subject=round_.slug,
        next_round=next_round.slug,
        promoted=references,
    )
    return references
