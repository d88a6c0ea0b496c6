"""Publishing: the one transaction, and publishing at a chosen moment."""

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from applications.domain import set_application_state
from applications.enums import ApplicationState
from contests import activity
from contests.models import Edition
from contests.phases import open_results
from jury.enums import RoundKind
from jury.models import Eligibility

from ..enums import DeliberationState, OrganisationMatch, OrganisationRole
from ..importing.importer import AWARD_SLUG_LENGTH
from ..models import Award, AwardOrganisation, Deliberation
from ..signals import palmares_changed
from ..validators import validate_award_grounds
from .outcomes import Outcome, PublicationRefused, blocking_reasons, dossier_outcomes


def award_slug(year: int, title: str, taken: set[str]) -> str:
    """The importer's scheme ("2028-carte-des-donnees"): cut at a word, unique in `taken`,
    which receives it."""
    base = f"{year}-{slugify(title)}".rstrip("-")
    if len(base) > AWARD_SLUG_LENGTH:
        base = base[: AWARD_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(slug)
    return slug


def _create_awards(edition: Edition, outcomes: list[Outcome]) -> list[Award]:
    taken = set(Award.objects.values_list("slug", flat=True))
    awards = []
    for outcome in outcomes:
        if outcome.state != ApplicationState.AWARDED:
            continue
        application = outcome.application
        distinctions = list(outcome.decision.distinctions.all())
        validate_award_grounds(outcome.decision.level, distinctions)
        award = Award.objects.create(
            edition=edition,
            level=outcome.decision.level,
            theme=application.theme,
            title=application.title,
            slug=award_slug(edition.year, application.title, taken),
            summary=application.summary,
            application=application,
        )
        award.distinctions.set(distinctions)
        # The lead first, then the partners in their order (a body listed twice counts once).
        organisations = list(
            dict.fromkeys(
                [application.lead_organisation]
                + [partner.organisation for partner in application.application_partners.all()]
            )
        )
        AwardOrganisation.objects.bulk_create(
            AwardOrganisation(
                award=award,
                organisation=organisation,
                role=OrganisationRole.LEAD if position == 0 else OrganisationRole.PARTNER,
                position=position,
                published_name=organisation.name,
                match=OrganisationMatch.DECLARED,
            )
            for position, organisation in enumerate(organisations)
        )
        awards.append(award)
    return awards


def _record_figures(deliberation: Deliberation, awards: list[Award]) -> None:
    """The edition's funnel, as the API and the statistics show it, from what the platform
    knows: dossiers presented, auditioned (when the deliberated round is the auditions'),
    labelled, gold (the best level)."""
    edition = deliberation.edition
    edition.applications_count = edition.applications.filter(
        state__in=ApplicationState.submitted_states()
    ).count()
    if deliberation.round.kind == RoundKind.AUDITION:
        edition.auditioned_count = deliberation.round.entries.count()
    edition.laureates_count = len(awards)
    best = edition.levels.order_by("rank").first()
    edition.gold_count = sum(1 for award in awards if best and award.level_id == best.pk)
    edition.save(
        update_fields=["applications_count", "auditioned_count", "laureates_count", "gold_count"]
    )


def _record_ineligibility(outcome: Outcome, *, by, at: datetime) -> None:
    """The eligibility decision of a dossier publication declares ineligible (never examined).

    Not jury.domain.eligibility.decide_eligibility: it refuses a dossier already in a round and
    emails the applicants at once, where here they learn it with their result.
    """
    Eligibility.objects.update_or_create(
        application=outcome.application,
        defaults={
            "eligible": False,
            "reason": outcome.closing.reason,
            "decided_by": outcome.closing.decided_by,
            "decided_at": at,
        },
    )


def publish(deliberation: Deliberation, *, by, at: datetime | None = None) -> list[Award]:
    """Publish the validated palmarès; returns the awards created.

    Effects, in one transaction (nothing is done if anything fails):
    1. guard: the deliberation is validated, not published, and no dossier with a level has left
       the competition (PublicationRefused otherwise); `at` (default now) is not in the future
       (use schedule_publication);
    2. one Award per decision with a level or a distinction, with its distinctions (theme,
       title, summary of the dossier; the lead then the partners as its organisations,
       identified as declared);
    3. every dossier still in competition concluded through set_application_state: awarded, not
       awarded, or eliminated (dossier_outcomes); one no round examined as the organisers
       decided (not awarded or ineligible), their reason on the transition — an ineligible one
       also gets its eligibility decision, so that the jury's pages agree;
    4. the results made public from `at` through the edition's phases
       (contests.phases.open_results, which logs each phase it changes) and the edition's
       funnel recorded;
    5. the deliberation published at `at` by `by`; activity entry `awards.published` (with the
       levels' and the distinctions' counts);
    6. `awards.signals.palmares_changed` sent for the edition and its new awards: the search
       index is refreshed (catalogue) and, after commit, the open-data files (opendata).
    After commit: `awards.tasks.send_results` queued (one email per applicant).
    """
    from ..tasks import send_results  # the tasks module imports this one

    now = timezone.now()
    at = at or now
    if at > now:
        raise PublicationRefused(
            gettext("Ce moment est à venir : programmez la publication plutôt.")
        )
    with transaction.atomic():
        deliberation = (
            Deliberation.objects.select_for_update()
            .select_related("edition__contest", "round")
            .get(pk=deliberation.pk)
        )
        blocking = blocking_reasons(deliberation)
        if blocking:
            raise PublicationRefused(blocking[0])
        edition = deliberation.edition
        outcomes = dossier_outcomes(deliberation)
        awards = _create_awards(edition, outcomes)
        reason = gettext("Publication du palmarès")
        for outcome in outcomes:
            closing = outcome.closing
            set_application_state(
                outcome.application,
                outcome.state,
                by=by,
                at=at,
                reason=closing.reason if closing else reason,
            )
            if outcome.state == ApplicationState.INELIGIBLE:
                _record_ineligibility(outcome, by=by, at=at)
        open_results(edition, at, by=by)
        _record_figures(deliberation, awards)
        deliberation.state = DeliberationState.PUBLISHED
        deliberation.published_at = at
        deliberation.published_by = by if getattr(by, "pk", None) else None
        deliberation.save(update_fields=["state", "published_at", "published_by"])
        states = Counter(outcome.state for outcome in outcomes)
        levels = Counter(award.level.code for award in awards if award.level)
        distinctions = Counter(
            distinction.code
            for outcome in outcomes
            if outcome.state == ApplicationState.AWARDED
            for distinction in outcome.decision.distinctions.all()
        )
        activity.record(
            edition,
            "awards.published",
            by=by,
            subject=f"{edition.contest.slug}/{edition.year}",
            published_at=at.isoformat(),
            awards=[award.slug for award in awards],
            levels=dict(sorted(levels.items())),
            **({"distinctions": dict(sorted(distinctions.items()))} if distinctions else {}),
            not_awarded=states[ApplicationState.NOT_AWARDED],
            eliminated=states[ApplicationState.ELIMINATED],
            ineligible=states[ApplicationState.INELIGIBLE],
            unexamined={
                outcome.application.reference: outcome.state
                for outcome in outcomes
                if outcome.closing is not None
            },
        )
        palmares_changed.send(
            sender=Award, editions=[edition], award_ids=[award.pk for award in awards]
        )
        transaction.on_commit(lambda pk=deliberation.pk: send_results.enqueue(pk))
    return awards


# -------------------------------------------------------------------------- scheduling


@transaction.atomic
def schedule_publication(deliberation: Deliberation, at: datetime, by) -> Deliberation:
    """Publish the validated palmarès at `at` (an aware datetime to come).

    Effects: guard (validated, not published, `at` in the future); `publish_at` and who
    scheduled it stored (the task publishes in their name); activity entry
    `awards.publication_scheduled`; after commit, `awards.tasks.publish_scheduled` queued to run
    at `at`. Scheduling again replaces the moment: the earlier task then finds a moment still to
    come and does nothing.
    """
    from ..tasks import publish_scheduled  # the tasks module imports this one

    deliberation = (
        Deliberation.objects.select_for_update()
        .select_related("edition__contest")
        .get(pk=deliberation.pk)
    )
    blocking = blocking_reasons(deliberation)
    if blocking:
        raise PublicationRefused(blocking[0])
    if timezone.is_naive(at) or at <= timezone.now():
        raise PublicationRefused(gettext("Choisissez un moment à venir."))
    deliberation.publish_at = at
    deliberation.publish_scheduled_by = by if getattr(by, "pk", None) else None
    deliberation.save(update_fields=["publish_at", "publish_scheduled_by"])
    edition = deliberation.edition
    activity.record(
        edition,
        "awards.publication_scheduled",
        by=by,
        subject=f"{edition.contest.slug}/{edition.year}",
        publish_at=at.isoformat(),
    )
    transaction.on_commit(
        lambda pk=deliberation.pk: publish_scheduled.using(run_after=at).enqueue(pk)
    )
    return deliberation


@transaction.atomic
def cancel_scheduled_publication(deliberation: Deliberation, *, by) -> Deliberation:
    """Cancel the publication scheduled for the deliberation.

    Effects: guard (validated, not published, a moment scheduled); `publish_at` and who
    scheduled it cleared; activity entry `awards.publication_cancelled` with the moment
    cancelled. The task already queued stays queued and, finding no moment, does nothing.
    """
    deliberation = (
        Deliberation.objects.select_for_update()
        .select_related("edition__contest")
        .get(pk=deliberation.pk)
    )
    if deliberation.state != DeliberationState.VALIDATED or deliberation.publish_at is None:
        raise PublicationRefused(gettext("Aucune publication n'est programmée."))
    cancelled = deliberation.publish_at
    deliberation.publish_at = None
    deliberation.publish_scheduled_by = None
    deliberation.save(update_fields=["publish_at", "publish_scheduled_by"])
    edition = deliberation.edition
    activity.record(
        edition,
        "awards.publication_cancelled",
        by=by,
        subject=f"{edition.contest.slug}/{edition.year}",
        publish_at=cancelled.isoformat(),
    )
    return deliberation


def publish_if_due(deliberation_id: int) -> list[Award] | None:
    """Publish a scheduled deliberation whose moment has come, in the name of who scheduled it;
    None when there is nothing to do (not validated any more, already published, cancelled or
    rescheduled later)."""
    deliberation = (
        Deliberation.objects.filter(pk=deliberation_id)
        .select_related("publish_scheduled_by")
        .first()
    )
    if (
        deliberation is None
        or deliberation.state != DeliberationState.VALIDATED
        or deliberation.publish_at is None
        or deliberation.publish_at > timezone.now()
    ):
        return None
    try:
        return publish(
            deliberation, by=deliberation.publish_scheduled_by, at=deliberation.publish_at
        )
    except PublicationRefused:
        return None  # published meanwhile by someone else, or a dossier left the competition
