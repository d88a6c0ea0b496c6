"""`seed_demo --contest start-up-interconnectee`: the start-up contest's demo, built by the same
command and domain functions as the label's, with its own configuration and fictitious data."""

from collections import Counter
from datetime import date
from html import unescape
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership
from applications.enums import ApplicationState
from applications.models import Application
from awards.models import Award
from contests import activity
from contests.domain import current_phase
from contests.models import Edition
from demo.companies import demo_siren
from jury.models import Round
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.validators import luhn_is_valid
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

STARTUP = "start-up-interconnectee"


def _seed(stage: str, year: int = 2041) -> list[str]:
    out = StringIO()
    call_command("seed_demo", contest=STARTUP, stage=stage, year=year, stdout=out)
    return out.getvalue().splitlines()


def test_demo_sirens_are_luhn_valid_and_fictitious():
    sirens = [demo_siren(number) for number in range(1, 19)]

    assert sirens[:3] == ["000010017", "000010025", "000010033"]
    assert all(luhn_is_valid(siren) and siren.startswith("000010") for siren in sirens)
    assert len(set(sirens)) == 18


def test_applications_stage_builds_the_startup_edition_with_its_configuration():
    lines = _seed("applications")

    edition = Edition.objects.get(contest__slug=STARTUP, year=2041)
    assert lines[-1].startswith(
        "Édition Start-up Interconnectée 2041 : 18 dossiers, dont 14 déposés"
    )
    assert current_phase(edition).kind == "applications_open"
    assert list(edition.themes.values_list("name", flat=True)) == [
        "Ville durable",
        "Services aux habitants",
        "Données et IA",
    ]
    assert list(edition.criteria.values_list("name", "eliminatory")) == [
        ("Innovation", False),
        ("Utilité pour les collectivités", False),
        ("Modèle économique", False),
        ("Données et éthique", True),
        ("Sobriété numérique", False),
    ]
    assert [
        (level.code, level.name, level.rank, str(level.min_score), level.max_per_theme)
        for level in edition.levels.all()
    ] == [("laureat", "Lauréat national", 1, "3.00", 1)]
    applications = Application.objects.filter(edition=edition).select_related(
        "theme", "lead_organisation__region"
    )
    assert Counter(applications.values_list("state", flat=True)) == {
        ApplicationState.SUBMITTED: 14,
        ApplicationState.DRAFT: 4,
    }
    assert Counter(a.theme.name for a in applications) == {
        "Ville durable": 6,
        "Services aux habitants": 6,
        "Données et IA": 6,
    }
    assert Counter(a.lead_organisation.region.name for a in applications) == {
        "Île-de-France": 9,
        "Auvergne-Rhône-Alpes": 9,
    }
    first = applications.get(reference="SUI-2041-0001")
    assert (first.title, first.lead_organisation.name, first.lead_organisation.siren) == (
        "Toitures solaires partagées des écoles",
        "Toits Partagés (démo)",
        "000010017",
    )
    companies = Organisation.objects.filter(kind=OrganisationKind.STARTUP)
    assert companies.count() == 18
    assert all(c.name.endswith(" (démo)") and not c.from_referential for c in companies)
    assert all(c.insee_code is None and c.departement_id for c in companies)
    memberships = Membership.objects.filter(organisation__in=companies)
    assert Counter(memberships.values_list("role", "state")) == {
        (MembershipRole.MANAGER, MembershipState.CONFIRMED): 18
    }
    assert first.created_by.email == "agent.toits-partages-demo@demo.palmares.localhost"


def test_another_year_reuses_the_same_companies():
    _seed("applications", year=2041)

    _seed("applications", year=2042)

    assert Organisation.objects.filter(kind=OrganisationKind.STARTUP).count() == 18
    assert Application.objects.filter(edition__year=2042).count() == 18
    assert Membership.objects.filter(organisation__kind=OrganisationKind.STARTUP).count() == 18


def test_jury_stage_without_the_stages_imported_says_so():
    lines = _seed("jury")

    assert lines[-3:] == [
        "L'étape « IntercoTOUR Île-de-France » n'est pas importée (import_events) : son tour "
        "régional est créé sans lien vers elle.",
        "L'étape « IntercoTOUR Auvergne-Rhône-Alpes » n'est pas importée (import_events) : son "
        "tour régional est créé sans lien vers elle.",
        "Sélection régionale en cours : 13 dossiers, 10 jurés, 39 affectations, 20 évaluations "
        "envoyées.",
    ]
    assert list(Round.objects.values_list("slug", "event")) == [
        ("ile-de-france", None),
        ("auvergne-rhone-alpes", None),
        ("finale-nationale", None),
    ]


def test_the_startup_demo_goes_to_its_national_winners_hosted_by_two_stages():
    stages = {
        name: EventFactory(kind="stage", name=name, starts_on=day)
        for name, day in (
            ("IntercoTOUR Île-de-France", date(2019, 6, 26)),
            ("IntercoTOUR Auvergne-Rhône-Alpes", date(2019, 10, 17)),
        )
    }

    lines = _seed("published")

    assert lines[-3:] == [
        "Sélection régionale en cours : 13 dossiers, 10 jurés, 39 affectations, 20 évaluations "
        "envoyées.",
        "Délibération ouverte : 6 dossiers en finale, 3 distinctions proposées.",
        "Résultats publiés : 3 labels.",
    ]
    rounds = Round.objects.select_related("event", "next_round").order_by("position")
    assert [(r.slug, r.event, r.promotion_rule, r.promotion_count) for r in rounds] == [
        ("ile-de-france", stages["IntercoTOUR Île-de-France"], "top_n", 1),
        ("auvergne-rhone-alpes", stages["IntercoTOUR Auvergne-Rhône-Alpes"], "top_n", 1),
        ("finale-nationale", None, "manual", None),
    ]
    # Each stage's prize: the best start-up of each of the three themes goes to the final.
    # … published on the stage's page, where a visitor reads the three finalists.
    for regional in rounds[:2]:
        assert regional.promotions.filter(state="applied").count() == 3
        assert regional.selection_published_at is not None
        page = Client().get(reverse("events:detail", kwargs={"slug": regional.event.slug}))
        finalists = regional.promotions.filter(state="applied").select_related("application")
        text = unescape(page.content.decode())
        assert [p.application.title in text for p in finalists] == [True, True, True]
    awards = Award.objects.filter(edition__contest__slug=STARTUP).select_related("theme", "level")
    assert sorted((a.theme.name, a.level.name) for a in awards) == [
        ("Données et IA", "Lauréat national"),
        ("Services aux habitants", "Lauréat national"),
        ("Ville durable", "Lauréat national"),
    ]
    assert all(
        link.organisation.kind == OrganisationKind.STARTUP
        for award in awards
        for link in award.award_organisations.select_related("organisation")
    )
    assert activity.verify() is None


def test_an_unknown_contest_is_refused():
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", contest="inconnu", stage="applications")

    assert str(refused.value) == "Aucun concours n'a l'identifiant « inconnu »."
    assert not Application.objects.exists()
