"""The later stages of « Start-up Interconnectée »'s demo (demo.companies).

Jury: applications closed, eligibility decided (one start-up ineligible, with its reason); two
regional selections, each hosted by a 2019 IntercoTOUR stage (data/events_2019.csv, imported by
`import_events`; a stage not imported leaves its round without the link, and the command says
so), promoting the best start-up of each theme to the national final: that is the « prize per
stage »; five demo jurors per selection, three per dossier, half of the evaluations submitted.

Deliberation: the selections' evaluations completed and promoted; the national jury (the first
selection's jurors) scores the finalists; the deliberation opens on the national round, whose
rules (the edition's level « Lauréat national », one per theme) propose the national winners;
where tied finalists leave a theme without one, the president names it, with the reason.
Published: the label's function (demo.awards.seed_published_stage).

Everything goes through the domain functions and the label's seeding helpers; only the
configuration below is the start-up contest's.
"""

import random
from datetime import timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from applications.enums import ApplicationState
from awards.deliberation import change_decision, open_deliberation
from awards.models import Deliberation
from contests.enums import EventKind
from contests.models import Edition, Event
from jury.domain.assign import assign_round
from jury.domain.conflicts import detect_conflicts_for_round
from jury.domain.eligibility import decide_eligibility, mark_undecided_eligible
from jury.domain.evaluations import CriterionMark, round_criteria, save_evaluation
from jury.domain.rounds import fill_round, save_round
from jury.domain.selection_publication import publish_selection
from jury.enums import PromotionRule, RoundKind
from jury.models import Assignment, Round
from territories.enums import OrganisationKind
from territories.models import Organisation

from .awards import DELIBERATION_OFFSETS, copy_jurors, promote, redate, submit_all
from .companies import LEVEL_CODE
from .jury import JUROR_DOMAIN, add_demo_juror, redate_phases

SEED = 2031
NATIONAL_SLUG = "finale-nationale"
PER_DOSSIER = 3
STAGE_YEAR = 2019
TIE_REASON = (
    "Finalistes ex aequo : le jury retient cette solution, déjà déployée auprès de plusieurs "
    "collectivités."
)
INELIGIBLE_REASON = (
    "L'entreprise n'a pas encore d'expérimentation avec une collectivité : le règlement "
    "demande une solution au moins expérimentée sur un territoire."
)


class RegionalSelection(NamedTuple):
    slug: str
    name: str
    event_name: str  # the hosting stage, as named in data/events_2019.csv
    region: str  # INSEE code of the région whose start-ups it selects
    jurors: tuple[str, ...]  # the jurors' institutions (demo, outside the referential)


SELECTIONS: tuple[RegionalSelection, ...] = (
    RegionalSelection(
        "ile-de-france",
        "Sélection Île-de-France",
        "IntercoTOUR Île-de-France",
        "11",
        (
            "Incubateur francilien (démo)",
            "Fonds d'amorçage (démo)",
            "Réseau de collectivités (démo)",
            "Laboratoire d'usages (démo)",
            "Club des DSI publics (démo)",
        ),
    ),
    RegionalSelection(
        "auvergne-rhone-alpes",
        "Sélection Auvergne-Rhône-Alpes",
        "IntercoTOUR Auvergne-Rhône-Alpes",
        "84",
        (
            "Accélérateur alpin (démo)",
            "Business angels du Rhône (démo)",
            "Agence régionale du numérique (démo)",
            "Pôle de compétitivité (démo)",
            "Association de maires (démo)",
        ),
    ),
)


def hosting_stage(selection: RegionalSelection) -> Event | None:
    return Event.objects.filter(
        kind=EventKind.STAGE, name=selection.event_name, starts_on__year=STAGE_YEAR
    ).first()


def add_jurors(round_: Round, institutions: tuple[str, ...], rng: random.Random) -> None:
    """Accepted demo jurors, the first one presiding, each an expert of two themes."""
    themes = list(round_.edition.themes.all())
    for index, institution in enumerate(institutions):
        email = f"{round_.slug}.{slugify(institution)}@{JUROR_DOMAIN}"
        add_demo_juror(
            round_,
            email=email,
            label=institution,
            capacity_max=8,
            is_president=index == 0,
            themes=rng.sample(themes, min(2, len(themes))),
        )


def submit_half(round_: Round, rng: random.Random) -> int:
    """Every other assignment (in reference order) evaluated and submitted."""
    criteria = round_criteria(round_)
    assignments = (
        Assignment.objects.filter(juror__round=round_)
        .select_related("juror__user", "juror__round__edition", "application")
        .order_by("application__reference", "juror__full_name")
    )
    submitted = 0
    for number, assignment in enumerate(assignments):
        if number % 2:
            continue
        marks = {c.pk: CriterionMark(value=str(rng.choice((2, 3, 3, 4, 4, 5)))) for c in criteria}
        save_evaluation(
            assignment,
            marks,
            "Une solution utile, à suivre.",
            expected_version=0,
            by=assignment.juror.user,
            submit=True,
        )
        submitted += 1
    return submitted


@transaction.atomic
def seed_jury_stage(edition: Edition, organiser: User) -> dict:
    """Carry the applications stage of the start-up edition on to its regional selections."""
    if edition.rounds.exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    redate_phases(edition)
    submitted = list(
        edition.applications.filter(state=ApplicationState.SUBMITTED).order_by("reference")
    )
    decide_eligibility(submitted[-1], eligible=False, reason=INELIGIBLE_REASON, by=organiser)
    mark_undecided_eligible(submitted[:-1], by=organiser)

    national = save_round(
        Round(
            edition=edition,
            name="Finale nationale",
            slug=NATIONAL_SLUG,
            kind=RoundKind.NATIONAL,
            promotion_rule=PromotionRule.MANUAL,
            position=len(SELECTIONS) + 1,
        ),
        regions=[],
        criteria=[],
        by=organiser,
    )
    missing, dossiers, assignments, evaluations = [], 0, 0, 0
    for position, selection in enumerate(SELECTIONS, start=1):
        event = hosting_stage(selection)
        if event is None:
            missing.append(selection.event_name)
        regional = save_round(
            Round(
                edition=edition,
                name=selection.name,
                slug=selection.slug,
                kind=RoundKind.REGIONAL,
                event=event,
                # The stage's prize: the best start-up of each theme goes to the final.
                promotion_rule=PromotionRule.TOP_N,
                promotion_count=1,
                next_round=national,
                ends_on=timezone.localdate() + timedelta(days=15),
                position=position,
            ),
            regions=Organisation.objects.filter(
                kind=OrganisationKind.REGION, insee_code=selection.region
            ),
            criteria=[],
            by=organiser,
        )
        fill_round(regional, by=organiser)
        add_jurors(regional, selection.jurors, rng)
        detect_conflicts_for_round(regional, by=organiser)
        assignments += assign_round(regional, per_dossier=PER_DOSSIER, by=organiser).created
        evaluations += submit_half(regional, rng)
        dossiers += regional.entries.count()
    return {
        "dossiers": dossiers,
        "jurors": sum(len(selection.jurors) for selection in SELECTIONS),
        "assignments": assignments,
        "evaluations_submitted": evaluations,
        "missing_events": missing,
    }


def break_ties(deliberation: Deliberation, national: Round) -> None:
    """The rules propose nobody in a theme whose best finalists are tied (one winner at most):
    the jury's president then names the winner, with the reason, as a jury would."""
    level = deliberation.edition.levels.get(code=LEVEL_CODE)
    president = national.jurors.get(is_president=True).user
    decisions = deliberation.decisions.select_related("application", "level", "deliberation")
    awarded = {decision.application.theme_id for decision in decisions if decision.level_id}
    for decision in decisions.order_by("-score", "application__reference"):
        theme = decision.application.theme_id
        if theme in awarded or decision.score is None or decision.score < level.min_score:
            continue
        change_decision(decision, level, TIE_REASON, by=president)
        awarded.add(theme)


@transaction.atomic
def seed_deliberation_stage(edition: Edition, organiser: User) -> dict:
    """The selections concluded (and published on their stages' pages when a stage hosts
    them), the final scored, the deliberation opened on it."""
    if Deliberation.objects.filter(edition=edition).exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    redate(edition, DELIBERATION_OFFSETS)
    national = Round.objects.get(edition=edition, slug=NATIONAL_SLUG)
    regionals = list(
        Round.objects.filter(edition=edition, next_round=national).order_by("position")
    )
    for regional in regionals:
        submit_all(regional, rng)
        promote(regional, organiser)
        if regional.event_id is not None:
            # Announced at the stage: its public page shows who goes on to the final.
            publish_selection(regional, by=organiser)
    fill_round(national, by=organiser)
    copy_jurors(regionals[0], national)
    assign_round(national, per_dossier=PER_DOSSIER, by=organiser)
    submit_all(national, rng, choices=(3, 4, 4, 5))
    deliberation = open_deliberation(edition, national, by=organiser)
    break_ties(deliberation, national)
    return {
        "shortlisted": national.entries.count(),
        "sessions": 0,
        "decisions": deliberation.decisions.count(),
        "labelled": deliberation.decisions.filter(level__isnull=False).count(),
    }
