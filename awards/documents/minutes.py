"""The minutes (procès-verbal) of an edition's deliberation, for its organisers.

What the jury did, from the records alone: the audition sessions and who sat in them, per dossier
the jurors kept away by a conflict of interest and those who abstained (assigned, no evaluation
sent), the proposed and decided levels with the reasons for each change, the president's
validation, and the activity log's fingerprint at that moment next to a fresh check of the chain.

Before the validation the minutes print as a draft (« Projet » on every page): organisers can
proofread them, nobody can take them for the record.

An organiser in conflict with a dossier gets the minutes through their `awards.rules.
ConflictScreen`, as the board: nothing of that dossier (not even its audition), and no level of
the other dossiers of its theme; the first page says so. Another organiser prints them whole.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from awards.enums import DeliberationState
from awards.models import Decision, Deliberation
from awards.rules import ConflictScreen, conflict_screen
from contests import activity
from contests.models import ActivityEntry
from jury.enums import EvaluationState, JurorState
from jury.models import Assignment, Audition, AuditionSession, Conflict, Juror, JurorAttendance
from palmares import dates

from ..distinctions import distinction_names
from .pdf import DOCUMENT_LANGUAGE, render_pdf
from .text import join_names

TEMPLATE = "awards/documents/minutes.html"
SHOWN_PRECISION = Decimal("0.001")  # the board shows scores to the thousandth


@dataclass(frozen=True)
class SessionRow:
    name: str
    day: str
    hours: str  # « 9 h 00 – 12 h 00 »
    jurors: list[str]
    auditions: list[str]  # « 9 h 00 LTI-2028-0001 Titre »


@dataclass(frozen=True)
class DossierRow:
    reference: str
    title: str
    organisations: str
    theme: str
    score: str  # « 3,420 [3,100 ; 3,800] », or "–"
    proposed: str
    decided: str
    reason: str
    decided_by: str
    conflicts: list[str]  # « Juror (Institution) : reason »
    abstentions: list[str]
    distinctions: str = ""  # « Prix spécial du jury, coup de cœur », or ""


@dataclass(frozen=True)
class Minutes:
    deliberation: Deliberation
    draft: bool
    round_name: str
    method: str
    jurors: list[str]
    sessions: list[SessionRow]
    dossiers: list[DossierRow]
    validated_by: str
    validated_at: str
    fingerprint: str
    fingerprint_in_log: bool
    log_check: str
    checked_at: str
    veiled_themes: list[str]  # themes whose levels the reader may not see (conflict of interest)


def minutes_filename(deliberation: Deliberation) -> str:
    edition = deliberation.edition
    draft = "-projet" if deliberation.state == DeliberationState.OPEN else ""
    return f"proces-verbal-{edition.contest.slug}-{edition.year}{draft}.pdf"


def _moment(value: datetime | None) -> str:
    return dates.long_datetime(value) if value else ""


def _hour(value: datetime) -> str:
    return date_format(timezone.localtime(value), "H \\h i")


def _juror(juror: Juror) -> str:
    label = f"{juror.full_name} ({' '.join(juror.institution_label.split())})"
    return (
        _("%(juror)s, à la présidence du jury") % {"juror": label} if juror.is_president else label
    )


def _number(value: Decimal | None) -> str:
    """A score as the deliberation board shows it: 3 decimals, rounded half up (Django's
    number_format alone would cut the digits beyond, not round them)."""
    if value is None:
        return ""
    return number_format(value.quantize(SHOWN_PRECISION, rounding=ROUND_HALF_UP), 3)


def _score(decision: Decision) -> str:
    if decision.score is None:
        return "–"
    score = _number(decision.score)
    if decision.lower is None or decision.upper is None:
        return score
    return f"{score} [{_number(decision.lower)} ; {_number(decision.upper)}]"


def _level(level) -> str:
    """The level's name as the contest gives it (« Or », « Lauréat national »)."""
    return level.name if level is not None else _("non labellisé")


def _sessions(deliberation: Deliberation, screen: ConflictScreen) -> list[SessionRow]:
    sessions = AuditionSession.objects.filter(round_id=deliberation.round_id).prefetch_related(
        Prefetch(
            "attendances",
            queryset=JurorAttendance.objects.select_related("juror__institution").order_by(
                "juror__full_name"
            ),
        ),
        Prefetch(
            "auditions",
            queryset=Audition.objects.select_related("application").order_by("starts_at"),
        ),
    )
    return [
        SessionRow(
            name=session.name,
            day=dates.weekday_date(session.starts_at),
            hours=f"{_hour(session.starts_at)} – {_hour(session.ends_at)}",
            jurors=[_juror(attendance.juror) for attendance in session.attendances.all()],
            auditions=[
                f"{_hour(audition.starts_at)} {audition.application.reference} "
                f"{audition.application.title}"
                for audition in session.auditions.all()
                if not screen.hides(audition.application_id)
            ],
        )
        for session in sessions
    ]


def _conflicts_and_abstentions(
    deliberation: Deliberation, application_ids: list[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Per dossier: the round's jurors kept away by a conflict in force, and those assigned
    who sent no evaluation (a juror in conflict is not also counted as abstaining)."""
    conflicts: dict[int, list[str]] = {}
    conflicted: set[tuple[int, int]] = set()
    # A conflict is the person's (jury.models.jurors): the round's juror of each member.
    jurors = {
        juror.member_id: juror
        for juror in Juror.objects.filter(round_id=deliberation.round_id).select_related(
            "institution"
        )
    }
    for conflict in (
        Conflict.objects.effective()
        .filter(member_id__in=jurors, application_id__in=application_ids)
        .order_by("member__full_name", "pk")
    ):
        juror = jurors[conflict.member_id]
        conflicted.add((juror.pk, conflict.application_id))
        conflicts.setdefault(conflict.application_id, []).append(
            f"{_juror(juror)} : {conflict.reason} ({conflict.get_status_display()})"
        )
    abstentions: dict[int, list[str]] = {}
    for assignment in (
        Assignment.objects.filter(
            juror__round_id=deliberation.round_id, application_id__in=application_ids
        )
        .exclude(evaluation__state=EvaluationState.SUBMITTED)
        .select_related("juror__institution")
        .order_by("juror__full_name", "pk")
    ):
        if (assignment.juror_id, assignment.application_id) not in conflicted:
            abstentions.setdefault(assignment.application_id, []).append(_juror(assignment.juror))
    return conflicts, abstentions


def _dossiers(deliberation: Deliberation, screen: ConflictScreen) -> list[DossierRow]:
    decisions = list(
        deliberation.decisions.select_related(
            "application__lead_organisation",
            "application__theme",
            "proposed_level",
            "level",
            "decided_by",
        )
        .prefetch_related("application__application_partners__organisation", "distinctions")
        .order_by("application__theme__position", "application__theme__name", "-score", "pk")
    )
    conflicts, abstentions = _conflicts_and_abstentions(
        deliberation, [decision.application_id for decision in decisions]
    )
    rows = []
    for decision in decisions:
        application = decision.application
        if screen.hides(application.pk):
            continue
        partners = [p.organisation.name for p in application.application_partners.all()]
        rows.append(
            DossierRow(
                reference=application.reference,
                title=application.title,
                organisations=join_names([application.lead_organisation.name, *partners]),
                theme=application.theme.name if application.theme else "",
                score=_score(decision),
                proposed=_level(decision.proposed_level),
                decided=_level(decision.level),
                reason=decision.reason,
                decided_by=(
                    _("%(who)s, le %(at)s")
                    % {"who": decision.decided_by, "at": _moment(decision.decided_at)}
                    if decision.decided_by
                    else ""
                ),
                conflicts=conflicts.get(application.pk, []),
                abstentions=abstentions.get(application.pk, []),
                distinctions=distinction_names(
                    sorted(decision.distinctions.all(), key=lambda d: (d.position, d.name))
                ),
            )
        )
        if screen.veils(application.theme_id):
            masked = _("non communiqué (conflit d'intérêts dans ce thème)")
            rows[-1] = replace(
                rows[-1],
                proposed=masked,
                decided=masked,
                reason="",
                decided_by="",
                # Always masked, present or not: an empty line would tell there is none.
                distinctions=masked,
            )
    return rows


def _log_check() -> str:
    broken = activity.verify()
    if broken is None:
        return _("la chaîne d'empreintes est intacte.")
    return _("journal altéré à l'entrée n° %(id)s : %(reason)s.") % {
        "id": broken.entry_id,
        "reason": activity.BROKEN_LINK_REASONS[broken.reason],
    }


def build_minutes(deliberation: Deliberation, *, reader=None) -> Minutes:
    """Reads `deliberation` with its edition (contest), round and validator; `reader` (None:
    the whole record) gets it through their conflict screen."""
    screen = conflict_screen(reader, deliberation.edition_id)
    round_ = deliberation.round
    jurors = Juror.objects.filter(round=round_, state=JurorState.ACCEPTED).select_related(
        "institution"
    )
    fingerprint = deliberation.log_fingerprint
    return Minutes(
        deliberation=deliberation,
        draft=deliberation.state == DeliberationState.OPEN,
        round_name=round_.name,
        method=_("%(method)s, %(normalised)s")
        % {
            "method": deliberation.get_method_display().lower(),
            "normalised": _("sévérité des jurés corrigée")
            if deliberation.normalised
            else _("notes brutes, sans correction de la sévérité des jurés"),
        },
        jurors=[_juror(juror) for juror in jurors],
        sessions=_sessions(deliberation, screen),
        dossiers=_dossiers(deliberation, screen),
        validated_by=str(deliberation.validated_by) if deliberation.validated_by else "",
        validated_at=_moment(deliberation.validated_at),
        fingerprint=fingerprint,
        fingerprint_in_log=bool(fingerprint)
        and ActivityEntry.objects.filter(entry_hash=fingerprint).exists(),
        log_check=_log_check(),
        checked_at=_moment(timezone.now()),
        veiled_themes=_veiled_themes(deliberation, screen),
    )


def _veiled_themes(deliberation: Deliberation, screen: ConflictScreen) -> list[str]:
    if not screen.in_edition:
        return []
    themes = deliberation.edition.themes.filter(pk__in=screen.veiled_themes)
    names = list(themes.order_by("position", "name").values_list("name", flat=True))
    return names + ([_("Sans thème")] if None in screen.veiled_themes else [])


def render_minutes_pdf(deliberation: Deliberation, *, reader=None) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        minutes = build_minutes(deliberation, reader=reader)
    return render_pdf(TEMPLATE, {"minutes": minutes})
