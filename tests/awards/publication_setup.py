"""A validated deliberation of the 2028 edition, ready to publish (tests of awards.publication).

Four dossiers of the Label, arranged directly (the deliberation's own functions are tested
elsewhere): the Ville de Rennes with Rennes Métropole as partner, labelled or; Nantes, labelled
argent; Brest, auditioned and not labelled (the jury changed the proposed bronze, with a reason);
Quimper, eliminated in the national round on an insufficient criterion, still "submitted".
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.tasks import default_task_backend
from django.utils import timezone

from accounts.enums import MembershipState
from applications.enums import ApplicationState
from applications.models import Application
from awards.enums import DeliberationState
from awards.models import Decision, Deliberation
from contests.models import Contest, Edition, Level
from jury.enums import RoundKind
from territories.models import Organisation
from tests.catalogue.builders import make_edition
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    MembershipFactory,
    PhaseFactory,
    ThemeFactory,
    UserFactory,
)
from tests.jury.factories import RoundEntryFactory, RoundFactory
from tests.open_calls import assume_no_open_call

YEAR = 2028
LAUREATE_TITLE = "Carte partagée des données de mobilité"
LAUREATE_SLUG = "2028-carte-partagee-des-donnees-de-mobilite"
ARGENT_TITLE = "Guichet numérique des associations"
ARGENT_SLUG = "2028-guichet-numerique-des-associations"
BREST_TITLE = "Capteurs de qualité de l'air dans les écoles"
QUIMPER_TITLE = "Application de signalement des nids-de-poule"
BREST_REASON = "Projet prometteur mais encore trop peu déployé pour être labellisé."
SOBRIETY = "Sobriété numérique / impact climatique"
QUIMPER_COMMENT = "Aucune mesure de l'impact environnemental n'est présentée."


@dataclass
class Setup:
    edition: Edition
    deliberation: Deliberation
    levels: dict[str, Level]
    laureate: Application  # Rennes, or
    argent: Application  # Nantes
    brest: Application  # not labelled, with a reason
    quimper: Application  # eliminated


def commune(insee: str) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code=insee)


def member(organisation: Organisation, email: str):
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, state=MembershipState.CONFIRMED
    ).user


def build(applicant, other_applicant) -> Setup:
    """The edition in its embargo phase, its deliberation validated and not published."""
    label = Contest.objects.get_or_create(
        slug="label-territoire-innovant", defaults={"name": "Label Territoire Innovant"}
    )[0]
    edition, levels = make_edition(label, YEAR)
    now = timezone.now()
    PhaseFactory(edition=edition, kind="deliberation", starts_at=now - timedelta(days=10))
    PhaseFactory(
        edition=edition,
        kind="embargo",
        starts_at=now - timedelta(days=1),
        may_see_other_scores=True,
        may_publish=True,
    )
    PhaseFactory(
        edition=edition, kind="published", starts_at=now + timedelta(days=30), results_public=True
    )
    PhaseFactory(
        edition=edition, kind="archived", starts_at=now + timedelta(days=400), results_public=True
    )
    mobility = ThemeFactory(edition=edition, name="Mobilité", position=1)
    citizens = ThemeFactory(edition=edition, name="Participation citoyenne", position=2)
    national = RoundFactory(edition=edition, slug="national", kind=RoundKind.NATIONAL)
    auditions = RoundFactory(edition=edition, slug="auditions", kind=RoundKind.AUDITION)

    def dossier(number, organisation, title, theme, state):
        return ApplicationFactory(
            edition=edition,
            reference=f"LTI-{YEAR}-{number:04d}",
            lead_organisation=organisation,
            title=title,
            summary=f"Résumé : {title}.",
            theme=theme,
            state=state,
            created_by=applicant,
        )

    rennes = commune("35238")
    laureate = dossier(1, rennes, LAUREATE_TITLE, mobility, ApplicationState.AUDITIONED)
    ApplicationPartnerFactory(
        application=laureate,
        organisation=Organisation.objects.get(siren="243500139"),  # Rennes Métropole
        position=0,
    )
    nantes = commune("44109")
    member(nantes, "agent@nantes.fr")
    argent = dossier(2, nantes, ARGENT_TITLE, citizens, ApplicationState.AUDITIONED)
    brest = dossier(3, commune("29019"), BREST_TITLE, mobility, ApplicationState.AUDITIONED)
    quimper = commune("29232")
    member(quimper, "agent@quimper.fr")
    eliminated = dossier(4, quimper, QUIMPER_TITLE, mobility, ApplicationState.SUBMITTED)
    for application in (laureate, argent, brest):
        RoundEntryFactory(round=national, application=application, score=Decimal("4"))
        RoundEntryFactory(round=auditions, application=application, score=Decimal("4"))
    RoundEntryFactory(
        round=national,
        application=eliminated,
        score=Decimal("2.5"),
        elimination=[{"criterion": SOBRIETY, "jurors": 2, "comments": [QUIMPER_COMMENT, ""]}],
    )
    deliberation = Deliberation.objects.create(
        edition=edition,
        round=auditions,
        state=DeliberationState.VALIDATED,
        validated_at=now - timedelta(hours=1),
    )
    Decision.objects.create(
        deliberation=deliberation,
        application=laureate,
        score=Decimal("4.5"),
        proposed_level=levels["or"],
        level=levels["or"],
    )
    Decision.objects.create(
        deliberation=deliberation,
        application=argent,
        score=Decimal("4.1"),
        proposed_level=levels["argent"],
        level=levels["argent"],
    )
    Decision.objects.create(
        deliberation=deliberation,
        application=brest,
        score=Decimal("3.2"),
        proposed_level=levels["bronze"],
        level=None,
        reason=BREST_REASON,
    )
    return Setup(edition, deliberation, levels, laureate, argent, brest, eliminated)


@pytest.fixture(name="setup")
def setup_fixture(applicant, other_applicant) -> Setup:
    return build(applicant, other_applicant)


@pytest.fixture(autouse=True, name="fresh_cache_and_files")
def fresh_cache_and_files_fixture(settings, tmp_path):
    """No rate-limit counts or cached answers between tests; a private open-data folder."""
    cache.clear()
    assume_no_open_call()  # tests/open_calls.py
    settings.OPEN_DATA_ROOT = str(tmp_path / "opendata")
    yield
    cache.clear()


@pytest.fixture(name="deferred_tasks")
def deferred_tasks_fixture(settings):
    """A task backend that queues (with run_after) instead of running at once, so that tests
    can see what was queued and run it when they choose."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return default_task_backend
