"""The page where an applicant declares their company: « Déclarer mon entreprise »."""

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts import companies, domain
from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership
from territories.enums import OrganisationKind
from territories.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .pages import page_text

COMPANY = reverse("accounts:company_create")
ATTACH = reverse("accounts:attach")
ACCOUNT = reverse("accounts:account")
# Fictitious, Luhn-valid SIRENs (the 000 000 block), never a real company's.
SIREN = "000000018"
OTHER_SIREN = "000000026"
RENNES_METROPOLE_SIREN = "243500139"


def _messages(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def founder(db):
    return UserFactory(email="fondatrice@cartodonnees.example")


@pytest.fixture
def founder_client(founder) -> Client:
    return _client_for(founder)


def _post(client: Client, **fields: str):
    data = {"name": "Cartodonnées", "siren": "000 000 018", "commune": "", "website": ""}
    data.update(fields)
    return client.post(COMPANY, data)


# ------------------------------------------------------------------------------ access


def test_visitor_may_not_declare_a_company_and_is_sent_to_login(visitor, db):
    response = visitor.get(COMPANY)

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/structures/nouvelle-entreprise/"


def test_visitor_may_not_post_a_company(visitor, db):
    response = _post(visitor)

    assert response.status_code == 302
    assert Organisation.objects.filter(siren=SIREN).exists() is False


def test_signed_in_person_may_see_the_form(founder_client):
    response = founder_client.get(COMPANY)

    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Déclarer mon entreprise" in response.content.decode()
    assert "Nom de l'entreprise" in text
    assert "Numéro SIREN" in text
    assert "Commune du siège (facultatif)" in text
    assert "Site web (facultatif)" in text


def test_attach_page_links_to_the_company_page(applicant_client):
    text = page_text(applicant_client.get(ATTACH))

    assert (
        f'Votre structure n\'est pas une collectivité ? <a href="{COMPANY}">Déclarez votre '
        "entreprise</a>" in text
    )


# --------------------------------------------------------------------------- creation


def test_declaring_creates_a_startup_outside_the_referential_and_its_manager(
    founder, founder_client
):
    response = _post(
        founder_client,
        name="  Cartodonnées   (démo) ",
        commune="35000 Rennes",
        website="carto-donnees.example",  # not the founder's email domain: an organiser decides
    )

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    company = Organisation.objects.select_related("departement", "region").get(siren=SIREN)
    assert company.kind == OrganisationKind.STARTUP
    assert company.from_referential is False
    assert company.name == "Cartodonnées (démo)"
    assert company.slug == "cartodonnees-demo"
    assert company.insee_code is None
    assert company.departement.name == "Ille-et-Vilaine"
    assert company.region.name == "Bretagne"
    assert company.website == "https://carto-donnees.example"
    membership = Membership.objects.get(organisation=company)
    assert membership.user == founder
    # Pending, and the company unlisted, until an organiser vouches (issue 17, #10).
    assert membership.state == MembershipState.PENDING
    assert membership.role == MembershipRole.MANAGER
    assert membership.decided_at is None
    assert company.listed is False
    assert _messages(response) == [
        "L'entreprise « Cartodonnées (démo) » est déclarée. L'équipe organisatrice doit "
        "confirmer que vous en êtes le référent avant que vous puissiez déposer un dossier en "
        "son nom ; vous recevrez un courriel de sa décision."
    ]


def test_declaring_logs_the_membership(founder, founder_client, caplog):
    caplog.set_level("INFO", logger="activity")

    _post(founder_client)

    company = Organisation.objects.get(siren=SIREN)
    declared = [record for record in caplog.records if record.getMessage() == "company declared"]
    assert len(declared) == 1
    assert declared[0].user == founder.pk
    assert declared[0].organisation == company.pk
    assert declared[0].role == "manager"
    assert declared[0].state == "pending"


def test_commune_by_insee_code_and_without_commune(founder_client, founder):
    _post(founder_client, commune="29019")
    second = UserFactory(email="second@exemple.fr")
    _post(_client_for(second), name="Sans siège", siren=OTHER_SIREN)

    brest_based = Organisation.objects.select_related("departement").get(siren=SIREN)
    assert brest_based.departement.name == "Finistère"
    nowhere = Organisation.objects.get(siren=OTHER_SIREN)
    assert (nowhere.departement, nowhere.region) == (None, None)


def test_a_postcode_alone_is_enough_when_one_commune_has_it(founder_client):
    _post(founder_client, commune="29200")

    assert Organisation.objects.get(siren=SIREN).departement.name == "Finistère"


# ----------------------------------------------------------------------------- errors


def test_luhn_error_is_shown_and_nothing_typed_is_lost(founder_client):
    response = _post(founder_client, siren="000 000 011", website="https://carto.example")

    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Numéro SIREN : Le numéro SIREN « 000 000 011 » n'est pas valide (clé de contrôle "
        "incorrecte)." in text
    )
    assert 'href="#id_siren"' in response.content.decode()
    assert 'value="Cartodonnées"' in response.content.decode()
    assert 'value="000 000 011"' in response.content.decode()
    assert 'value="https://carto.example"' in response.content.decode()
    assert Organisation.objects.filter(kind=OrganisationKind.STARTUP).count() == 0


def test_a_siren_of_eight_digits_is_refused(founder_client):
    response = _post(founder_client, siren="12345678")

    assert "Un numéro SIREN compte exactement 9 chiffres (vous avez saisi « 12345678 »)." in (
        page_text(response)
    )
    assert Organisation.objects.filter(kind=OrganisationKind.STARTUP).count() == 0


def test_an_ambiguous_commune_lists_the_candidates(founder_client):
    response = _post(founder_client, commune="27400 La Haye")

    assert response.status_code == 200
    assert (
        "Plusieurs communes correspondent à « 27400 La Haye » : La Haye-le-Comte (27321), "
        "La Haye-Malherbe (27322). Saisissez le code INSEE de la vôtre (entre parenthèses)."
    ) in page_text(response)
    assert Organisation.objects.filter(siren=SIREN).exists() is False


def test_an_unknown_commune_is_refused(founder_client):
    response = _post(founder_client, commune="Rennes")

    assert (
        "Saisissez le code INSEE de la commune (5 caractères) ou son code postal suivi de son "
        "nom, par exemple « 35000 Rennes » (vous avez saisi « Rennes »)."
    ) in page_text(response)
    response = _post(founder_client, commune="35000 Brest")
    assert (
        "Aucune commune du référentiel ne correspond à « 35000 Brest ». Vérifiez le code INSEE, "
        "ou saisissez le code postal suivi du nom de la commune."
    ) in page_text(response)
    assert Organisation.objects.filter(siren=SIREN).exists() is False


# -------------------------------------------------------------------- duplicate SIREN


def test_a_siren_of_the_referential_creates_nothing_and_offers_to_join(founder, founder_client):
    before = Organisation.objects.count()

    response = _post(founder_client, name="Ma métropole", siren="243 500 139")

    assert response.status_code == 200
    assert Organisation.objects.count() == before
    assert Membership.objects.filter(user=founder).exists() is False
    text = page_text(response)
    assert (
        "Numéro SIREN : Ce numéro SIREN est déjà celui de « Rennes Métropole » : l'entreprise "
        "existe déjà." in text
    )
    assert "« Rennes Métropole » (SIREN 243500139) est déjà connue de la plateforme" in text
    content = response.content.decode()
    slug = Organisation.objects.get(siren=RENNES_METROPOLE_SIREN).slug
    assert f'<input type="hidden" name="organisation" value="{slug}">' in content
    assert "Demander le rattachement à Rennes Métropole" in text


def test_the_offered_request_is_a_pending_membership(founder, founder_client):
    MembershipFactory(
        organisation=OrganisationFactory(
            kind=OrganisationKind.STARTUP, name="Cartodonnées", siren=SIREN
        ),
        role=MembershipRole.MANAGER,
    )
    response = _post(founder_client)
    company = response.context["existing"]

    founder_client.post(ATTACH, {"organisation": company.slug, "q": SIREN})

    membership = Membership.objects.get(user=founder)
    assert membership.organisation == company
    assert membership.state == MembershipState.PENDING
    assert membership.role == MembershipRole.AGENT


def test_a_declared_company_is_not_declared_twice(founder_client):
    second = _client_for(UserFactory(email="associe@cartodonnees.example"))
    _post(founder_client)

    response = _post(second, name="Cartodonnées SAS")

    assert Organisation.objects.filter(siren=SIREN).count() == 1
    assert Organisation.objects.get(siren=SIREN).name == "Cartodonnées"
    assert "Ce numéro SIREN est déjà celui de « Cartodonnées »" in page_text(response)


def test_a_member_is_told_their_state_instead_of_a_button(founder, founder_client):
    _post(founder_client)

    response = _post(founder_client)

    text = page_text(response)
    assert "Votre rattachement à cette structure : En attente de confirmation." in text
    assert "Demander le rattachement à" not in text


# ----------------------------------------------------------------------------- domain


def test_declare_company_refuses_a_known_siren(founder):
    holder = OrganisationFactory(kind=OrganisationKind.STARTUP, siren=SIREN)

    with pytest.raises(companies.CompanyExists) as refusal:
        companies.declare_company(founder, name="Autre", siren="000 000 018")

    assert refusal.value.organisation == holder
    assert Membership.objects.filter(user=founder).exists() is False


def test_declare_company_turns_a_race_on_the_siren_into_company_exists(founder, monkeypatch):
    holder = OrganisationFactory(kind=OrganisationKind.STARTUP, siren=SIREN)
    calls = iter([None, holder])  # nobody at the check, the rival's row at the insert
    monkeypatch.setattr(companies, "holder_of", lambda siren: next(calls))

    def create_organisation(**fields):
        raise IntegrityError("UNIQUE constraint failed: territories_organisation.siren")

    monkeypatch.setattr(companies, "create_organisation", create_organisation)

    with pytest.raises(companies.CompanyExists) as refusal:
        companies.declare_company(founder, name="Cartodonnées", siren=SIREN)

    assert refusal.value.organisation == holder


def test_a_declared_company_waits_for_an_organiser_before_its_manager_may_act(founder):
    membership = companies.declare_company(founder, name="Cartodonnées", siren=SIREN)
    other = MembershipFactory(organisation=membership.organisation, state=MembershipState.PENDING)
    waiting = founder.has_perm("accounts.decide_membership", other)

    domain.set_membership_state(
        membership, MembershipState.CONFIRMED, by=UserFactory(is_organiser=True)
    )
    founder = type(founder).objects.get(pk=founder.pk)  # no cached memberships

    assert waiting is False
    assert founder.has_perm("accounts.decide_membership", other) is True
    assert Organisation.objects.get(siren=SIREN).listed is True
