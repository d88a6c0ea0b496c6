"""An edition of the Label deliberated on the platform, with everything its documents print.

Arranged directly with factories (the deliberation and publication have their own tests): the
2028 edition, its Forum in Lyon, two themes, two criteria, an audition round with three accepted
jurors (two from the DINUM, spelled differently) and one who declined, two sessions, four
received dossiers and a draft, the decisions and the awards published from them.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import rules
from django.utils import timezone

from accounts.rules import is_organiser
from applications.enums import ApplicationState
from applications.models import Application, Transition
from awards.enums import DeliberationState
from awards.models import Award, Decision, Deliberation
from contests import activity
from contests.models import Contest, Edition
from jury.enums import ConflictStatus, EvaluationState, JurorState, RoundKind
from jury.models import Audition, AuditionSession, Juror, JurorAttendance
from territories.models import Organisation
from tests.catalogue.builders import make_edition
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    AwardFactory,
    AwardOrganisationFactory,
    CriterionFactory,
    EventFactory,
    PhaseFactory,
    ThemeFactory,
)
from tests.jury.factories import (
    AssignmentFactory,
    ConflictFactory,
    EvaluationFactory,
    JurorFactory,
    RoundFactory,
)

# The minutes' permission belongs in awards/rules.py (asked of the lead); registered here only
# while that file does not name it, so that these tests run either way.
if not rules.perm_exists("awards.view_minutes"):
    rules.add_perm("awards.view_minutes", is_organiser)

PARIS = ZoneInfo("Europe/Paris")
YEAR = 2028
GOLD_TITLE = "Ambassad'Ondes, balade des ondes"
GOLD_SLUG = "2028-ambassad-ondes"
ARGENT_TITLE = "Guichet *unique* des associations"
ARGENT_SLUG = "2028-guichet-unique"
NOT_AWARDED_TITLE = "Capteurs de qualité de l'air"
CHANGE_REASON = "Projet exemplaire pour les petites communes."
CONFLICT_REASON = "J'ai conseillé l'équipe du projet."


@dataclass
class Published:
    edition: Edition
    deliberation: Deliberation
    gold: Award
    argent: Award
    president: Juror
    juror: Juror  # accepted, not president
    gold_dossier: Application
    argent_dossier: Application
    not_awarded: Application


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(YEAR, 3, day, hour, minute, tzinfo=PARIS)


def build(*, results_public: bool = True, validated: bool = True) -> Published:
    label = Contest.objects.get(slug="label-territoire-innovant")
    forum = EventFactory(
        name=f"Forum des Interconnectés {YEAR}",
        slug=f"forum-{YEAR}",
        city="Lyon",
        venue="Hôtel de Ville",
        starts_on=date(YEAR, 4, 5),
        ends_on=date(YEAR, 4, 6),
        participants=900,
    )
    edition, levels = make_edition(label, YEAR, forum=forum)
    PhaseFactory(
        edition=edition,
        kind="published" if results_public else "embargo",
        starts_at=timezone.now() - timedelta(days=1),
        results_public=results_public,
    )
    inclusion = ThemeFactory(edition=edition, name="Inclusion numérique", position=1)
    data = ThemeFactory(edition=edition, name="Gestion des données", position=2)
    CriterionFactory(edition=edition, name="La reproductibilité", position=2)
    CriterionFactory(edition=edition, name="L'innovation", position=1)
    auditions = RoundFactory(
        edition=edition, name="Auditions", slug="auditions", kind=RoundKind.AUDITION
    )
    president = JurorFactory(
        round=auditions, full_name="Claire Martin", institution_name="DINUM", is_president=True
    )
    juror = JurorFactory(
        round=auditions, full_name="Paul Durand", institution_name="Banque des Territoires"
    )
    ines = JurorFactory(round=auditions, full_name="Inès Petit", institution_name="dinum ")
    JurorFactory(
        round=auditions, full_name="Marc Roux", institution_name="Ekitia", state=JurorState.DECLINED
    )

    def dossier(number: int, insee: str, title: str, theme, state: str) -> Application:
        return ApplicationFactory(
            edition=edition,
            reference=f"LTI-{YEAR}-{number:04d}",
            lead_organisation=Organisation.objects.get(kind="commune", insee_code=insee),
            title=title,
            theme=theme,
            state=state,
        )

    gold_dossier = dossier(1, "35238", GOLD_TITLE, inclusion, ApplicationState.AWARDED)
    ApplicationPartnerFactory(
        application=gold_dossier,
        organisation=Organisation.objects.get(siren="243500139"),  # Rennes Métropole
        position=0,
    )
    argent_dossier = dossier(2, "29019", ARGENT_TITLE, data, ApplicationState.AWARDED)
    not_awarded = dossier(3, "44109", NOT_AWARDED_TITLE, inclusion, ApplicationState.NOT_AWARDED)
    Transition.objects.create(
        application=not_awarded,
        from_state=ApplicationState.SHORTLISTED,
        to_state=ApplicationState.AUDITIONED,
        at=paris(10, 10),
    )
    dossier(4, "29232", "Nids-de-poule signalés", data, ApplicationState.ELIMINATED)
    dossier(5, "69123", "Brouillon lyonnais", data, ApplicationState.DRAFT)

    morning = AuditionSession.objects.create(
        round=auditions, name="Séance 1", starts_at=paris(10, 9), ends_at=paris(10, 12)
    )
    afternoon = AuditionSession.objects.create(
        round=auditions, name="Séance 2", starts_at=paris(11, 14), ends_at=paris(11, 17)
    )
    for session, jurors in ((morning, (president, juror)), (afternoon, (president, ines))):
        for member in jurors:
            JurorAttendance.objects.create(session=session, juror=member)
    for session, application, start in (
        (morning, gold_dossier, paris(10, 9)),
        (morning, not_awarded, paris(10, 9, 25)),
        (afternoon, argent_dossier, paris(11, 14)),
    ):
        Audition.objects.create(
            round=auditions,
            application=application,
            session=session,
            starts_at=start,
            ends_at=start + timedelta(minutes=20),
        )
    # Inès is in conflict with the gold dossier (in force); Paul's conflict with the argent one
    # was dismissed. Paul sent nothing on the gold dossier, Claire only a draft on the argent one.
    ConflictFactory(juror=ines, application=gold_dossier, reason=CONFLICT_REASON)
    ConflictFactory(juror=juror, application=argent_dossier, status=ConflictStatus.DISMISSED)
    EvaluationFactory(
        assignment=AssignmentFactory(juror=president, application=gold_dossier),
        state=EvaluationState.SUBMITTED,
    )
    AssignmentFactory(juror=juror, application=gold_dossier)
    AssignmentFactory(juror=ines, application=gold_dossier)
    EvaluationFactory(assignment=AssignmentFactory(juror=president, application=argent_dossier))
    EvaluationFactory(
        assignment=AssignmentFactory(juror=juror, application=argent_dossier),
        state=EvaluationState.SUBMITTED,
    )

    validator = president.user
    validator.full_name = "Claire Martin"
    validator.save(update_fields=["full_name"])
    entry = activity.record(edition, "deliberation_validated", by=validator, subject="auditions")
    deliberation = Deliberation.objects.create(
        edition=edition,
        round=auditions,
        state=DeliberationState.PUBLISHED if validated else DeliberationState.OPEN,
        validated_by=validator if validated else None,
        validated_at=paris(20, 18, 30) if validated else None,
        log_fingerprint=entry.entry_hash if validated else "",
        published_at=paris(21, 10) if validated else None,
    )
    decide = {"decided_by": validator, "decided_at": paris(20, 17, 45)}
    Decision.objects.create(
        deliberation=deliberation,
        application=gold_dossier,
        score=Decimal("4.25"),
        lower=Decimal("3.9"),
        upper=Decimal("4.6"),
        proposed_level=levels["or"],
        level=levels["or"],
    )
    Decision.objects.create(
        deliberation=deliberation,
        application=argent_dossier,
        score=Decimal("3.1"),
        proposed_level=levels["bronze"],
        level=levels["argent"],
        reason=CHANGE_REASON,
        **decide,
    )
    Decision.objects.create(
        deliberation=deliberation, application=not_awarded, score=Decimal("2"), lower=None
    )

    def award(application, title, slug, level, theme, partners=()) -> Award:
        award = AwardFactory(
            edition=edition,
            application=application,
            title=title,
            slug=slug,
            level=level,
            theme=theme,
        )
        for position, organisation in enumerate([application.lead_organisation, *partners]):
            AwardOrganisationFactory(
                award=award,
                organisation=organisation,
                role="lead" if position == 0 else "partner",
                position=position,
                published_name=organisation.name,
            )
        return award

    gold = award(
        gold_dossier,
        GOLD_TITLE,
        GOLD_SLUG,
        levels["or"],
        inclusion,
        partners=[Organisation.objects.get(siren="243500139")],
    )
    argent = award(argent_dossier, ARGENT_TITLE, ARGENT_SLUG, levels["argent"], data)
    return Published(
        edition=edition,
        deliberation=deliberation,
        gold=gold,
        argent=argent,
        president=president,
        juror=juror,
        gold_dossier=gold_dossier,
        argent_dossier=argent_dossier,
        not_awarded=not_awarded,
    )
