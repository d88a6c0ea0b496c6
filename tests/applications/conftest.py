"""Fixtures of the dossier tests: an edition open for applications, dossiers built by the domain.

Personas come from tests/conftest.py: `applicant` (agent of the Ville de Rennes, the lead),
`other_applicant` (Brest), `pending_applicant` (Rennes, not confirmed), `organiser`; this file
adds `partner_applicant`, an agent of Saint-Malo, the dossier's co-porteur.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.enums import MembershipState
from applications import domain
from applications.models import Application, Question
from contests.models import Contest, Criterion, Edition, Phase, Theme
from territories.models import Organisation

from ..factories import MembershipFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def add_phases(edition: Edition, starts: dict[str, datetime]) -> None:
    for kind, starts_at in starts.items():
        Phase.objects.create(
            edition=edition,
            kind=kind,
            starts_at=starts_at,
            may_apply=kind == "applications_open",
        )


def add_content(edition: Edition) -> None:
    """Two themes, two criteria and two extra questions (one required)."""
    Theme.objects.create(edition=edition, name="Inclusion numérique", slug="inclusion", position=1)
    Theme.objects.create(edition=edition, name="Gestion des données", slug="donnees", position=2)
    Criterion.objects.create(
        edition=edition,
        name="L'innovation",
        description="Une réponse nouvelle au regard de territoires comparables.",
        position=1,
    )
    Criterion.objects.create(
        edition=edition,
        name="La reproductibilité",
        description="D'autres collectivités peuvent reprendre le projet.",
        position=2,
    )
    Question.objects.create(
        edition=edition,
        label="Nombre d'agents formés",
        kind="number",
        required=True,
        position=1,
    )
    Question.objects.create(
        edition=edition,
        label="Canaux de diffusion",
        kind="multiple_choice",
        choices="Presse\nRéseaux sociaux\nAffichage",
        position=2,
    )


@pytest.fixture
def label(db) -> Contest:
    return Contest.objects.get(slug="label-territoire-innovant")


@pytest.fixture
def open_edition(label) -> Edition:
    """The label's 2031 edition, its applications phase running now (deadline in 30 days)."""
    edition = Edition.objects.create(contest=label, year=2031)
    now = timezone.now()
    add_phases(
        edition,
        {
            "draft": now - timedelta(days=60),
            "applications_open": now - timedelta(days=30),
            "applications_closed": now + timedelta(days=30),
            "jury_scoring": now + timedelta(days=60),
        },
    )
    add_content(edition)
    return edition


@pytest.fixture
def dated_edition(label) -> Edition:
    """The label's 2026 edition: applications from 1 October 2025, 09:00 to 15 January 2026,
    12:00 (Paris time); for deadline tests with explicit `now=` values."""
    edition = Edition.objects.create(contest=label, year=2026)
    add_phases(
        edition,
        {
            "draft": paris(2025, 6, 1, 9),
            "applications_open": paris(2025, 10, 1, 9),
            "applications_closed": paris(2026, 1, 15, 12),
            "jury_scoring": paris(2026, 2, 1, 9),
        },
    )
    add_content(edition)
    return edition


@pytest.fixture
def saint_malo(db) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code="35288")


@pytest.fixture
def partner_applicant(saint_malo):
    """An agent of Saint-Malo, co-porteur of the Rennes dossier."""
    return MembershipFactory(
        user__email="agent@saint-malo.fr", organisation=saint_malo, state=MembershipState.CONFIRMED
    ).user


@pytest.fixture
def partner_client(partner_applicant) -> Client:
    client = Client()
    client.force_login(partner_applicant)
    return client


@pytest.fixture
def pending_client(pending_applicant) -> Client:
    client = Client()
    client.force_login(pending_applicant)
    return client


def complete_changes(edition: Edition, **overrides) -> dict:
    """Everything a dossier of `edition` needs to be submitted, as `save_draft` changes."""
    changes = {
        "theme": edition.themes.get(slug="inclusion"),
        "title": "Des conseillers numériques dans les mairies de quartier",
        "summary": "Un accompagnement aux démarches en ligne au plus près des habitants.",
        "description": "Six conseillers accueillent les habitants dans les mairies de quartier.",
        "project_stage": "deployed",
        "started_on": datetime(2024, 3, 1).date(),
        "deployed_on": datetime(2024, 9, 1).date(),
        "audience": "Habitants éloignés du numérique",
        "indicators": "1 200 personnes accompagnées en 2025",
        "contact_name": "Camille Martin",
        "contact_email": "c.martin@rennes.fr",
        "criterion_answers": {
            criterion.pk: f"Notre réponse : {criterion.name}"
            for criterion in edition.criteria.all()
        },
        "answers": {edition.questions.get(required=True).pk: "12"},
    }
    changes.update(overrides)
    return changes


@pytest.fixture
def dossier(open_edition, rennes, saint_malo, applicant) -> Application:
    """A draft dossier of Rennes with Saint-Malo as co-porteur, empty otherwise."""
    application = domain.create_application(open_edition, rennes, by=applicant)
    return domain.save_draft(
        application, {"partners": [saint_malo]}, expected_version=1, by=applicant
    )


@pytest.fixture
def complete_dossier(dossier, applicant) -> Application:
    """The same dossier, complete (version 3)."""
    return domain.save_draft(
        dossier, complete_changes(dossier.edition), expected_version=2, by=applicant
    )
