"""The Label « Territoire Innovant »'s demo for `seed_demo` (--contest label-territoire-innovant,
the default): 45 dossiers led by real collectivités of the referential, each with one demo agent,
on the six themes of 2024 (data/editions.csv); the later stages are demo.jury and demo.awards.
The command itself (demo/management/commands/seed_demo.py) is the same for every contest; this
module only says what this contest's demo holds.
"""

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import MembershipState
from accounts.models import Membership, User
from contests.models import Edition
from territories.domain import communes_of, epci_of
from territories.enums import OrganisationKind
from territories.models import Organisation

from .awards import seed_deliberation_stage, seed_published_stage
from .jury import seed_jury_stage

DOSSIERS = 45
SUBMITTED = 30
# Drafts still being written (no description, no answers to the criteria yet).
INCOMPLETE = 5
PER_REGION = 4
SEED = 2024
AGENT_DOMAIN = "demo.palmares.localhost"
# Lead of the first dossier: the browser site's "applicant" persona acts for Rennes, so the
# dossier pages have one to show. Brest (the "other applicant") leads none.
FIRST_LEAD = ("commune", "35238")
LEFT_OUT = (("commune", "29019"),)

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
    """The `save_draft` changes of demo dossier `index` (complete); one dossier in three has a
    co-porteur (partner_of)."""
    edition_themes = list(edition.themes.order_by("position"))
    theme = edition_themes[index % len(edition_themes)]
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
        **_partners(index, organisation),
    }


def _partners(index: int, organisation: Organisation) -> dict:
    partner = partner_of(organisation) if index % 3 == 0 else None
    return {"partners": [partner]} if partner is not None else {}


def themes() -> list[str]:
    return themes_2024()


def configure(edition: Edition) -> None:
    """Nothing to add: contests.domain.create_edition gives the label's criteria and levels."""


def leads() -> Iterator[tuple[Organisation, User]]:
    """Each dossier's lead organisation and the demo agent who writes it, in dossier order."""
    for organisation in pick_organisations(DOSSIERS):
        yield organisation, demo_agent(organisation)


def jury_stage(edition: Edition, organiser: User) -> dict:
    return seed_jury_stage(edition, organiser)


def deliberation_stage(edition: Edition, organiser: User) -> dict:
    return seed_deliberation_stage(edition, organiser)


def published_stage(edition: Edition, organiser: User) -> dict:
    return seed_published_stage(edition, organiser)
