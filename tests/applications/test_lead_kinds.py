"""Which structures may lead a dossier: the contest's `lead_kinds`, in the form, the page and
the domain function (collectivités for the label, start-ups for « Start-up Interconnectée »)."""

import html
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import MembershipState
from applications import domain
from applications.models import Application
from contests.admin import ContestAdminForm
from contests.models import Contest, Edition
from territories.enums import OrganisationKind
from tests.factories import ContestFactory, MembershipFactory, OrganisationFactory

from .conftest import add_content, add_phases

LABEL_KINDS = (
    "Région, Département, Commune, Métropole, Communauté urbaine, Communauté d'agglomération, "
    "Communauté de communes, Syndicat mixte ou intercommunal, Parc naturel régional, "
    "Office ou comité de tourisme"
)


def _open(contest: Contest, year: int = 2031) -> Edition:
    edition = Edition.objects.create(contest=contest, year=year)
    now = timezone.now()
    add_phases(
        edition,
        {
            "draft": now - timedelta(days=60),
            "applications_open": now - timedelta(days=30),
            "applications_closed": now + timedelta(days=30),
        },
    )
    add_content(edition)
    return edition


def _create_url(edition: Edition) -> str:
    return reverse("applications:create", args=[edition.contest.slug, edition.year])


@pytest.fixture
def startup_contest(db) -> Contest:
    return Contest.objects.get(slug="start-up-interconnectee")


@pytest.fixture
def startup_edition(startup_contest) -> Edition:
    return _open(startup_contest)


@pytest.fixture
def company(db):
    return OrganisationFactory(
        kind=OrganisationKind.STARTUP, name="Cartodonnées (démo)", siren="000000018"
    )


@pytest.fixture
def founder(company):
    return MembershipFactory(
        user__email="fondatrice@cartodonnees.example",
        organisation=company,
        state=MembershipState.CONFIRMED,
    ).user


@pytest.fixture
def founder_client(founder) -> Client:
    client = Client()
    client.force_login(founder)
    return client


# ------------------------------------------------------------------------ configuration


def test_seeded_contests_accept_their_own_natures(label, startup_contest):
    assert domain.accepted_kinds_text(label) == LABEL_KINDS
    assert domain.accepted_kinds_text(startup_contest) == "Start-up ou entreprise"
    assert domain.accepted_lead_kinds(startup_contest) == [OrganisationKind.STARTUP]


def test_an_empty_list_accepts_any_structure(db, company, rennes):
    contest = ContestFactory(name="Concours ouvert", lead_kinds=[])

    assert domain.accepted_kinds_text(contest) == "toute structure"
    assert domain.may_lead(contest, company) is True
    assert domain.may_lead(contest, rennes) is True


def test_may_lead_follows_the_list(label, startup_contest, company, rennes):
    assert domain.may_lead(label, rennes) is True
    assert domain.may_lead(label, company) is False
    assert domain.may_lead(startup_contest, company) is True
    assert domain.may_lead(startup_contest, rennes) is False


# ------------------------------------------------------------------------------- domain


def test_domain_may_create_a_startup_dossier_for_a_startup(startup_edition, company, founder):
    application = domain.create_application(startup_edition, company, by=founder)

    assert application.reference == "SUI-2031-0001"
    assert application.lead_organisation == company


def test_domain_refuses_a_collectivite_in_the_startup_contest(startup_edition, rennes, applicant):
    with pytest.raises(domain.LeadRefused) as refusal:
        domain.create_application(startup_edition, rennes, by=applicant)

    assert refusal.value.message == (
        "« Rennes » (Commune) ne peut pas porter un dossier du concours « Start-up "
        "Interconnectée », qui accepte comme structure porteuse : Start-up ou entreprise."
    )
    assert Application.objects.count() == 0


def test_domain_refuses_a_startup_in_the_label(open_edition, company, founder, rennes, applicant):
    with pytest.raises(domain.LeadRefused) as refusal:
        domain.create_application(open_edition, company, by=founder)

    assert refusal.value.message == (
        "« Cartodonnées (démo) » (Start-up ou entreprise) ne peut pas porter un dossier du "
        f"concours « Label Territoire Innovant », qui accepte comme structure porteuse : "
        f"{LABEL_KINDS}."
    )
    assert Application.objects.count() == 0
    assert domain.create_application(open_edition, rennes, by=applicant).reference == (
        "LTI-2031-0001"
    )


# --------------------------------------------------------------------------------- page


def test_form_offers_only_the_natures_of_the_contest(
    startup_edition, open_edition, company, rennes
):
    both = MembershipFactory(
        user__email="double@exemple.fr", organisation=company, state=MembershipState.CONFIRMED
    ).user
    MembershipFactory(user=both, organisation=rennes, state=MembershipState.CONFIRMED)
    client = Client()
    client.force_login(both)

    startup_page = client.get(_create_url(startup_edition))
    label_page = client.get(_create_url(open_edition))

    assert startup_page.status_code == 200
    assert [o.slug for o in startup_page.context["form"].fields["organisation"].queryset] == [
        company.slug
    ]
    assert [o.slug for o in label_page.context["form"].fields["organisation"].queryset] == [
        rennes.slug
    ]


def test_startup_may_create_its_dossier_from_the_page(startup_edition, company, founder_client):
    response = founder_client.post(_create_url(startup_edition), {"organisation": company.slug})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:edit", args=[application.reference])
    assert application.lead_organisation == company


def test_collectivite_may_not_post_its_slug_to_the_startup_contest(
    startup_edition, rennes, company, applicant
):
    MembershipFactory(user=applicant, organisation=company, state=MembershipState.CONFIRMED)
    client = Client()
    client.force_login(applicant)

    response = client.post(_create_url(startup_edition), {"organisation": rennes.slug})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": [
            "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
        ]
    }
    assert Application.objects.count() == 0


def test_collectivite_agent_is_told_which_natures_the_startup_contest_accepts(
    startup_edition, applicant_client
):
    response = applicant_client.get(_create_url(startup_edition))

    assert response.status_code == 403
    content = " ".join(response.content.decode().split())
    assert (
        "Aucune des structures pour lesquelles vous agissez ne peut porter un dossier du "
        "concours « Start-up Interconnectée »." in content
    )
    assert (
        "Structures pouvant porter un dossier de ce concours : Start-up ou entreprise." in content
    )
    # The attachment form brings the person back to this dossier once attached.
    attach = reverse("accounts:attach")
    assert f'<a href="{attach}?next={quote(_create_url(startup_edition), safe="")}">' in content
    assert f'<a href="{reverse("accounts:company_create")}">Déclarer mon entreprise</a>' in content
    assert Application.objects.count() == 0


def test_startup_agent_is_told_which_natures_the_label_accepts(open_edition, founder_client):
    response = founder_client.get(_create_url(open_edition))

    assert response.status_code == 403
    content = " ".join(html.unescape(response.content.decode()).split())
    assert f"Structures pouvant porter un dossier de ce concours : {LABEL_KINDS}." in content
    assert "Déclarer mon entreprise" not in content
    attach = reverse("accounts:attach")
    assert f'<a href="{attach}?next={quote(_create_url(open_edition), safe="")}">' in content


def test_without_any_membership_the_accepted_natures_are_listed(startup_edition, db):
    client = Client()
    client.force_login(MembershipFactory(state=MembershipState.PENDING).user)

    response = client.get(_create_url(startup_edition))

    assert response.status_code == 403
    content = " ".join(response.content.decode().split())
    # A request waiting for confirmation says who confirms it (attachments are confirmed by the
    # site's organisers, accounts.membership_notices) and what comes next.
    assert (
        "attend la confirmation de l&#x27;équipe organisatrice du Label Territoire Innovant ; "
        "vous recevrez un courriel. Revenez ensuite sur cette page pour créer le dossier."
        in content
    )
    assert "Structures pouvant porter un dossier de ce concours : Start-up ou entreprise." in (
        content
    )


# ----------------------------------------------------------------- organisers configure it


def test_edition_page_shows_the_lead_natures(startup_edition, organiser_client):
    url = reverse("contests:edition_detail", args=["start-up-interconnectee", 2031])

    content = " ".join(organiser_client.get(url).content.decode().split())

    assert (
        "<dt>Structures pouvant porter un dossier</dt> <dd>Start-up ou entreprise</dd>" in content
    )


def test_admin_form_saves_the_checked_natures(startup_contest):
    form = ContestAdminForm(
        {
            "name": startup_contest.name,
            "slug": startup_contest.slug,
            "description": "",
            "applicant_kinds": "Start-up et associations.",
            "lead_kinds": ["startup", "association"],
        },
        instance=startup_contest,
    )

    assert form.is_valid(), form.errors
    form.save()
    startup_contest.refresh_from_db()
    assert startup_contest.lead_kinds == ["association", "startup"]


def test_admin_form_refuses_an_unknown_nature(startup_contest):
    form = ContestAdminForm(
        {"name": startup_contest.name, "slug": startup_contest.slug, "lead_kinds": ["ovni"]},
        instance=startup_contest,
    )

    assert form.is_valid() is False
    assert form.errors["lead_kinds"] == ["Sélectionnez un choix valide. ovni n’en fait pas partie."]
