"""Personas and the shared test database.

Every test database holds the real territorial referential (imported once per test database,
from the npm package fetched by `make data`), so personas are agents of real collectivités.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts import second_factor
from accounts.enums import MembershipState
from accounts.models import TotpDevice
from territories.models import Organisation

from .factories import MembershipFactory, UserFactory

PASSWORD = "mot-de-passe-solide-42"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request in English made by an earlier
    test leaves English active in the thread, and messages asserted in French would fail."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_open_call_cached():
    """Each test starts with the cached open calls of an empty database (contests.call): a copy
    left by an earlier test, whose rows were rolled back, would show its calls in the header."""
    from .open_calls import assume_no_open_call

    assume_no_open_call()


# Django's own force_login: the password step only, before the second factor.
_force_login_first_factor = Client.force_login


def _force_login_both_factors(self, user, backend=None) -> None:
    _force_login_first_factor(self, user, backend)
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    session = self.session
    session[second_factor.SESSION_KEY] = second_factor.session_marker(user, device)
    session.save()


@pytest.fixture
def referential_present(db, django_db_blocker):
    """The referential, for a transactional test: pytest-django runs those last, and each ends by
    emptying every table, so a second one in the same worker finds none (imported again here)."""
    if not Organisation.objects.filter(kind="region").exists():
        call_command("import_territories", verbosity=0)


@pytest.fixture(autouse=True)
def no_board_sums_kept():
    """Each test starts without the deliberation board's kept sums (awards.board_data): an
    earlier test's round, rolled back, may come back with the same ids and stamp."""
    from awards.board_data import forget_kept_sums

    forget_kept_sums()


@pytest.fixture(scope="session", autouse=True)
def force_login_gives_both_factors():
    """`Client.force_login` signs in with both factors: the password and the TOTP code.

    Thousands of tests sign organisers and jurors in with force_login to test what they may do
    once signed in; giving the second factor is a step of signing in, tested on its own in
    tests/accounts/test_two_factor*.py. So force_login leaves the session marked as the code
    page leaves it (accounts.second_factor.session_marker). The tests of the gate sign in with
    the password only through the `force_login_first_factor` fixture. Session-scoped, so that
    module-scoped fixtures signing people in get the same behaviour.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", _force_login_both_factors)
        yield


@pytest.fixture
def force_login_first_factor():
    """Sign a client in with the password only, as the login page leaves it before the code."""

    def sign_in(client: Client, user) -> Client:
        _force_login_first_factor(client, user)
        return client

    return sign_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territories", verbosity=0)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rennes(db) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code="35238")


@pytest.fixture
def brest(db) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code="29019")


@pytest.fixture
def organiser(db):
    return UserFactory(email="organisatrice@interconnectes.fr", is_organiser=True)


@pytest.fixture
def applicant(rennes):
    """An agent of the Ville de Rennes, membership confirmed."""
    return MembershipFactory(
        user__email="agent@rennes.fr", organisation=rennes, state=MembershipState.CONFIRMED
    ).user


@pytest.fixture
def other_applicant(brest):
    """An agent of the Ville de Brest: another collectivité."""
    return MembershipFactory(
        user__email="agent@brest.fr", organisation=brest, state=MembershipState.CONFIRMED
    ).user


@pytest.fixture
def pending_applicant(rennes):
    """Someone who asked to join the Ville de Rennes, not yet confirmed."""
    return MembershipFactory(
        user__email="candidat@exemple.fr", organisation=rennes, state=MembershipState.PENDING
    ).user


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def organiser_client(organiser) -> Client:
    return _client_for(organiser)


@pytest.fixture
def applicant_client(applicant) -> Client:
    return _client_for(applicant)


@pytest.fixture
def other_applicant_client(other_applicant) -> Client:
    return _client_for(other_applicant)
