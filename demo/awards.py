"""`seed_demo --stage deliberation` and `--stage published`: the jury stage carried on to the end.

Deliberation: the regional round's evaluations completed and its best two dossiers per theme
promoted to the national round; the national jury (the same demo jurors) assigned and scoring;
its best two per theme shortlisted for the auditions round; four video-conference sessions (as
in 2024) a few weeks ago, every juror present, the timetable computed by the solver, the sessions
marked done and the auditions scored; level rules (or ≥ 4 and one per theme, argent ≥ 3.5,
bronze ≥ 3); the deliberation opened on the auditions with one decision changed by the
president, with its reason. Published: the president validates, the organisers conclude the
dossiers no round examined (not awarded, with a reason), the results are published.

Everything goes through the domain functions, as in demo.jury.
"""

import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from awards.deliberation import change_decision, open_deliberation, validate
from awards.enums import DeliberationState, UnexaminedOutcome
from awards.models import Deliberation
from awards.publication import decide_all_undecided, publish, unexamined_applications
from contests.enums import PhaseKind
from contests.models import Edition
from jury.domain.assign import assign_round
from jury.domain.audition_schedule import schedule_auditions
from jury.domain.auditions import mark_session_done, save_session, set_attendance, set_availability
from jury.domain.evaluations import CriterionMark, round_criteria, save_evaluation
from jury.domain.jurors import take_jury_from
from jury.domain.rounds import apply_promotions, fill_round, save_round, stage_promotions
from jury.enums import EvaluationState, PromotionRule, RoundKind
from jury.models import Assignment, AuditionSession, Juror, Round

from .jury import NATIONAL_SLUG, REGIONAL_SLUG

SEED = 2029
AUDITIONS_SLUG = "auditions"
SESSIONS = 4
# Days from today at which each phase starts: the jury deliberates now, the Forum is ahead.
DELIBERATION_OFFSETS: dict[PhaseKind, int] = {
    PhaseKind.DRAFT: -200,
    PhaseKind.APPLICATIONS_OPEN: -170,
    PhaseKind.APPLICATIONS_CLOSED: -100,
    PhaseKind.REGIONAL_SELECTION: -80,
    PhaseKind.JURY_SCORING: -60,
    PhaseKind.AUDITIONS: -30,
    PhaseKind.DELIBERATION: -3,
    PhaseKind.EMBARGO: 10,
    PhaseKind.PUBLISHED: 20,
    PhaseKind.ARCHIVED: 380,
}
LEVEL_RULES = {
    "or": (Decimal("4.00"), 1),
    "argent": (Decimal("3.50"), None),
    "bronze": (Decimal("3.00"), None),
}
UNEXAMINED_REASON = (
    "Aucune sélection de cette édition de démonstration n'a pu examiner le dossier : "
    "il n'est pas labellisé."
)
CHANGE_REASON = (
    "Le jury retient l'argent : l'impact du projet n'est pas encore mesuré, malgré une "
    "audition convaincante."
)


def redate(edition: Edition, offsets: dict[PhaseKind, int]) -> None:
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    for phase in edition.phases.all():
        day = today + timedelta(days=offsets[PhaseKind(phase.kind)])
        phase.starts_at = datetime.combine(day, time(9), tzinfo=zone)
        phase.save(update_fields=["starts_at"])


def session_reference(year: int, number: int) -> uuid.UUID:
    """A demo session's public reference, fixed so that its page has a stable URL."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"palmares-demo:{year}:seance-{number}")


def submit_all(round_: Round, rng: random.Random, choices=(2, 3, 4, 4, 5)) -> int:
    """Submit every evaluation of the round not submitted yet, with demo scores."""
    criteria = round_criteria(round_)
    done = 0
    for assignment in (
        Assignment.objects.filter(juror__round=round_)
        .select_related("juror__user", "juror__round__edition", "application")
        .order_by("application__reference", "juror__full_name")
    ):
        evaluation = getattr(assignment, "evaluation", None)
        if evaluation is not None and evaluation.state == EvaluationState.SUBMITTED:
            continue
        marks = {c.pk: CriterionMark(value=str(rng.choice(choices))) for c in criteria}
        save_evaluation(
            assignment,
            marks,
            "Projet examiné par le jury de démonstration.",
            expected_version=evaluation.version if evaluation else 0,
            by=assignment.juror.user,
            submit=True,
        )
        done += 1
    return done


def copy_jurors(source: Round, target: Round) -> list[Juror]:
    """The same people (who did not decline, with their themes and chair) on another round, in
    one action and without new invitations, as organisers do it (« Reprendre le jury »)."""
    return take_jury_from(source, target, by=None)


def promote(round_: Round, organiser: User) -> list[str]:
    stage_promotions(round_, by=organiser)
    return apply_promotions(round_, by=organiser)


@transaction.atomic
def seed_deliberation_stage(edition: Edition, organiser: User) -> dict[str, int]:
    if Deliberation.objects.filter(edition=edition).exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    redate(edition, DELIBERATION_OFFSETS)
    regional = Round.objects.get(edition=edition, slug=REGIONAL_SLUG)
    national = Round.objects.get(edition=edition, slug=NATIONAL_SLUG)
    submit_all(regional, rng)
    promote(regional, organiser)

    auditions = save_round(
        Round(
            edition=edition,
            name="Auditions du jury national",
            slug=AUDITIONS_SLUG,
            kind=RoundKind.AUDITION,
            promotion_rule=PromotionRule.MANUAL,
            position=3,
        ),
        regions=[],
        criteria=[],
        by=organiser,
    )
    national.promotion_rule, national.promotion_count = PromotionRule.TOP_N, 2
    national.next_round = auditions
    national.save(update_fields=["promotion_rule", "promotion_count", "next_round"])
    fill_round(national, by=organiser)
    copy_jurors(regional, national)
    assign_round(national, per_dossier=3, by=organiser)
    submit_all(national, rng)
    shortlisted = promote(national, organiser)

    copy_jurors(national, auditions)
    zone = timezone.get_default_timezone()
    first_day = timezone.localdate() - timedelta(days=25)
    sessions = [
        save_session(
            AuditionSession(
                round=auditions,
                reference=session_reference(edition.year, number),
                name=f"Séance {number}",
                starts_at=datetime.combine(first_day + timedelta(days=number), time(14), zone),
                ends_at=datetime.combine(first_day + timedelta(days=number), time(17), zone),
                video_link=f"https://visio.demo.palmares.localhost/seance-{number}",
            ),
            by=organiser,
        )
        for number in range(1, SESSIONS + 1)
    ]
    jurors = list(auditions.jurors.all())
    for session in sessions:
        set_attendance(session, jurors, by=organiser)
    for entry in auditions.entries.select_related("application"):
        set_availability(entry.application, auditions, sessions, by=organiser)
    schedule_auditions(auditions, by=organiser)
    for session in sessions:
        mark_session_done(session, by=organiser)
    # The auditions convinced the jury more than the written dossiers.
    submit_all(auditions, rng, choices=(3, 4, 4, 5, 5))

    for level in edition.levels.all():
        if level.code in LEVEL_RULES:
            level.min_score, level.max_per_theme = LEVEL_RULES[level.code]
            level.save(update_fields=["min_score", "max_per_theme"])
    deliberation = open_deliberation(edition, auditions, by=organiser)
    gold = deliberation.decisions.filter(level__code="or").order_by("application__reference")
    president = auditions.jurors.get(is_president=True).user
    if gold.exists():
        change_decision(
            gold.first(), edition.levels.get(code="argent"), CHANGE_REASON, by=president
        )
    return {
        "shortlisted": len(shortlisted),
        "sessions": len(sessions),
        "decisions": deliberation.decisions.count(),
        "labelled": deliberation.decisions.filter(level__isnull=False).count(),
    }


PUBLISHED_OFFSETS: dict[PhaseKind, int] = {
    **{kind: days - 30 for kind, days in DELIBERATION_OFFSETS.items()},
    PhaseKind.ARCHIVED: 350,
}


@transaction.atomic
def seed_published_stage(edition: Edition, organiser: User) -> dict[str, int]:
    """Validate (the president) and publish the deliberation of `seed_deliberation_stage`."""
    deliberation = Deliberation.objects.get(edition=edition)
    if deliberation.state == DeliberationState.PUBLISHED:
        return {}
    redate(edition, PUBLISHED_OFFSETS)
    if deliberation.state == DeliberationState.OPEN:
        president = deliberation.round.jurors.get(is_president=True).user
        validate(deliberation, by=president)
    # Publication waits for the organisers' word on the dossiers no round examined.
    if unexamined_applications(deliberation):
        decide_all_undecided(
            deliberation, UnexaminedOutcome.NOT_AWARDED, UNEXAMINED_REASON, by=organiser
        )
    awards = publish(deliberation, by=organiser)
    return {"awards": len(awards)}
