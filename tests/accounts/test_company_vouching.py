"""A declared start-up's manager is confirmed by an organiser or by a verified email domain
before the company is listed publicly (issue 17, #10)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import companies
from accounts.enums import MembershipState
from territories.models import Organisation
from tests.factories import UserFactory

SIREN = "000000018"


def _declare(user, website: str = "https://www.cartodonnees.fr"):
    return companies.declare_company(user, name="Cartodonnées", siren=SIREN, website=website)


@pytest.fixture
def confirmed_founder(db):
    return UserFactory(email="fondatrice@cartodonnees.fr", email_confirmed_at=timezone.now())


def test_any_signed_in_person_with_an_unclaimed_siren_is_only_pending(db):
    stranger = UserFactory(email="quelquun@exemple.org", email_confirmed_at=timezone.now())

    membership = _declare(stranger)

    assert membership.state == MembershipState.PENDING
    assert membership.organisation.listed is False


def test_a_confirmed_address_at_the_website_domain_confirms_at_once(confirmed_founder):
    membership = _declare(confirmed_founder)

    assert membership.state == MembershipState.CONFIRMED
    assert membership.organisation.listed is True


@pytest.mark.parametrize(
    ("email", "confirmed", "website"),
    [
        ("fondatrice@cartodonnees.fr", False, "https://www.cartodonnees.fr"),  # unconfirmed
        ("fondatrice@gmail.com", True, "https://gmail.com"),  # anyone has an address there
        ("fondatrice@cartodonnees.fr", True, "https://cartodonnees.fr.evil.example"),
        ("fondatrice@cartodonnees.fr", True, ""),
    ],
)
def test_no_other_address_confirms(db, email, confirmed, website):
    user = UserFactory(email=email, email_confirmed_at=timezone.now() if confirmed else None)

    assert _declare(user, website=website).state == MembershipState.PENDING


def test_an_unlisted_company_is_hidden_from_the_public_referential(db, organiser):
    _declare(UserFactory(email="quelquun@exemple.org"))
    slug = Organisation.objects.get(siren=SIREN).slug
    detail = reverse("territories:organisation_detail", kwargs={"slug": slug})
    search = reverse("territories:organisation_list") + "?q=Cartodonnées"
    organiser_client = Client()
    organiser_client.force_login(organiser)

    assert Client().get(detail).status_code == 404
    assert f'href="{detail}"' not in Client().get(search).content.decode()
    assert organiser_client.get(detail).status_code == 200
    assert f'href="{detail}"' in organiser_client.get(search).content.decode()


def test_a_listed_company_is_public(confirmed_founder):
    slug = _declare(confirmed_founder).organisation.slug
    detail = reverse("territories:organisation_detail", kwargs={"slug": slug})

    assert Client().get(detail).status_code == 200
