"""The large edition of bench/large_edition.py, built through the domain functions.

On a database with the real referential: an edition of the Label « Territoire Innovant » (YEAR)
whose 2,015 dossiers are led by the most populous communes and EPCI of the referential, each
written by a demo agent of its structure (demo.collectivites: the agent, a complete content, a
co-porteur for one dossier in three) — created, saved and submitted by the applicants' domain
functions (applications.domain); 78 declared ineligible, the others eligible
(jury.domain.eligibility); a national round of the 1,937 eligible dossiers, feeding an
auditions round (jury.domain.rounds); 150 jurors invited and accepting (jury.domain.jurors:
conflicts detected from the referential at each step) — the régions, some départements and
EPCI of the referential, and named partner institutions; the optimal assignment, three jurors
per dossier (jury.domain.assign); then 4,800 evaluations submitted (jury.domain.evaluations).

Written directly, as seed_demo does, where no domain function exists: the organiser's and the
jurors' accounts, the demo agents' memberships (demo.collectivites.demo_agent), the themes and
the phases' dates. Deterministic (random.Random(SEED)); everything in one transaction.

`redate` puts the edition in its jury-scoring phase relative to today: the measuring run calls
it on every run, so that a database built on another day is still in that phase.
"""

import random
from datetime import datetime, time, timedelta

YEAR = 2045  # an edition year no other benchmark, demo or import uses
SEED = 2045
DOSSIERS = 2_015
INELIGIBLE = 78
JURORS = 150
PER_DOSSIER = 3
CAPACITY = 45  # dossiers at most per juror: 150 × 45 leaves the solver room
EVALUATIONS = 4_800
ORGANISER_EMAIL = "organisation.grande-edition@palmares.localhost"
JUROR_DOMAIN = "jury.grande-edition.palmares.localhost"
# Jurors from the referential (the rest are named partner institutions): every région, then
# the most populous départements and EPCI that lead no dossier.
DEPARTEMENT_JURORS = 20
EPCI_JURORS = 20
NATIONAL_SLUG, AUDITIONS_SLUG = "national", "auditions"
INELIGIBLE_REASON = (
    "Le projet n'a pas encore été expérimenté sur le territoire (règlement, art. 3)."
)
# Days from today at which each phase starts: the national jury is scoring.
SCORING_OFFSETS_DAYS = {
    "draft": -200,
    "applications_open": -170,
    "applications_closed": -60,
    "regional_selection": -40,
    "jury_scoring": -10,
    "auditions": 30,
    "deliberation": 50,
    "embargo": 60,
    "published": 70,
    "archived": 400,
}
# While the dossiers are made: applications open (since 30 days), every later phase ahead.
APPLICATIONS_OFFSETS_DAYS = {
    "draft": -60,
    "applications_open": -30,
    "applications_closed": 30,
    "regional_selection": 45,
    "jury_scoring": 60,
    "auditions": 90,
    "deliberation": 105,
    "embargo": 112,
    "published": 125,
    "archived": 490,
}


def redate(edition, offsets: dict[str, int]) -> None:
    """Date the edition's phases `offsets` days from today (at 9:00, Paris time)."""
    from django.utils import timezone

    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    for phase in edition.phases.all():
        day = today + timedelta(days=offsets[phase.kind])
        phase.starts_at = datetime.combine(day, time(9), tzinfo=zone)
        # A new edition's call is unpublished (contests.call): the bench's is open.
        phase.may_apply = phase.kind == "applications_open"
        phase.save(update_fields=["starts_at", "may_apply"])


def organiser():
    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email=ORGANISER_EMAIL,
        defaults={"full_name": "Organisation (grande édition)", "is_organiser": True},
    )
    return user


def build() -> dict[str, int]:
    """Build the edition (module docstring); the counts of what was made."""
    from django.db import transaction

    with transaction.atomic():
        edition = _edition()
        applications = _dossiers(edition)
        redate(edition, SCORING_OFFSETS_DAYS)
        national = _rounds(edition, applications)
        _jurors(national)
        assigned = _assign(national)
        evaluated = _evaluate(national)
    from jury.models import Conflict

    return {
        "dossiers": len(applications),
        "entries": national.entries.count(),
        "jurors": national.jurors.count(),
        "conflicts": Conflict.objects.filter(member__jurors__round=national).count(),
        "assignments": assigned,
        "evaluations": evaluated,
    }


def _edition():
    from django.utils.text import slugify

    from contests import defaults
    from contests import domain as contests_domain
    from contests.models import Contest, Theme
    from demo.collectivites import themes_2024

    contest = Contest.objects.get(slug=defaults.LABEL_TERRITOIRE_INNOVANT)
    edition = contests_domain.create_edition(contest, YEAR, by=organiser())
    Theme.objects.bulk_create(
        Theme(edition=edition, name=name, slug=slugify(name), position=position)
        for position, name in enumerate(themes_2024(), start=1)
    )
    redate(edition, APPLICATIONS_OFFSETS_DAYS)
    return edition


def leads() -> list:
    """The DOSSIERS most populous communes and EPCI of the referential (one dossier each)."""
    from territories.enums import OrganisationKind
    from territories.models import Organisation

    kinds = [OrganisationKind.COMMUNE, *OrganisationKind.epci_kinds()]
    found = list(
        Organisation.objects.filter(kind__in=kinds, from_referential=True, population__isnull=False)
        .select_related("epci", "departement__region", "region")
        .order_by("-population", "slug")[:DOSSIERS]
    )
    if len(found) < DOSSIERS:
        raise RuntimeError("The referential is missing: run import_territories first.")
    return found


def _dossiers(edition) -> list:
    from applications import domain
    from contests.models import Edition
    from demo.collectivites import content, demo_agent

    rng = random.Random(SEED)  # noqa: S311 - deterministic synthetic data, not a secret
    edition = (
        Edition.objects.select_related("contest").prefetch_related("phases").get(pk=edition.pk)
    )
    applications = []
    for index, organisation in enumerate(leads()):
        agent = demo_agent(organisation)
        application = domain.create_application(edition, organisation, by=agent)
        changes = content(index, organisation, edition, rng)
        application = domain.save_draft(
            application, changes, expected_version=application.version, by=agent
        )
        applications.append(domain.submit_application(application, by=agent))
    return applications


def _rounds(edition, applications: list):
    from jury.domain.eligibility import decide_eligibility, mark_undecided_eligible
    from jury.domain.rounds import fill_round, save_round
    from jury.enums import PromotionRule, RoundKind
    from jury.models import Round

    by = organiser()
    # Every 26th dossier is ineligible: 78 of 2,015, spread over the list.
    ineligible = applications[13 :: DOSSIERS // INELIGIBLE][:INELIGIBLE]
    for application in ineligible:
        decide_eligibility(application, eligible=False, reason=INELIGIBLE_REASON, by=by)
    rejected = {application.pk for application in ineligible}
    mark_undecided_eligible([a for a in applications if a.pk not in rejected], by=by)
    auditions = save_round(
        Round(
            edition=edition,
            name="Auditions du jury national",
            slug=AUDITIONS_SLUG,
            kind=RoundKind.AUDITION,
            promotion_rule=PromotionRule.MANUAL,
            position=2,
        ),
        regions=[],
        criteria=[],
        by=by,
    )
    national = save_round(
        Round(
            edition=edition,
            name="Jury national",
            slug=NATIONAL_SLUG,
            kind=RoundKind.NATIONAL,
            promotion_rule=PromotionRule.TOP_N,
            promotion_count=5,
            next_round=auditions,
            position=1,
        ),
        regions=[],
        criteria=[],
        by=by,
    )
    fill_round(national, by=by)
    return national


def juror_institutions() -> list[tuple[str, object]]:
    """(label, organisation of the referential or None) of each of the JURORS jurors."""
    from applications.models import Application
    from territories.enums import OrganisationKind
    from territories.models import Organisation

    leading = Application.objects.filter(edition__year=YEAR).values("lead_organisation")
    bodies = list(Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("insee_code"))
    bodies += Organisation.objects.filter(kind=OrganisationKind.DEPARTEMENT).order_by(
        "-population", "insee_code"
    )[:DEPARTEMENT_JURORS]
    bodies += (
        Organisation.objects.filter(
            kind__in=OrganisationKind.epci_kinds(), from_referential=True, population__isnull=False
        )
        .exclude(pk__in=leading)
        .order_by("-population", "slug")[:EPCI_JURORS]
    )
    found: list[tuple[str, object]] = [(body.name, body) for body in bodies]
    partners = JURORS - len(found)
    found += [(f"Institution partenaire n° {number}", None) for number in range(1, partners + 1)]
    return found


def _jurors(national) -> None:
    from django.utils import timezone

    from accounts.models import User
    from jury.domain.invitations import accept_invitation
    from jury.domain.jurors import invite_juror
    from jury.models import Juror

    rng = random.Random(SEED + 1)  # noqa: S311 - deterministic synthetic data, not a secret
    by = organiser()
    themes = list(national.edition.themes.order_by("position"))
    for number, (label, body) in enumerate(juror_institutions(), start=1):
        email = f"jure-{number:03d}@{JUROR_DOMAIN}"
        full_name = f"Juré·e {number:03d} – {label}"[:150]
        juror = Juror(
            round=national,
            email=email,
            full_name=full_name,
            institution=body,
            institution_name="" if body else label,
            capacity_max=CAPACITY,
            is_president=number == JURORS,  # a partner institution's juror, in no conflict
        )
        invite_juror(juror, rng.sample(themes, 2), by=by, base_url="http://testserver")
        # No domain function creates a juror's account without a password typed on the
        # invitation page (accept_with_new_account hashes one): created directly, as the demo.
        user = User.objects.create(email=email, full_name=full_name)
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        accept_invitation(juror.member, user)


def _assign(national) -> int:
    from jury.domain.assign import assign_round

    return assign_round(national, per_dossier=PER_DOSSIER, by=organiser()).created


def _evaluate(national) -> int:
    """Submit the first EVALUATIONS assignments (by dossier, then juror); one in forty has a
    criterion judged insufficient (which eliminates the dossier)."""
    from jury.domain.evaluations import INSUFFICIENT, CriterionMark, round_criteria, save_evaluation
    from jury.models import Assignment

    rng = random.Random(SEED + 2)  # noqa: S311 - deterministic synthetic data, not a secret
    criteria = round_criteria(national)
    assignments = (
        Assignment.objects.filter(juror__round=national)
        .select_related("juror__user", "juror__round__edition", "application")
        .order_by("application__reference", "juror__full_name")[:EVALUATIONS]
    )
    done = 0
    for number, assignment in enumerate(assignments):
        marks = {
            c.pk: CriterionMark(value=str(rng.choice((1, 2, 3, 3, 4, 4, 5)))) for c in criteria
        }
        if number % 40 == 7:
            marks[criteria[-1].pk] = CriterionMark(
                value=INSUFFICIENT, comment="L'impact climatique du service n'est pas mesuré."
            )
        save_evaluation(
            assignment,
            marks,
            "Dossier examiné pour le banc d'essai de la grande édition.",
            expected_version=0,
            by=assignment.juror.user,
            submit=True,
        )
        done += 1
    return done
