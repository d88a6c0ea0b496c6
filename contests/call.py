"""The call for applications of an edition: published or not, its checklist, opening and closing.

An edition's call is published once one of its phases allows applying (`may_apply`): a new or
copied edition has none (contests.domain), so its call page answers 404 and no dossier can be
started until the organisers open it here, which refuses while a required item is missing. Every
change of dates goes through contests.phases.set_phases (logged phase by phase); opening, closing
early and extending the deadline each add their own activity entry, and an extension sends
`signals.call_deadline_extended` (applications emails the dossiers still in draft).
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from . import activity
from .enums import PhaseKind
from .models import Edition, Phase, current_phase_value
from .phases import LIFECYCLE, PhaseRow, _locked_phases, set_phases
from .signals import call_deadline_extended

# Deadlines are told in Paris time, whatever the server's zone.
PARIS = ZoneInfo("Europe/Paris")


class CallRefused(Exception):
    """An action on the call that cannot be done; `message` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def paris_text(moment: datetime) -> str:
    """« 1er février 2027 à 12:00 » in Paris time (the reader's language's month names)."""
    local = moment.astimezone(PARIS)
    day = formats.date_format(local, "j F Y")
    if local.day == 1 and (get_language() or "fr").startswith("fr"):
        day = "1er" + day[1:]
    return _("%(day)s à %(time)s") % {"day": day, "time": local.strftime("%H:%M")}


# ------------------------------------------------------------------------------ reading


def _sorted_phases(edition: Edition) -> list[Phase]:
    return sorted(edition.phases.all(), key=lambda phase: phase.starts_at)


def opening_phase(edition: Edition) -> Phase | None:
    return next((p for p in edition.phases.all() if p.kind == PhaseKind.APPLICATIONS_OPEN), None)


def deadline_phase(edition: Edition) -> Phase | None:
    """The phase after « applications open »: its start is the deadline (as applications
    reads it: applications.domain.submission_deadline)."""
    phases = _sorted_phases(edition)
    for index, phase in enumerate(phases):
        if phase.kind == PhaseKind.APPLICATIONS_OPEN:
            return phases[index + 1] if index + 1 < len(phases) else None
    return None


def deadline(edition: Edition) -> datetime | None:
    phase = deadline_phase(edition)
    return phase.starts_at if phase else None


def is_published(edition: Edition) -> bool:
    """Whether the call was opened: one of the edition's phases allows applying."""
    return any(phase.may_apply for phase in edition.phases.all())


def is_open(edition: Edition, at: datetime | None = None) -> bool:
    from .domain import edition_allows

    return edition_allows(edition, "may_apply", at)


def published_editions() -> QuerySet[Edition]:
    return (
        Edition.objects.filter(is_historical=False, phases__may_apply=True)
        .distinct()
        .select_related("contest", "forum")
        .prefetch_related("phases")
    )


def open_editions(at: datetime | None = None) -> list[Edition]:
    """The editions taking applications at `at` (default now), every contest, in one query
    (plus the phases' prefetch)."""
    at = at or timezone.now()
    return list(
        Edition.objects.filter(is_historical=False)
        .annotate(current_may_apply=current_phase_value("may_apply", at))
        .filter(current_may_apply=True)
        .select_related("contest", "forum")
        .prefetch_related("phases")
        .order_by("contest__name", "year")
    )


# ------------------------------------------------------------------- the header's copy


@dataclass(frozen=True)
class OpenCall:
    """An open call as the site header and the home page show it (plain data, cached)."""

    contest_slug: str
    contest_name: str
    year: int
    deadline: datetime | None


@dataclass(frozen=True)
class _Snapshot:
    calls: tuple[OpenCall, ...]
    # When the answer may change by itself: the next start of any phase (None: never).
    valid_until: datetime | None


OPEN_CALLS_KEY = "contests:open-calls"
# An upper bound on a stale copy (a change rolled back after the copy was refreshed, a bulk
# update that sent no signal); phase starts are exact through `valid_until`.
OPEN_CALLS_SECONDS = 300
EMPTY = _Snapshot((), None)


def refresh_open_calls(now: datetime | None = None, **_signal) -> tuple[OpenCall, ...]:
    """Read the open calls from the database and keep them in the cache.

    Every page's header shows them: reading them from the cache spares each page a query. The
    copy is refreshed when an edition, a contest or a phase is saved or deleted (receivers
    connected in ContestsConfig.ready) and when the next phase starts.
    """
    now = now if isinstance(now, datetime) else timezone.now()
    calls = tuple(
        OpenCall(edition.contest.slug, edition.contest.name, edition.year, deadline(edition))
        for edition in open_editions(now)
    )
    upcoming = (
        Phase.objects.filter(starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    ).first()
    cache.set(OPEN_CALLS_KEY, _Snapshot(calls, upcoming), OPEN_CALLS_SECONDS)
    return calls


def cached_open_calls(now: datetime | None = None) -> tuple[OpenCall, ...]:
    now = now or timezone.now()
    snapshot = cache.get(OPEN_CALLS_KEY)
    if snapshot is None or (snapshot.valid_until is not None and now >= snapshot.valid_until):
        return refresh_open_calls(now)
    return snapshot.calls


def next_call(edition: Edition, now: datetime | None = None) -> Edition | None:
    """The next call of the same contest that is open or announced (published, opening later);
    None when the organisers have not opened one yet."""
    now = now or timezone.now()
    later = published_editions().filter(contest=edition.contest, year__gt=edition.year)
    for candidate in later.order_by("year"):
        opening = opening_phase(candidate)
        if is_open(candidate, now) or (opening is not None and opening.starts_at > now):
            return candidate
    return None


# ---------------------------------------------------------------------------- checklist


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    required: bool
    detail: str
    # The organisers' page where it is set (a contests URL name taking contest slug and year).
    url_name: str


ITEM_LABELS = {
    "themes": gettext_lazy("Thèmes"),
    "criteria": gettext_lazy("Critères"),
    "levels": gettext_lazy("Niveaux"),
    "dates": gettext_lazy("Dates"),
    "rules": gettext_lazy("Règlement"),
    "contact": gettext_lazy("Contact"),
    "ceremony": gettext_lazy("Cérémonie"),
}


def _dates_item(edition: Edition, now: datetime) -> tuple[bool, str]:
    if opening_phase(edition) is None:
        return False, _("Ajoutez la phase « Candidatures ouvertes » au calendrier.")
    end = deadline(edition)
    if end is None:
        return False, _(
            "Ajoutez une phase après « Candidatures ouvertes » : son début est la date "
            "limite de dépôt."
        )
    if end <= now:
        return False, _(
            "La date limite de dépôt (%(date)s) est passée : choisissez-en une à venir."
        ) % {"date": paris_text(end)}
    return True, _("Date limite de dépôt : %(date)s (heure de Paris).") % {"date": paris_text(end)}


def checklist(edition: Edition, now: datetime | None = None) -> list[ChecklistItem]:
    """What the call page needs, item by item; the ceremony is recommended, the rest required."""
    now = now or timezone.now()
    themes = edition.themes.count()
    criteria = edition.criteria.count()
    levels = edition.levels.count()
    dates_done, dates_detail = _dates_item(edition, now)
    forum = edition.forum
    ceremony = bool(forum and forum.starts_on)
    missing = _("À compléter.")
    rows = [
        (
            "themes",
            themes > 0,
            True,
            ngettext("%(n)s thème.", "%(n)s thèmes.", themes) % {"n": themes}
            if themes
            else missing,
            "edition_themes",
        ),
        (
            "criteria",
            criteria > 0,
            True,
            ngettext("%(n)s critère.", "%(n)s critères.", criteria) % {"n": criteria}
            if criteria
            else missing,
            "edition_criteria",
        ),
        (
            "levels",
            levels > 0,
            True,
            ngettext("%(n)s niveau.", "%(n)s niveaux.", levels) % {"n": levels}
            if levels
            else missing,
            "edition_levels",
        ),
        ("dates", dates_done, True, dates_detail, "edition_phases"),
        (
            "rules",
            bool(edition.rules_text.strip()),
            True,
            _("Rédigé.") if edition.rules_text.strip() else missing,
            "edition_rules",
        ),
        (
            "contact",
            bool(edition.contact_email),
            True,
            edition.contact_email or missing,
            "edition_rules",
        ),
        (
            "ceremony",
            ceremony,
            False,
            _("Le %(date)s.") % {"date": formats.date_format(forum.starts_on, "j F Y")}
            if ceremony
            else _("Recommandé : la date de la cérémonie où les labels sont remis."),
            "edition_update",
        ),
    ]
    if not edition.contest.uses_themes:
        # Its dossiers compete without themes: none to set before opening the call.
        rows = [row for row in rows if row[0] != "themes"]
    return [
        ChecklistItem(key, str(ITEM_LABELS[key]), done, required, detail, url_name)
        for key, done, required, detail, url_name in rows
    ]


def missing_items(edition: Edition, now: datetime | None = None) -> list[ChecklistItem]:
    return [item for item in checklist(edition, now) if item.required and not item.done]


# ------------------------------------------------------------------------------ actions


def _rows(edition: Edition) -> dict[PhaseKind, PhaseRow]:
    return {kind: PhaseRow.of(phase) for kind, phase in _locked_phases(edition).items()}


def _fresh(edition: Edition) -> Edition:
    return Edition.objects.prefetch_related("phases").get(pk=edition.pk)


@transaction.atomic
def open_call(edition: Edition, *, by, now: datetime | None = None) -> Edition:
    """Publish the call and take applications from now on.

    Effects, in one transaction:
    1. guard: refuse (CallRefused) if the call is already published or a required checklist
       item is missing (the message names them);
    2. through set_phases: « applications open » starts now (or earlier, if it already had),
       with may_apply; an earlier phase still to come (the draft) would close the call again
       when it starts, so it is moved just before now;
    3. one activity entry `contests.call_opened` with the deadline (Paris time).
    """
    now = now or timezone.now()
    edition = _fresh(edition)
    if is_published(edition):
        raise CallRefused(_("L'appel à candidatures est déjà ouvert."))
    missing = missing_items(edition, now)
    if missing:
        raise CallRefused(
            _("L'appel ne peut pas être ouvert : il manque %(items)s.")
            % {"items": ", ".join(item.label.lower() for item in missing)}
        )
    rows = _rows(edition)
    opening = rows[PhaseKind.APPLICATIONS_OPEN]
    rows[opening.kind] = replace(opening, starts_at=min(opening.starts_at, now), may_apply=True)
    earlier = LIFECYCLE[: LIFECYCLE.index(PhaseKind.APPLICATIONS_OPEN)]
    pending = [rows[kind] for kind in earlier if kind in rows and rows[kind].starts_at > now]
    for distance, row in enumerate(reversed(pending), start=1):
        rows[row.kind] = replace(row, starts_at=now - timedelta(seconds=distance))
    set_phases(edition, rows.values(), by=by)
    activity.record(
        edition,
        "contests.call_opened",
        by=by,
        subject=str(edition),
        deadline=deadline(_fresh(edition)).astimezone(PARIS).isoformat(),
    )
    return _fresh(edition)


@transaction.atomic
def close_call(edition: Edition, *, by, now: datetime | None = None) -> Edition:
    """Stop taking applications now, before the planned deadline.

    Effects: guard (the call must be taking applications), the deadline phase moved to now
    through set_phases, one activity entry `contests.call_closed` with the planned deadline.
    """
    now = now or timezone.now()
    edition = _fresh(edition)
    end = deadline_phase(edition)
    if end is None or not is_open(edition, now):
        raise CallRefused(_("L'appel à candidatures n'est pas ouvert : il n'y a rien à clore."))
    rows = _rows(edition)
    rows[PhaseKind(end.kind)] = replace(rows[PhaseKind(end.kind)], starts_at=now)
    set_phases(edition, rows.values(), by=by)
    activity.record(
        edition,
        "contests.call_closed",
        by=by,
        subject=str(edition),
        planned_deadline=end.starts_at.astimezone(PARIS).isoformat(),
        closed_at=now.astimezone(PARIS).isoformat(),
    )
    return _fresh(edition)


@transaction.atomic
def extend_deadline(
    edition: Edition, new_deadline: datetime, *, by, now: datetime | None = None
) -> Edition:
    """Move the deadline later, and tell the applicants whose dossier is still a draft.

    Effects, in one transaction:
    1. guard (CallRefused): the call is published; the new deadline is in the future, later than
       the current one, and before the start of the phase that follows the deadline's;
    2. the deadline phase moved through set_phases;
    3. one activity entry `contests.deadline_extended`, before and after (Paris time);
    4. `signals.call_deadline_extended` sent: applications queues one email per draft dossier,
       with its link and the new deadline (notifications' outbox, delivered after commit).
    """
    now = now or timezone.now()
    edition = _fresh(edition)
    end = deadline_phase(edition)
    if not is_published(edition) or end is None:
        raise CallRefused(_("L'appel à candidatures n'est pas ouvert : ouvrez-le d'abord."))
    if new_deadline <= now:
        raise CallRefused(_("La nouvelle date limite doit être à venir."))
    if new_deadline <= end.starts_at:
        raise CallRefused(
            _("La nouvelle date limite doit être postérieure à la date actuelle (%(date)s).")
            % {"date": paris_text(end.starts_at)}
        )
    following = [p for p in _sorted_phases(edition) if p.starts_at > end.starts_at]
    if following and new_deadline >= following[0].starts_at:
        raise CallRefused(
            _(
                "La nouvelle date limite doit précéder le début de la phase « %(phase)s » "
                "(%(date)s) : déplacez d'abord cette phase."
            )
            % {"phase": following[0].get_kind_display(), "date": paris_text(following[0].starts_at)}
        )
    previous = end.starts_at
    rows = _rows(edition)
    rows[PhaseKind(end.kind)] = replace(rows[PhaseKind(end.kind)], starts_at=new_deadline)
    set_phases(edition, rows.values(), by=by)
    activity.record(
        edition,
        "contests.deadline_extended",
        by=by,
        subject=str(edition),
        before=previous.astimezone(PARIS).isoformat(),
        after=new_deadline.astimezone(PARIS).isoformat(),
    )
    edition = _fresh(edition)
    call_deadline_extended.send(
        sender=Edition, edition=edition, previous=previous, deadline=new_deadline
    )
    return edition
