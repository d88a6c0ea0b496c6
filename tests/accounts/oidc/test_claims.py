"""The domain of a provider sign-in, from claims (no provider needed)."""

import pytest

from accounts.enums import MembershipRequestOutcome, MembershipState
from accounts.models import Membership, OidcIdentity
from accounts.oidc import Refusal, SiretStatus, sign_in_from_claims, siren_of_siret
from tests.factories import OrganisationFactory, UserFactory

PROVIDER = "https://auth.proconnect.example/api/v2"


def _claims(**changes) -> dict:
    return {
        "sub": "abc-123",
        "email": "camille.durand@rennes.fr",
        "given_name": "Camille",
        "usual_name": "Durand",
        **changes,
    }


@pytest.mark.parametrize(
    ("siret", "siren"),
    [
        ("21350238800019", "213502388"),  # Ville de Rennes
        ("213 502 388 00019", "213502388"),
        ("35600000000048", "356000000"),  # La Poste, Luhn-valid
        ("35600000049837", "356000000"),  # La Poste, digit sum a multiple of 5
    ],
)
def test_valid_siret_gives_its_siren(siret, siren):
    assert siren_of_siret(siret) == siren


@pytest.mark.parametrize(
    "siret",
    ["21350238800018", "2135023880001", "213502388000190", "2135023880001A", "", "35600000049838"],
)
def test_invalid_siret_gives_no_siren(siret):
    assert siren_of_siret(siret) is None


def test_new_account_from_claims(db):
    outcome = sign_in_from_claims(PROVIDER, _claims(email=" Camille.Durand@Rennes.FR "))

    assert outcome.created is True
    assert outcome.user.email == "camille.durand@rennes.fr"
    assert outcome.user.full_name == "Camille Durand"
    assert outcome.siret_status == SiretStatus.ABSENT


def test_only_useful_claims_are_stored(db):
    outcome = sign_in_from_claims(
        PROVIDER, _claims(phone_number="0600000000", iss=PROVIDER, nonce="n", siret="")
    )

    assert OidcIdentity.objects.get(user=outcome.user).claims == {
        "sub": "abc-123",
        "email": "camille.durand@rennes.fr",
        "given_name": "Camille",
        "usual_name": "Durand",
        "siret": "",
    }


def test_known_identity_keeps_its_account_when_the_address_changes(db):
    first = sign_in_from_claims(PROVIDER, _claims())

    again = sign_in_from_claims(PROVIDER, _claims(email="c.durand@rennes.fr"))

    assert again.user == first.user
    assert again.created is False
    assert again.user.email == "camille.durand@rennes.fr"
    assert OidcIdentity.objects.get().claims["email"] == "c.durand@rennes.fr"


def test_same_subject_at_another_provider_is_another_identity(db):
    sign_in_from_claims(PROVIDER, _claims())

    other = sign_in_from_claims("https://autre.example", _claims(email="autre@exemple.fr"))

    assert other.created is True
    assert OidcIdentity.objects.count() == 2


def test_claims_without_email_are_refused(db):
    outcome = sign_in_from_claims(PROVIDER, _claims(email=""))

    assert outcome.user is None
    assert outcome.refusal == Refusal.NO_EMAIL
    assert OidcIdentity.objects.exists() is False


def test_inactive_account_is_refused(db):
    UserFactory(email="camille.durand@rennes.fr", is_active=False)

    outcome = sign_in_from_claims(PROVIDER, _claims())

    assert outcome.user is None
    assert outcome.refusal == Refusal.INACTIVE


def test_untrusted_address_makes_an_unconfirmed_account(db):
    outcome = sign_in_from_claims(PROVIDER, _claims(), trust_email=False)

    assert outcome.created is True
    assert outcome.user.email_confirmed_at is None


def test_untrusted_address_of_an_existing_account_is_refused(db):
    UserFactory(email="camille.durand@rennes.fr")

    outcome = sign_in_from_claims(PROVIDER, _claims(), trust_email=False)

    assert outcome.user is None
    assert outcome.refusal == Refusal.EMAIL_TAKEN


def test_siret_proposes_a_pending_membership_never_a_confirmed_one(db):
    structure = OrganisationFactory(siren="552100554")

    outcome = sign_in_from_claims(PROVIDER, _claims(siret="55210055400013"))

    assert outcome.siret_status == SiretStatus.PROPOSED
    assert outcome.organisation == structure
    assert outcome.membership.outcome == MembershipRequestOutcome.PENDING
    assert Membership.objects.get(user=outcome.user).state == MembershipState.PENDING


def test_siret_of_a_structure_that_refused_the_person_is_reported(db):
    structure = OrganisationFactory(siren="552100554")
    first = sign_in_from_claims(PROVIDER, _claims(siret="55210055400013"))
    Membership.objects.filter(user=first.user).update(state=MembershipState.REJECTED)

    outcome = sign_in_from_claims(PROVIDER, _claims(siret="55210055400013"))

    assert outcome.siret_status == SiretStatus.REFUSED
    assert outcome.organisation == structure
    assert Membership.objects.get(user=first.user).state == MembershipState.REJECTED


def test_unknown_and_invalid_sirets_propose_nothing(db):
    unknown = sign_in_from_claims(PROVIDER, _claims(siret="55210055400013"))
    invalid = sign_in_from_claims(PROVIDER, _claims(siret="55210055400012"))

    assert (unknown.siret_status, unknown.siret) == (SiretStatus.UNKNOWN, "55210055400013")
    assert (invalid.siret_status, invalid.siret) == (SiretStatus.INVALID, "55210055400012")
    assert Membership.objects.exists() is False
