"""Business logic of contests and editions: phases, capabilities, creating and copying editions.

Every change of an edition's configuration made outside a plain form save goes through one of the
functions below; views call them, models stay thin. Phases change through contests.phases, which
logs every change; what the public may see is `Edition.objects.public` (contests.models).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind

from . import defaults
from .distinctions import copy_distinctions, take_contest_distinctions
from .enums import CAPABILITY_FLAGS, PHASE_DEFAULT_CAPABILITIES, EventKind, PhaseKind
from .models import Contest, Criterion, Edition, Event, Level, Phase, Theme
from .signals import elimination_rule_changed

# `by` is the acting organiser, recorded in the activity log (the "activity" logger, as in the
# other apps, until a stored audit trail exists).
activity = logging.getLogger("activity")


def _log(what: str, edition: Edition, by, **details: object) -> None:
    activity.info(what, extra={"edition": edition.pk, "by": getattr(by, "pk", None), **details})


def current_phase(edition: Edition, at: datetime | None = None) -> Phase | None:
    """The phase the edition is in at `at` (default: now), or None before its first phase.

    Phases are contiguous: a phase starts at its `starts_at` and ends when the next one starts.
    Reads `edition.phases.all()`, so a prefetch of the phases costs no extra query.
    """
    at = at or timezone.now()
    started = [phase for phase in edition.phases.all() if phase.starts_at <= at]
    return max(started, key=lambda phase: phase.starts_at, default=None)


def edition_allows(edition: Edition, capability: str, at: datetime | None = None) -> bool:
    """Whether the edition's current phase grants `capability` (one of CAPABILITY_FLAGS)."""
    if capability not in CAPABILITY_FLAGS:
        raise ValueError(f"Unknown capability {capability!r}; expected one of {CAPABILITY_FLAGS}.")
    phase = current_phase(edition, at)
    return bool(phase and getattr(phase, capability))


def results_are_public(edition: Edition, at: datetime | None = None) -> bool:
    """Whether anyone may see the edition's results at `at` (default now).

    One query on `Edition.objects.public`, the one statement of the embargo rule, rather than a
    Python twin of it that could drift.
    """
    return Edition.objects.public(at).filter(pk=edition.pk).exists()


def accepted_lead_kinds(contest: Contest) -> list[OrganisationKind]:
    """The natures of structure the contest accepts as lead, in the enum's order; empty: any.

    Unknown values (a nature removed from the enum since) are ignored rather than failing.
    """
    wanted = set(contest.lead_kinds or [])
    return [kind for kind in OrganisationKind if kind.value in wanted]


def default_phase_start(kind: PhaseKind, year: int) -> datetime:
    """The default start of a phase of the `year` edition, at 09:00 Paris time."""
    start = defaults.PHASE_STARTS[kind]
    return datetime(
        year + start.year_offset,
        start.month,
        start.day,
        defaults.PHASE_START_HOUR,
        tzinfo=timezone.get_default_timezone(),
    )


def shift_years(moment: datetime, years: int) -> datetime:
    """The same local date and time `years` later; 29 February becomes 28 February.

    Shifting in local time keeps 09:00 at 09:00 across daylight-saving changes.
    """
    local = timezone.localtime(moment, timezone.get_default_timezone())
    try:
        return local.replace(year=local.year + years)
    except ValueError:
        return local.replace(year=local.year + years, day=28)


def edition_year_taken(contest: Contest, year: int) -> ValidationError:
    return ValidationError(
        _("L'édition %(year)s du concours « %(contest)s » existe déjà."),
        code="year_taken",
        params={"year": year, "contest": contest.name},
    )


def ensure_year_free(contest: Contest, year: int, *, edition: Edition | None = None) -> None:
    """Raise a French ValidationError if another edition of `contest` has `year`."""
    others = Edition.objects.filter(contest=contest, year=year)
    if edition is not None and edition.pk:
        others = others.exclude(pk=edition.pk)
    if others.exists():
        raise edition_year_taken(contest, year)


def _unpublished(flags: dict[str, bool]) -> dict[str, bool]:
    """A new edition's phase flags: no phase allows applying until the organisers open the call
    from its checklist (contests.call.open_call)."""
    return {**flags, "may_apply": False}


def default_phase_kinds(contest: Contest) -> list[PhaseKind]:
    """The phases a new edition of `contest` starts with, in lifecycle order: all of them, less
    the regional selection and the auditions where the contest has none. Phases are contiguous,
    so the phase before one left out simply lasts until the next (applications closed until the
    jury scores, the jury's scoring until deliberation): nothing else needs them."""
    unused = {
        PhaseKind.REGIONAL_SELECTION: not contest.uses_regional_rounds,
        PhaseKind.AUDITIONS: not contest.uses_auditions,
    }
    return [kind for kind in PhaseKind if not unused.get(kind, False)]


def _add_default_phases(edition: Edition) -> None:
    Phase.objects.bulk_create(
        Phase(
            edition=edition,
            kind=kind,
            starts_at=default_phase_start(kind, edition.year),
            **_unpublished(PHASE_DEFAULT_CAPABILITIES[kind]),
        )
        for kind in default_phase_kinds(edition.contest)
    )


@transaction.atomic
def create_edition(
    contest: Contest,
    year: int,
    *,
    by,
    forum: Event | None = None,
    with_defaults: bool = True,
) -> Edition:
    """Create the `year` edition of `contest`.

    Effects, in one transaction:
    1. guard: refuse (French ValidationError) if the contest already has an edition that year;
    2. create the edition, linked to `forum` if given;
    3. with defaults: add the contest's default levels (with their rules), criteria and
       distinctions (ContestLevel, ContestCriterion, ContestDistinction: what its organisers
       set on the contest's pages), and
       the phases of `default_phase_kinds` (ten, fewer for a contest without regional rounds
       or auditions) dated by `defaults.PHASE_STARTS` with the capability flags of
       `PHASE_DEFAULT_CAPABILITIES`, except `may_apply`: the call stays unpublished until the
       organisers open it (contests.call.open_call).
    """
    ensure_year_free(contest, year)
    edition = Edition.objects.create(contest=contest, year=year, forum=forum)
    _log("edition created", edition, by)
    if not with_defaults:
        return edition
    _copy_levels(edition, contest.default_levels.all())
    _copy_criteria(edition, contest.default_criteria.all())
    take_contest_distinctions(edition)
    _add_default_phases(edition)
    return edition


def _copy_levels(edition: Edition, levels) -> None:
    """Give `edition` the levels (a contest's defaults or last year's), rules included."""
    Level.objects.bulk_create(
        Level(
            edition=edition,
            code=level.code,
            name=level.name,
            rank=level.rank,
            min_score=level.min_score,
            max_per_theme=level.max_per_theme,
        )
        for level in levels
    )


def _copy_criteria(edition: Edition, criteria) -> None:
    Criterion.objects.bulk_create(
        Criterion(
            edition=edition,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            eliminatory=criterion.eliminatory,
            position=criterion.position,
        )
        for criterion in criteria
    )


@transaction.atomic
def copy_edition(source: Edition, year: int, *, by) -> Edition:
    """Create next year's edition (or any `year`) of the same contest from `source`.

    Effects, in one transaction:
    1. guard: refuse (French ValidationError) if the contest already has an edition that year;
    2. create the edition with the source's limits (video length, file and dossier sizes);
       Forum, funnel counts and notes belong to one year and are not copied;
    3. copy themes, criteria, levels and distinctions as they are;
    4. copy the phases with their flags, each start shifted by the year difference (same local
       date and time); a source without phases (historical editions) gets the default phases.
       No copied phase allows applying: the call stays unpublished until the organisers open
       it (contests.call.open_call). The rules text and the contact are copied (they change
       little from one year to the next); the rules PDF belongs to its year and is not.
    """
    ensure_year_free(source.contest, year)
    edition = Edition.objects.create(
        contest=source.contest,
        year=year,
        max_video_minutes=source.max_video_minutes,
        max_file_megabytes=source.max_file_megabytes,
        max_dossier_megabytes=source.max_dossier_megabytes,
        rules_text=source.rules_text,
        contact_email=source.contact_email,
    )
    Theme.objects.bulk_create(
        Theme(
            edition=edition,
            name=theme.name,
            slug=theme.slug,
            description=theme.description,
            position=theme.position,
        )
        for theme in source.themes.all()
    )
    _copy_criteria(edition, source.criteria.all())
    _copy_levels(edition, source.levels.all())
    copy_distinctions(source, edition)
    _log("edition copied", edition, by, source=source.pk)
    phases = list(source.phases.all())
    if not phases:
        _add_default_phases(edition)
        return edition
    Phase.objects.bulk_create(
        Phase(
            edition=edition,
            kind=phase.kind,
            starts_at=shift_years(phase.starts_at, year - source.year),
            **_unpublished({flag: getattr(phase, flag) for flag in CAPABILITY_FLAGS}),
        )
        for phase in phases
    )
    return edition


@dataclass(frozen=True)
class ForumDetails:
    city: str = ""
    venue: str = ""
    starts_on: date | None = None
    ends_on: date | None = None

    def is_empty(self) -> bool:
        return not (self.city or self.venue or self.starts_on or self.ends_on)


def _unique_event_slug(base: str) -> str:
    slug, suffix = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def update_edition(edition: Edition, forum: ForumDetails, *, by) -> Edition:
    """Save an edited edition and its Forum.

    Effects, in one transaction:
    1. guard: refuse (French ValidationError) if another edition of the contest has the year;
    2. save the edition's fields;
    3. Forum: update the edition's Forum event in place; if it has none and some detail was
       given, create an event of kind forum and link it. Nothing is created for empty details;
    4. a changed elimination rule sends `contests.signals.elimination_rule_changed`, on which
       the jury recomputes the stored scores and eliminations of the edition's rounds.
    """
    ensure_year_free(edition.contest, edition.year, edition=edition)
    previous_rule = (
        Edition.objects.filter(pk=edition.pk).values_list("elimination_rule", flat=True).first()
    )
    event = edition.forum
    if event is None and not forum.is_empty():
        event = Event(
            kind=EventKind.FORUM,
            name=f"{capfirst(edition.contest.ceremony_label)} {edition.year}",
            slug=_unique_event_slug(slugify(f"forum-{edition.contest.slug}-{edition.year}")),
        )
    if event is not None:
        event.city, event.venue = forum.city, forum.venue
        event.starts_on, event.ends_on = forum.starts_on, forum.ends_on
        event.save()
        edition.forum = event
    edition.save()
    if previous_rule is not None and previous_rule != edition.elimination_rule:
        elimination_rule_changed.send(sender=Edition, edition=edition)
    _log("edition updated", edition, by)
    return edition
