"""The minutes (procès-verbal) of an edition's deliberation, for its organisers.

What the jury did, from the records alone: the audition sessions and who sat in them, per dossier
the jurors kept away by a conflict of interest and those who abstained (assigned, no evaluation
sent), the proposed and decided levels with the reasons for each change, the president's
validation, and the activity log's fingerprint at that moment next to a fresh check of the chain.

Before the validation the minutes print as a draft (« Projet » on every page): organisers can
proofread them, nobody can take them for the record.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from awards.enums import DeliberationState
from awards.models import Decision, Deliberation
from contests import activity
from contests.models import ActivityEntry
from jury.enums import EvaluationState, JurorState
from jury.models import Assignment, Audition, AuditionSession, Conflict, Juror, JurorAttendance

from .pdf import DOCUMENT_LANGUAGE, render_pdf
from .text import join_names

TEMPLATE = "awards/documents/minutes.html"


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
    score: str  # « 3,42 [3,10 ; 3,80] », or "–"
    proposed: str
    decided: str
    reason: str
    decided_by: str
    conflicts: list[str]  # « Juror (Institution) : reason »
    abstentions: list[str]


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


def minutes_filename(deliberation: Deliberation) -> str:
    edition = deliberation.edition
    draft = "-projet" if deliberation.state == DeliberationState.OPEN else ""
    return f"proces-verbal-{edition.contest.slug}-{edition.year}{draft}.pdf"


def _moment(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "j F Y à H:i") if value else ""


def _hour(value: datetime) -> str:
    return date_format(timezone.localtime(value), "H \\h i")


def _juror(juror: Juror) -> str:
    label = f"{juror.full_name} ({' '.join(juror.institution_label.split())})"
    return (
        _("%(juror)s, à la présidence du jury") % {"juror": label} if juror.is_president else label
    )


def _number(value: Decimal | None) -> str:
    return number_format(value, 2) if value is not None else ""


def _score(decision: Decision) -> str:
    if decision.score is None:
        return "–"
    score = _number(decision.score)
    if decision.lower is None or decision.upper is None:
        return score
    return f"{score} [{_number(decision.lower)} ; {_number(decision.upper)}]"


def _level(level) -> str:
    return level.label if level is not None else _("non labellisé")


def _sessions(deliberation: Deliberation) -> list[SessionRow]:
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
            day=date_format(timezone.localtime(session.starts_at), "l j F Y"),
            hours=f"{_hour(session.starts_at)} – {_hour(session.ends_at)}",
            jurors=[_juror(attendance.juror) for attendance in session.attendances.all()],
            auditions=[
                f"{_hour(audition.starts_at)} {audition.application.reference} "
                f"{audition.application.title}"
                for audition in session.auditions.all()
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


def _dossiers(deliberation: Deliberation) -> list[DossierRow]:
    decisions = list(
        deliberation.decisions.select_related(
            "application__lead_organisation",
            "application__theme",
            "proposed_level",
            "level",
            "decided_by",
        )
        .prefetch_related("application__application_partners__organisation")
        .order_by("application__theme__position", "application__theme__name", "-score", "pk")
    )
    conflicts, abstentions = _conflicts_and_abstentions(
        deliberation, [decision.application_id for decision in decisions]
    )
    rows = []
    for decision in decisions:
        application = decision.application
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
            )
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


def build_minutes(deliberation: Deliberation) -> Minutes:
    """Reads `deliberation` with its edition (contest), round and validator."""
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
        sessions=_sessions(deliberation),
        dossiers=_dossiers(deliberation),
        validated_by=str(deliberation.validated_by) if deliberation.validated_by else "",
        validated_at=_moment(deliberation.validated_at),
        fingerprint=fingerprint,
        fingerprint_in_log=bool(fingerprint)
        and ActivityEntry.objects.filter(entry_hash=fingerprint).exists(),
        log_check=_log_check(),
        checked_at=_moment(timezone.now()),
    )


def render_minutes_pdf(deliberation: Deliberation) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        minutes = build_minutes(deliberation)
    return render_pdf(TEMPLATE, {"minutes": minutes})
