"""`seed_demo --stage jury`: the applications stage carried on to a selection under way.

On the seeded edition: applications closed, regional selection running; eligibility decided
(two dossiers ineligible, with their reason); a regional round « Grand Ouest » (Bretagne, Pays de
la Loire, Normandie, Centre-Val de Loire) feeding the national round; a jury drawn from the
institutions of the 2024 national jury (seed 001: Intercommunalités de France, DINUM, Banque des
Territoires, ADF, AMF, Toulouse Métropole, Ekitia, Déclic) plus Rennes Métropole and the Région
Bretagne, whose conflicts with the Breton dossiers are detected from the referential; the exact
assignment, three jurors per dossier; then half of the evaluations submitted, so that scores,
progress and eliminations have something to show. Jurors are demo people (the names say so).

Everything goes through the domain functions, so the seed also runs them end to end.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from applications.enums import ApplicationState
from contests.enums import PhaseKind
from contests.models import Edition
from jury.domain.assign import assign_round
from jury.domain.conflicts import detect_conflicts_for_round
from jury.domain.eligibility import decide_eligibility, mark_undecided_eligible
from jury.domain.evaluations import INSUFFICIENT, CriterionMark, save_evaluation
from jury.domain.rounds import fill_round, save_round
from jury.enums import JurorState, PromotionRule, RoundKind
from jury.models import Assignment, Juror, JuryMember, Round
from territories.enums import OrganisationKind
from territories.models import Organisation

SEED = 2027
JUROR_DOMAIN = "jury.demo.palmares.localhost"
# The browser site's "juror" persona: a juror of the regional round, with no conflict.
JUROR_EMAIL = f"banque-des-territoires@{JUROR_DOMAIN}"
REGIONAL_SLUG, NATIONAL_SLUG = "grand-ouest", "national"
GRAND_OUEST = ("53", "52", "28", "24")  # INSEE codes of the régions
PER_DOSSIER = 3
# Named partner institutions (outside the referential) and bodies of the referential (by SIREN,
# or INSEE code for a région).
PARTNERS = (
    "Intercommunalités de France",
    "DINUM",
    "Banque des Territoires",
    "Association des Départements de France",
    "AMF",
    "Ekitia",
    "Déclic",
)
REFERENTIAL_JURORS = (
    ("siren", "243100518"),  # Toulouse Métropole
    ("siren", "243500139"),  # Rennes Métropole
    ("region", "53"),  # Région Bretagne
)
# Days from today at which each phase starts: the regional selection began ten days ago.
PHASE_OFFSETS_DAYS: dict[PhaseKind, int] = {
    PhaseKind.DRAFT: -150,
    PhaseKind.APPLICATIONS_OPEN: -120,
    PhaseKind.APPLICATIONS_CLOSED: -40,
    PhaseKind.REGIONAL_SELECTION: -10,
    PhaseKind.JURY_SCORING: 20,
    PhaseKind.AUDITIONS: 50,
    PhaseKind.DELIBERATION: 65,
    PhaseKind.EMBARGO: 72,
    PhaseKind.PUBLISHED: 85,
    PhaseKind.ARCHIVED: 450,
}
INELIGIBLE_REASON = (
    "Le projet n'a pas encore été mis en œuvre : le règlement demande un projet au moins "
    "expérimenté sur le territoire."
)


def juror_reference(email: str, year: int, round_slug: str) -> uuid.UUID:
    """A demo juror's public reference, fixed by their address, edition and round, so that
    pages have stable URLs."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email}?edition={year}&round={round_slug}")


def redate_phases(edition: Edition) -> None:
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    for phase in edition.phases.all():
        day = today + timedelta(days=PHASE_OFFSETS_DAYS[PhaseKind(phase.kind)])
        phase.starts_at = datetime.combine(day, time(9), tzinfo=zone)
        phase.save(update_fields=["starts_at"])


def institutions() -> list[tuple[str, Organisation | None]]:
    """(label for the e-mail, organisation of the referential or None) for each juror."""
    found: list[tuple[str, Organisation | None]] = [(name, None) for name in PARTNERS]
    for key, code in REFERENTIAL_JURORS:
        if key == "siren":
            body = Organisation.objects.get(siren=code, from_referential=True)
        else:
            body = Organisation.objects.get(kind=OrganisationKind.REGION, insee_code=code)
        found.append((body.name, body))
    return found


@transaction.atomic
def add_demo_juror(
    round_: Round,
    *,
    email: str,
    label: str,
    body: Organisation | None = None,
    capacity_max: int | None = None,
    is_president: bool,
    themes: list,
) -> Juror:
    """A demo juror of `round_` who accepted the edition's jury (account made if needed), for
    an institution of the referential (`body`) or a named partner (`label`); the same for every
    contest's demo. The load is the fair share unless `capacity_max` sets a maximum."""
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": f"Juré·e démo – {label}", "email_confirmed_at": timezone.now()},
    )
    member, _created = JuryMember.objects.get_or_create(
        edition=round_.edition,
        email=email,
        defaults={
            "user": user,
            "full_name": user.full_name,
            "institution": body,
            "institution_name": "" if body else label,
            "state": JurorState.ACCEPTED,
            "answered_at": timezone.now(),
        },
    )
    juror = Juror.objects.create(
        round=round_,
        member=member,
        reference=juror_reference(email, round_.edition.year, round_.slug),
        user=member.user,
        email=email,
        full_name=member.full_name,
        institution=member.institution,
        institution_name=member.institution_name,
        capacity_max=capacity_max,
        is_president=is_president,
        state=member.state,
    )
    juror.themes.set(themes)
    return juror


def seed_jury_stage(edition: Edition, organiser: User) -> dict[str, int]:
    """Carry the applications stage of `edition` on to the jury stage (see module doc)."""
    if edition.rounds.exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    redate_phases(edition)

    submitted = list(
        edition.applications.filter(state=ApplicationState.SUBMITTED).order_by("reference")
    )
    for application in submitted[-2:]:
        decide_eligibility(application, eligible=False, reason=INELIGIBLE_REASON, by=organiser)
    mark_undecided_eligible(submitted[:-2], by=organiser)

    national = save_round(
        Round(
            edition=edition,
            name="Jury national",
            slug=NATIONAL_SLUG,
            kind=RoundKind.NATIONAL,
            promotion_rule=PromotionRule.MANUAL,
            position=2,
        ),
        regions=[],
        criteria=[],
        by=organiser,
    )
    regional = save_round(
        Round(
            edition=edition,
            name="Sélection régionale Grand Ouest",
            slug=REGIONAL_SLUG,
            kind=RoundKind.REGIONAL,
            promotion_rule=PromotionRule.TOP_N,
            promotion_count=2,
            next_round=national,
            ends_on=timezone.localdate() + timedelta(days=15),
            position=1,
        ),
        regions=Organisation.objects.filter(
            kind=OrganisationKind.REGION, insee_code__in=GRAND_OUEST
        ),
        criteria=[],
        by=organiser,
    )
    fill_round(regional, by=organiser)

    themes = list(edition.themes.all())
    for index, (label, body) in enumerate(institutions()):
        email = (
            JUROR_EMAIL
            if label == "Banque des Territoires"
            else (f"{slugify(label)}@{JUROR_DOMAIN}")
        )
        # The browser's juror is an expert of every theme, so that the solver gives them work.
        add_demo_juror(
            regional,
            email=email,
            label=label,
            body=body,
            is_president=index == 0,
            themes=themes if email == JUROR_EMAIL else rng.sample(themes, min(2, len(themes))),
        )
    detect_conflicts_for_round(regional, by=organiser)
    outcome = assign_round(regional, per_dossier=PER_DOSSIER, by=organiser)

    # Every other evaluation submitted (in reference order), the rest left to do; the browser's
    # juror has sent their first and not the others, whatever the solver gave them.
    criteria = list(edition.criteria.order_by("position"))
    assignments = list(
        Assignment.objects.filter(juror__round=regional)
        .select_related("juror__user", "juror__round__edition", "application")
        .order_by("application__reference", "juror__full_name")
    )
    persona = [a for a in assignments if a.juror.user.email == JUROR_EMAIL]
    submitted_count = 0
    for number, assignment in enumerate(assignments):
        if assignment in persona:
            if assignment != persona[0]:
                continue
        elif number % 2:
            continue
        marks = {
            criterion.pk: CriterionMark(value=str(rng.choice((2, 3, 3, 4, 4, 5))))
            for criterion in criteria
        }
        if number == 0 and criteria:
            marks[criteria[-1].pk] = CriterionMark(
                value=INSUFFICIENT,
                comment="Aucune mesure de l'impact climatique du service n'est présentée.",
            )
        save_evaluation(
            assignment,
            marks,
            "Un projet solide, bien documenté.",
            expected_version=0,
            by=assignment.juror.user,
            submit=True,
        )
        submitted_count += 1
    return {
        "dossiers": regional.entries.count(),
        "jurors": len(PARTNERS) + len(REFERENTIAL_JURORS),
        "assignments": outcome.created,
        "evaluations_submitted": submitted_count,
    }
