"""Organisers verify the email domains of a structure; nobody else may."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipRole
from accounts.models import VerifiedDomain
from territories.models import Organisation
from tests.factories import MembershipFactory, UserFactory, VerifiedDomainFactory

from .pages import page_text

EPERNAY = "epernay-51230"
DOMAINS = reverse("accounts:organisation_domains", kwargs={"slug": EPERNAY})


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


@pytest.fixture
def epernay(db) -> Organisation:
    return Organisation.objects.get(slug=EPERNAY)


def test_visitor_may_not_see_domains(visitor, epernay):
    response = visitor.get(DOMAINS)

    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={DOMAINS}"


def test_applicant_may_not_see_nor_add_domains(applicant_client, epernay):
    assert applicant_client.get(DOMAINS).status_code == 403
    assert applicant_client.post(DOMAINS, {"domain": "ville-epernay.fr"}).status_code == 403
    assert VerifiedDomain.objects.exists() is False


def test_manager_of_the_structure_may_not_manage_its_domains(epernay):
    manager = MembershipFactory(organisation=epernay, role=MembershipRole.MANAGER).user

    assert _client_for(manager).get(DOMAINS).status_code == 403


def test_unknown_structure_is_not_found(organiser_client, db):
    url = reverse("accounts:organisation_domains", kwargs={"slug": "nulle-part-00000"})

    assert organiser_client.get(url).status_code == 404


def test_organiser_sees_the_domains(organiser_client, organiser, epernay):
    VerifiedDomainFactory(organisation=epernay, domain="ville-epernay.fr", verified_by=organiser)

    response = organiser_client.get(DOMAINS)

    assert response.status_code == 200
    assert [d.domain for d in response.context["verified_domains"]] == ["ville-epernay.fr"]
    text = page_text(response)
    assert "Domaines vérifiés de la structure « Épernay »" in text
    assert "Commune – Marne (51) – SIREN 215102120" in text
    assert "organisatrice@interconnectes.fr" in text
    assert 'name="remove" value="ville-epernay.fr"' in response.content.decode()


def test_no_domain_says_so(organiser_client, epernay):
    response = organiser_client.get(DOMAINS)

    assert "Aucun domaine n'est vérifié pour cette structure" in page_text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_domains_query_count(organiser_client, epernay, django_assert_num_queries, count):
    VerifiedDomainFactory.create_batch(count, organisation=epernay)

    # session, user, the structure with its département, its domains with who verified them.
    with django_assert_num_queries(4):
        response = organiser_client.get(DOMAINS)

    assert len(response.context["verified_domains"]) == count


def test_organiser_adds_a_domain(organiser_client, organiser, epernay):
    response = organiser_client.post(DOMAINS, {"domain": "@Ville-Epernay.FR"})

    assert response.status_code == 302
    assert response["Location"] == DOMAINS
    verified = VerifiedDomain.objects.get(organisation=epernay)
    assert (verified.domain, verified.verified_by) == ("ville-epernay.fr", organiser)
    assert _messages(response) == [
        "Le domaine ville-epernay.fr est vérifié : les prochaines demandes faites avec une "
        "adresse confirmée de ce domaine seront confirmées sans attendre."
    ]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (
            "gmail.com",
            "« gmail.com » est une messagerie ouverte à tous : n'importe qui pourrait s'y créer "
            "une adresse. Seul le domaine propre à la structure peut être vérifié.",
        ),
        (
            "ville epernay",
            "« ville epernay » n'est pas un nom de domaine (exemple : ville-epernay.fr).",
        ),
    ],
)
def test_bad_domain_is_refused_and_kept(organiser_client, epernay, typed, error):
    response = organiser_client.post(DOMAINS, {"domain": typed})

    assert response.status_code == 200
    assert response.context["form"].errors["domain"] == [error]
    assert f'value="{typed}"' in response.content.decode()
    assert page_text(response).count("Erreur – Domaines vérifiés de la structure « Épernay »") == 1
    assert VerifiedDomain.objects.exists() is False


def test_domain_already_verified_is_refused(organiser_client, epernay):
    VerifiedDomainFactory(organisation=epernay, domain="ville-epernay.fr")

    response = organiser_client.post(DOMAINS, {"domain": "ville-epernay.fr"})

    assert response.context["form"].errors["domain"] == [
        "Le domaine ville-epernay.fr est déjà vérifié pour cette structure."
    ]
    assert VerifiedDomain.objects.count() == 1


def test_organiser_removes_a_domain(organiser_client, epernay):
    VerifiedDomainFactory(organisation=epernay, domain="ville-epernay.fr")
    kept = VerifiedDomainFactory(organisation=epernay, domain="agglo-epernay.fr")

    response = organiser_client.post(DOMAINS, {"remove": "ville-epernay.fr"})

    assert response["Location"] == DOMAINS
    assert list(VerifiedDomain.objects.all()) == [kept]
    assert _messages(response) == [
        "Le domaine ville-epernay.fr n'est plus vérifié pour cette structure."
    ]


def test_removing_another_structures_domain_does_nothing(organiser_client, epernay, rennes):
    other = VerifiedDomainFactory(organisation=rennes, domain="ville-rennes.fr")

    organiser_client.post(DOMAINS, {"remove": "ville-rennes.fr"})

    assert list(VerifiedDomain.objects.all()) == [other]


def test_superuser_may_read_domains_in_the_admin_but_not_add_there(db, epernay):
    VerifiedDomainFactory(organisation=epernay, domain="ville-epernay.fr")
    client = _client_for(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("admin:accounts_verifieddomain_changelist"))
    adding = client.get(reverse("admin:accounts_verifieddomain_add"))

    assert listing.status_code == 200
    assert "ville-epernay.fr" in listing.content.decode()
    assert adding.status_code == 403
