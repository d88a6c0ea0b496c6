"""« Start-up Interconnectée »'s demo for `seed_demo --contest start-up-interconnectee`.

Configuration and fictitious data only; the command, the domain functions and the stages are
the same as the label's (demo/management/commands/seed_demo.py, demo.companies_stages):

- the edition's themes, criteria and one level, « Lauréat national » (at most one per theme):
  configuration an organiser would enter on the edition pages, not facts from a source;
- 18 start-ups, clearly fictitious: every name ends with « (démo) » and every SIREN is built from
  the prefix 000 010 with its Luhn key, a block no real company is numbered in as far as we know.
  Each is declared by its demo founder through accounts.companies.declare_company, the function
  behind the « Déclarer mon entreprise » page, so the seed checks it end to end. Half are based
  in Île-de-France and half in Auvergne-Rhône-Alpes: the régions of the two 2019 IntercoTOUR
  stages that host the regional selections (demo.companies_stages);
- one project per start-up, on the theme of its position (dossier i is on theme i mod 3).
"""

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.companies import declare_company, holder_of
from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership, User
from contests.models import Criterion, Edition, Level
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.validators import luhn_is_valid

from .awards import seed_published_stage
from .collectivites import AGENT_DOMAIN

DOSSIERS = 18
SUBMITTED = 14
# Drafts still being written (no description, no answers to the criteria yet).
INCOMPLETE = 2
SIREN_PREFIX = "000010"

THEMES = ("Ville durable", "Services aux habitants", "Données et IA")


class DemoCriterion(NamedTuple):
    name: str
    description: str
    eliminatory: bool


CRITERIA: tuple[DemoCriterion, ...] = (
    DemoCriterion(
        "Innovation",
        "La solution apporte une réponse nouvelle aux besoins des territoires.",
        False,
    ),
    DemoCriterion(
        "Utilité pour les collectivités",
        "Des collectivités l'utilisent ou l'expérimentent, et ses effets sont mesurés.",
        False,
    ),
    DemoCriterion(
        "Modèle économique",
        "L'entreprise sait comment elle finance son développement et à quel prix elle vend.",
        False,
    ),
    DemoCriterion(
        "Données et éthique",
        "Les données personnelles sont protégées (RGPD) et les données publiques restent "
        "ouvertes et réutilisables par la collectivité.",
        True,
    ),
    DemoCriterion(
        "Sobriété numérique",
        "La solution limite son empreinte environnementale (matériel, données, énergie).",
        False,
    ),
)
# The national winner: the best start-up of each theme with at least 3 out of 5.
LEVEL_CODE, LEVEL_NAME, LEVEL_MIN_SCORE, LEVEL_PER_THEME = (
    "laureat",
    "Lauréat national",
    Decimal("3.00"),
    1,
)


class DemoCompany(NamedTuple):
    name: str
    commune: str  # INSEE code of the head office's commune (referential)
    title: str  # its project


# In dossier order: the theme is the position modulo 3 (Ville durable, Services aux habitants,
# Données et IA); by threes, alternately in Île-de-France and in Auvergne-Rhône-Alpes.
COMPANIES: tuple[DemoCompany, ...] = (
    DemoCompany("Toits Partagés (démo)", "75056", "Toitures solaires partagées des écoles"),
    DemoCompany("Guichet Facile (démo)", "93048", "Prise de rendez-vous unique en mairie"),
    DemoCompany("Carto Données (démo)", "92012", "Cartes ouvertes des équipements publics"),
    DemoCompany("Compost Malin (démo)", "69123", "Compostage de quartier suivi par capteurs"),
    DemoCompany("Voisins Solidaires (démo)", "38185", "Entraide entre voisins pour les aînés"),
    DemoCompany("Jumeau Local (démo)", "69266", "Jumeau numérique d'un centre-ville"),
    DemoCompany("Vélo Partout (démo)", "93066", "Stationnement vélo réservable en gare"),
    DemoCompany("Cantine Locale (démo)", "78646", "Menus et inscriptions de cantine en ligne"),
    DemoCompany("IA Propreté (démo)", "92050", "Signalement des dépôts sauvages par l'image"),
    DemoCompany("Eau Veille (démo)", "74010", "Détection des fuites du réseau d'eau"),
    DemoCompany("Bus à la Demande (démo)", "63113", "Transport à la demande en zone rurale"),
    DemoCompany("Budget Lisible (démo)", "42218", "Budget communal expliqué en données"),
    DemoCompany("Arbres en Ville (démo)", "94041", "Inventaire participatif des arbres"),
    DemoCompany("Crèche Agenda (démo)", "91228", "Places en crèche attribuées en ligne"),
    DemoCompany("Capteurs Citoyens (démo)", "95127", "Mesure citoyenne du bruit urbain"),
    DemoCompany("Chaleur Douce (démo)", "73065", "Pilotage du chauffage des gymnases"),
    DemoCompany("Seniors Connectés (démo)", "26362", "Tablettes simplifiées pour les aînés"),
    DemoCompany("Open Territoire (démo)", "69123", "Portail de données d'une intercommunalité"),
)


def demo_siren(number: int) -> str:
    """The `number`-th demo SIREN: SIREN_PREFIX, two digits, then the Luhn key."""
    body = f"{SIREN_PREFIX}{number:02d}"
    return next(body + key for key in "0123456789" if luhn_is_valid(body + key))


def themes() -> list[str]:
    return list(THEMES)


def configure(edition: Edition) -> None:
    """The start-up edition's criteria and its one level, in place of the default levels
    (or, argent, bronze) that contests.domain.create_edition gives every edition."""
    Criterion.objects.bulk_create(
        Criterion(
            edition=edition,
            name=criterion.name,
            description=criterion.description,
            eliminatory=criterion.eliminatory,
            position=position,
        )
        for position, criterion in enumerate(CRITERIA, start=1)
    )
    edition.levels.all().delete()
    Level.objects.create(
        edition=edition,
        code=LEVEL_CODE,
        name=LEVEL_NAME,
        rank=1,
        min_score=LEVEL_MIN_SCORE,
        max_per_theme=LEVEL_PER_THEME,
    )


def founder(company: DemoCompany) -> User:
    user, created = User.objects.get_or_create(
        email=f"agent.{slugify(company.name)}@{AGENT_DOMAIN}",
        defaults={"full_name": f"Fondateur·rice de démonstration – {company.name}"[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def leads() -> Iterator[tuple[Organisation, User]]:
    """Each start-up and its founder, in dossier order. A start-up seeded for an earlier year
    is the same company (same SIREN): it is reused, with its founder as référent, confirmed."""
    communes = {
        commune.insee_code: commune
        for commune in Organisation.objects.filter(
            kind=OrganisationKind.COMMUNE,
            insee_code__in={company.commune for company in COMPANIES},
            from_referential=True,
        )
    }
    if len(communes) < len({company.commune for company in COMPANIES}):
        raise CommandError(_("Le référentiel est incomplet : lancez d'abord import_territories."))
    for number, company in enumerate(COMPANIES, start=1):
        user, siren = founder(company), demo_siren(number)
        organisation = holder_of(siren)
        if organisation is None:
            organisation = declare_company(
                user,
                name=company.name,
                siren=siren,
                commune=communes[company.commune],
                website=f"https://{slugify(company.name)}.{AGENT_DOMAIN}",
            ).organisation
        # The demo's organisers vouched for their founders (a declaration alone leaves the
        # manager pending and the company unlisted, accounts.companies.declare_company).
        if not organisation.listed:
            organisation.listed = True
            organisation.save(update_fields=["listed", "updated_at"])
        Membership.objects.update_or_create(
            user=user,
            organisation=organisation,
            defaults={
                "role": MembershipRole.MANAGER,
                "state": MembershipState.CONFIRMED,
                "decided_at": timezone.now(),
            },
        )
        yield organisation, user


def content(index: int, organisation: Organisation, edition: Edition, rng: random.Random) -> dict:
    """The `save_draft` changes of demo dossier `index` (complete)."""
    edition_themes = list(edition.themes.order_by("position"))
    theme = edition_themes[index % len(edition_themes)]
    title = COMPANIES[index].title
    stage = ("pilot", "deployed")[index % 2]
    started = date(2024, 1 + index % 12, 1)
    return {
        "theme": theme,
        "title": title,
        "summary": f"{title} : la solution de {organisation.name} pour le thème « {theme.name} ».",
        "description": (
            f"{organisation.name} propose « {title} » aux collectivités. La solution est "
            "expérimentée avec des communes et leurs habitants, qui ont participé à sa conception."
        ),
        "project_stage": stage,
        "started_on": started,
        "deployed_on": started + timedelta(days=240) if stage == "deployed" else None,
        "budget_euros": rng.randrange(20, 600) * 1000,
        "funding": "Fonds propres, prêt d'honneur et subvention d'innovation.",
        "audience": "Collectivités, leurs services et leurs habitants.",
        "indicators": f"{rng.randrange(2, 40)} collectivités clientes ou en expérimentation.",
        "licence": "AGPL 3.0" if index % 3 == 2 else "",
        "contact_name": f"Fondateur·rice – {organisation.name}"[:150],
        "contact_email": f"contact.{organisation.slug}@{AGENT_DOMAIN}",
        "criterion_answers": {
            criterion.pk: f"{title} : {criterion.name.lower()} — {criterion.description}"
            for criterion in edition.criteria.all()
        },
    }


def jury_stage(edition: Edition, organiser: User) -> dict:
    # Imported here: companies_stages reads this module's LEVEL_CODE when it is imported.
    from .companies_stages import seed_jury_stage

    return seed_jury_stage(edition, organiser)


def deliberation_stage(edition: Edition, organiser: User) -> dict:
    from .companies_stages import seed_deliberation_stage

    return seed_deliberation_stage(edition, organiser)


def published_stage(edition: Edition, organiser: User) -> dict:
    # The label's own function: validation by the president, then publication, nothing else.
    return seed_published_stage(edition, organiser)
