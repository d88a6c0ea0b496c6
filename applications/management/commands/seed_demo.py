"""`manage.py seed_demo --stage applications`: a realistic edition in its applications phase.

Builds the Label Territoire Innovant edition of next year (or `--year`) with the six 2024 themes
(data/editions.csv), its applications phase running now, and 45 dossiers led by real
collectivités of the referential, each with one demo agent. Dossiers go through the real domain
functions (create, save the draft, submit), so the seed is also an end-to-end check of them.

Running it again on a seeded edition changes nothing; an existing edition without dossiers (one
an organiser set up by hand) is refused rather than re-dated.
"""

import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.enums import MembershipState
from accounts.models import Membership, User
from applications import domain
from applications.models import Application
from contests import defaults
from contests import domain as contests_domain
from contests.enums import PhaseKind
from contests.models import Contest, Edition, Theme
from territories.domain import communes_of, epci_of
from territories.enums import OrganisationKind
from territories.models import Organisation

STAGES = ("applications", "jury", "deliberation", "published")
DOSSIERS = 45
SUBMITTED = 30
PER_REGION = 4
SEED = 2024
ORGANISER_EMAIL = "organisation.demo@palmares.localhost"
AGENT_DOMAIN = "demo.palmares.localhost"
# Lead of the first dossier: the browser site's "applicant" persona acts for Rennes, so the
# dossier pages have one to show. Brest (the "other applicant") leads none.
FIRST_LEAD = ("commune", "35238")
LEFT_OUT = (("commune", "29019"),)

# Days from today at which each phase starts; applications close in 30 days at noon.
PHASE_OFFSETS_DAYS: dict[PhaseKind, int] = {
    PhaseKind.DRAFT: -60,
    PhaseKind.APPLICATIONS_OPEN: -30,
    PhaseKind.APPLICATIONS_CLOSED: 30,
    PhaseKind.REGIONAL_SELECTION: 45,
    PhaseKind.JURY_SCORING: 60,
    PhaseKind.AUDITIONS: 90,
    PhaseKind.DELIBERATION: 105,
    PhaseKind.EMBARGO: 112,
    PhaseKind.PUBLISHED: 125,
    PhaseKind.ARCHIVED: 490,
}

# Demo projects, six per theme of 2024 (stored French content, like the themes themselves).
PROJECTS: tuple[tuple[str, ...], ...] = (
    (
        "Conseillers numériques itinérants",
        "Ateliers numériques en médiathèque",
        "Un bus France Services dans les hameaux",
        "Reconditionnement d'ordinateurs pour les familles",
        "Permanences d'aide aux démarches en ligne",
        "Pass numérique pour les seniors",
        "Tablettes prêtées aux résidents des EHPAD",
        "Formation des agents d'accueil au numérique",
    ),
    (
        "Budget participatif en ligne",
        "Plateforme de concertation citoyenne",
        "Conseil des jeunes connecté",
        "Signalements de voirie par les habitants",
        "Assemblée citoyenne du climat",
        "Cartographie participative des sentiers",
        "Votation citoyenne sur les aménagements",
        "Carnet de quartier collaboratif",
    ),
    (
        "Guichet unique des démarches",
        "Prise de rendez-vous en ligne en mairie",
        "Site internet accessible RGAA",
        "Accueil téléphonique en langue des signes",
        "Portail famille pour l'école et la cantine",
        "Démarches d'urbanisme dématérialisées",
        "Application d'information voyageurs",
        "Sous-titrage des conseils municipaux",
    ),
    (
        "Parapheur électronique partagé",
        "Gestion électronique des courriers",
        "Télétravail sécurisé des agents",
        "Archivage électronique mutualisé",
        "Logiciel libre de gestion des salles",
        "Marchés publics dématérialisés",
        "Intranet collaboratif des services",
        "Automatisation des actes administratifs",
    ),
    (
        "Portail de données ouvertes",
        "Observatoire territorial des données",
        "Base adresse locale certifiée",
        "Inventaire ouvert des équipements sportifs",
        "Données de fréquentation des transports",
        "Entrepôt de données énergétiques",
        "Plan de voirie numérique partagé",
        "Catalogue de données des communes membres",
    ),
    (
        "Capteurs de qualité de l'air dans les écoles",
        "Éclairage public intelligent",
        "Télérelève des compteurs d'eau",
        "Jumeau numérique du territoire",
        "Gestion connectée des déchets",
        "Pilotage énergétique des bâtiments publics",
        "Arrosage raisonné des espaces verts",
        "Sobriété numérique des services",
    ),
)


def themes_2024() -> list[str]:
    """The six themes of 2024, as data/editions.csv lists them."""
    with (Path(settings.BASE_DIR) / "data" / "editions.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["year"] == "2024":
                return [name.strip() for name in row["themes"].split("|") if name.strip()]
    raise CommandError(_("data/editions.csv n'a pas de ligne 2024."))


def pick_organisations(count: int) -> list[Organisation]:
    """`count` real collectivités, the same on every run: the most populous communes and EPCI
    of each région, sampled with a fixed seed; Rennes first."""
    kinds = [OrganisationKind.COMMUNE, *OrganisationKind.epci_kinds()]
    first = Organisation.objects.get(kind=FIRST_LEAD[0], insee_code=FIRST_LEAD[1])
    left_out = [first.pk] + [
        pk
        for kind, code in LEFT_OUT
        for pk in Organisation.objects.filter(kind=kind, insee_code=code).values_list(
            "pk", flat=True
        )
    ]
    pool: list[Organisation] = []
    for region in Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("insee_code"):
        pool += (
            Organisation.objects.filter(
                region=region, kind__in=kinds, from_referential=True, population__isnull=False
            )
            .exclude(pk__in=left_out)
            .order_by("-population", "slug")[:PER_REGION]
        )
    if len(pool) < count - 1:
        raise CommandError(_("Le référentiel est incomplet : lancez d'abord import_territories."))
    # A fixed seed, not a secret: the same demo on every run.
    return [first, *random.Random(SEED).sample(pool, count - 1)]  # noqa: S311


def demo_agent(organisation: Organisation) -> User:
    """One confirmed agent per structure. Memberships are arranged directly, not requested:
    the seed is about dossiers, and a request would email a decision to a fake address."""
    user, _created = User.objects.get_or_create(
        email=f"agent.{organisation.slug}@{AGENT_DOMAIN}",
        defaults={"full_name": f"Agent de démonstration – {organisation.name}"[:150]},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"state": MembershipState.CONFIRMED, "decided_at": timezone.now()},
    )
    return user


def partner_of(organisation: Organisation) -> Organisation | None:
    """A plausible co-porteur: a commune's EPCI, or an EPCI's largest member commune."""
    if organisation.kind == OrganisationKind.COMMUNE:
        return epci_of(organisation)
    return communes_of(organisation).order_by("-population").first()


def content(index: int, organisation: Organisation, edition: Edition, rng: random.Random) -> dict:
    """The `save_draft` changes of demo dossier `index` (complete)."""
    themes = list(edition.themes.order_by("position"))
    theme = themes[index % len(themes)]
    title = PROJECTS[index % len(PROJECTS)][(index // len(PROJECTS)) % 8]
    stage = ("idea", "pilot", "deployed")[index % 3]
    started = date(2024, 1 + index % 12, 1)
    return {
        "theme": theme,
        "title": title,
        "summary": f"{title} : un projet de {organisation.name} pour le thème « {theme.name} ».",
        "description": (
            f"{organisation.name} mène le projet « {title} ». Il répond à un besoin exprimé par "
            "les habitants et les services, avec une démarche ouverte et documentée."
        ),
        "project_stage": stage,
        "started_on": started if stage != "idea" else None,
        "deployed_on": started + timedelta(days=180) if stage == "deployed" else None,
        "budget_euros": rng.randrange(5, 400) * 1000,
        "funding": "Fonds propres et subvention régionale.",
        "audience": "Habitants du territoire et agents des services.",
        "indicators": f"{rng.randrange(100, 5000)} usagers touchés la première année.",
        "licence": "EUPL 1.2" if index % 4 == 0 else "",
        "contact_name": f"Chargé·e de projet – {organisation.name}"[:150],
        "contact_email": f"projet.{organisation.slug}@{AGENT_DOMAIN}",
        "criterion_answers": {
            criterion.pk: f"{title} : {criterion.name.lower()} — {criterion.description}"
            for criterion in edition.criteria.all()
        },
    }


class Command(BaseCommand):
    help = (
        "Construit des données de démonstration jusqu'à une étape de la campagne : "
        "« applications » (candidatures ouvertes, 45 dossiers) ou « jury » (recevabilité faite, "
        "sélection régionale en cours, jurés affectés, une partie des notes)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stage",
            required=True,
            help="Étape à atteindre : applications, jury, deliberation ou published.",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Année de l'édition (par défaut : l'an prochain).",
        )

    def handle(self, *args, stage: str, year: int | None, **options) -> None:
        if stage not in STAGES:
            raise CommandError(
                _(
                    "Étape inconnue ou pas encore disponible : « %(stage)s ». "
                    "Étapes disponibles : %(stages)s."
                )
                % {"stage": stage, "stages": ", ".join(STAGES)}
            )
        year = year or timezone.localdate().year + 1
        contest = Contest.objects.get(slug=defaults.LABEL_TERRITOIRE_INNOVANT)
        edition = Edition.objects.filter(contest=contest, year=year).first()
        if edition is not None:
            count = Application.objects.filter(edition=edition).count()
            if count:
                if stage != "applications":
                    self.later_stages(edition, stage)
                    return
                message = _("L'édition %(edition)s a déjà %(count)s dossiers : rien à faire.")
                self.stdout.write(message % {"edition": edition, "count": count})
                return
            raise CommandError(
                _(
                    "L'édition %(edition)s existe déjà, sans dossier : elle n'a pas été "
                    "modifiée. Choisissez une autre année avec --year."
                )
                % {"edition": edition}
            )
        # One transaction: a failure leaves nothing half-built; receipts go after the commit.
        with transaction.atomic():
            edition = self.build_edition(contest, year)
            submitted = self.build_dossiers(edition)
        day, hour = domain.format_paris(domain.submission_deadline(edition))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Édition %(edition)s : %(count)s dossiers, dont %(submitted)s déposés ; "
                    "dépôt ouvert jusqu'au %(date)s à %(time)s (heure de Paris)."
                )
                % {
                    "edition": edition,
                    "count": DOSSIERS,
                    "submitted": submitted,
                    "date": day,
                    "time": hour,
                }
            )
        )

        if stage != "applications":
            self.later_stages(edition, stage)

    def later_stages(self, edition: Edition, stage: str) -> None:
        """Run each stage after « applications » up to `stage`; each one is idempotent."""
        for later in STAGES[1 : STAGES.index(stage) + 1]:
            getattr(self, f"{later}_stage")(edition)

    def jury_stage(self, edition: Edition) -> None:
        from jury.seeding import seed_jury_stage

        summary = seed_jury_stage(edition, self.organiser())
        if not summary:
            self.stdout.write(
                _("L'édition %(edition)s a déjà ses tours de sélection.") % {"edition": edition}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Sélection régionale en cours : %(dossiers)s dossiers, %(jurors)s jurés, "
                    "%(assignments)s affectations, %(evaluations)s évaluations envoyées."
                )
                % {
                    "dossiers": summary["dossiers"],
                    "jurors": summary["jurors"],
                    "assignments": summary["assignments"],
                    "evaluations": summary["evaluations_submitted"],
                }
            )
        )

    def build_edition(self, contest: Contest, year: int) -> Edition:
        organiser, _created = User.objects.get_or_create(
            email=ORGANISER_EMAIL,
            defaults={"full_name": "Organisation (démonstration)", "is_organiser": True},
        )
        edition = contests_domain.create_edition(contest, year, by=organiser)
        Theme.objects.bulk_create(
            Theme(edition=edition, name=name, slug=slugify(name), position=position)
            for position, name in enumerate(themes_2024(), start=1)
        )
        # Re-date the default calendar around today, so that applications are open now.
        today = timezone.localdate()
        zone = timezone.get_default_timezone()
        for phase in edition.phases.all():
            day = today + timedelta(days=PHASE_OFFSETS_DAYS[PhaseKind(phase.kind)])
            hour = time(12) if phase.kind == PhaseKind.APPLICATIONS_CLOSED else time(9)
            phase.starts_at = datetime.combine(day, hour, tzinfo=zone)
            phase.save(update_fields=["starts_at"])
        return edition

    def build_dossiers(self, edition: Edition) -> int:
        rng = random.Random(SEED)  # noqa: S311 (demo figures, not a secret)
        submitted = 0
        edition = Edition.objects.prefetch_related("phases").get(pk=edition.pk)
        for index, organisation in enumerate(pick_organisations(DOSSIERS)):
            agent = demo_agent(organisation)
            application = domain.create_application(edition, organisation, by=agent)
            changes = content(index, organisation, edition, rng)
            partner = partner_of(organisation) if index % 3 == 0 else None
            if partner is not None:
                changes["partners"] = [partner]
            if DOSSIERS - SUBMITTED - 5 <= index < DOSSIERS - SUBMITTED:
                # A few drafts are still being written.
                changes.update(description="", criterion_answers={})
            application = domain.save_draft(
                application, changes, expected_version=application.version, by=agent
            )
            if index >= DOSSIERS - SUBMITTED:
                domain.submit_application(application, by=agent)
                submitted += 1
        return submitted

    def deliberation_stage(self, edition: Edition) -> None:
        from awards.seeding import seed_deliberation_stage

        summary = seed_deliberation_stage(edition, self.organiser())
        if summary:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Délibération ouverte : %(shortlisted)s dossiers auditionnés en "
                        "%(sessions)s séances, %(labelled)s labels proposés."
                    )
                    % summary
                )
            )

    def published_stage(self, edition: Edition) -> None:
        from awards.seeding import seed_published_stage

        summary = seed_published_stage(edition, self.organiser())
        if summary:
            self.stdout.write(
                self.style.SUCCESS(_("Résultats publiés : %(awards)s labels.") % summary)
            )

    def organiser(self) -> User:
        organiser, _created = User.objects.get_or_create(
            email=ORGANISER_EMAIL,
            defaults={"full_name": "Organisation (démonstration)", "is_organiser": True},
        )
        return organiser
