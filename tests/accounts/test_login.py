from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import login_throttle, throttling
from tests.conftest import PASSWORD
from tests.factories import UserFactory

LOGIN = reverse("accounts:login")
INVALID = "Adresse électronique ou mot de passe incorrect."
THROTTLED = (
    "Trop de tentatives de connexion ont échoué. Pour votre sécurité, réessayez dans 15 minutes."
)


def _post(client: Client, email: str, password: str, address: str = "192.0.2.1"):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=address)


def _errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_login_by_email_signs_in(visitor, applicant):
    response = _post(visitor, "agent@rennes.fr", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert visitor.session[SESSION_KEY] == str(applicant.pk)


def test_login_ignores_case_and_spaces_in_email(visitor, applicant):
    response = _post(visitor, "  Agent@Rennes.FR ", PASSWORD)

    assert response.status_code == 302
    assert visitor.session[SESSION_KEY] == str(applicant.pk)


def test_login_follows_a_safe_next_url(visitor, applicant):
    response = visitor.post(
        LOGIN + "?next=/compte/", {"email": "agent@rennes.fr", "password": PASSWORD}
    )

    assert response["Location"] == "/compte/"


def test_login_ignores_a_next_url_to_another_host(visitor, applicant):
    response = visitor.post(
        LOGIN + "?next=https://ailleurs.example/",
        {"email": "agent@rennes.fr", "password": PASSWORD},
    )

    assert response["Location"] == "/"


def test_login_with_wrong_password_is_refused(visitor, applicant):
    response = _post(visitor, "agent@rennes.fr", "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert _errors(response) == [INVALID]
    assert SESSION_KEY not in visitor.session
    page = response.content.decode()
    assert 'value="agent@rennes.fr"' in page
    assert "<title>Erreur \N{EN DASH} Se connecter · Palmarès</title>" in page


def test_login_with_unknown_email_gets_the_same_message(visitor, db):
    response = _post(visitor, "inconnu@exemple.fr", PASSWORD)

    assert response.status_code == 200
    assert _errors(response) == [INVALID]


def test_login_of_inactive_account_gets_the_same_message(visitor, db):
    UserFactory(email="parti@exemple.fr", is_active=False)

    response = _post(visitor, "parti@exemple.fr", PASSWORD)

    assert _errors(response) == [INVALID]
    assert SESSION_KEY not in visitor.session


def test_unconfirmed_user_may_sign_in(visitor, db):
    user = UserFactory(email="pas-confirme@exemple.fr", email_confirmed_at=None)

    response = _post(visitor, "pas-confirme@exemple.fr", PASSWORD)

    assert response.status_code == 302
    assert visitor.session[SESSION_KEY] == str(user.pk)


@pytest.fixture
def frozen(monkeypatch):
    """The throttle's clock, stopped at a fixed moment; `frozen.move(seconds)` moves it."""
    clock = SimpleNamespace(now=1_800_000_000.0)
    clock.move = lambda seconds: setattr(clock, "now", clock.now + seconds)
    monkeypatch.setattr(login_throttle, "_now", lambda: clock.now)
    return clock


def _seconds(count: int) -> str:
    return (
        "Trop de tentatives de connexion ont échoué. "
        f"Pour votre sécurité, réessayez dans {count} secondes."
    )


def test_throttling_refuses_the_sixth_attempt_even_with_the_right_password(
    visitor, applicant, frozen
):
    for _attempt in range(5):
        response = _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe")
        assert _errors(response) == [INVALID]

    response = _post(visitor, "agent@rennes.fr", PASSWORD)

    assert response.status_code == 429
    assert _errors(response) == [THROTTLED]
    assert SESSION_KEY not in visitor.session


def test_failures_from_many_addresses_slow_an_unknown_source_without_locking(
    visitor, applicant, frozen
):
    for attempt in range(5):
        _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe", address=f"192.0.2.{attempt}")

    refused = _post(visitor, "agent@rennes.fr", PASSWORD, address="198.51.100.7")
    frozen.move(15)
    passed = _post(visitor, "agent@rennes.fr", PASSWORD, address="198.51.100.7")

    assert (refused.status_code, _errors(refused)) == (429, [_seconds(15)])
    assert passed.status_code == 302


def test_each_further_failure_doubles_the_delay(visitor, applicant, frozen):
    for attempt in range(6):
        frozen.move(60)
        _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe", address=f"192.0.2.{attempt}")

    response = _post(visitor, "agent@rennes.fr", PASSWORD, address="198.51.100.7")

    assert _errors(response) == [_seconds(30)]


def test_the_person_who_knows_the_password_passes_from_a_known_address(visitor, applicant, frozen):
    # She signed in from her office before; someone elsewhere then guessed five times.
    _post(visitor, "agent@rennes.fr", PASSWORD, address="198.51.100.7")
    attacker = Client()
    for attempt in range(5):
        _post(attacker, "agent@rennes.fr", "mauvais-mot-de-passe", address=f"192.0.2.{attempt}")

    response = _post(Client(), "agent@rennes.fr", PASSWORD, address="198.51.100.7")

    assert response.status_code == 302


def test_the_person_who_knows_the_password_passes_from_a_known_device(visitor, applicant, frozen):
    # Her laptop signed in before (its cookie), now on a hotel's network never seen.
    _post(visitor, "agent@rennes.fr", PASSWORD, address="198.51.100.7")
    visitor.post(reverse("accounts:logout"))
    for attempt in range(5):
        _post(Client(), "agent@rennes.fr", "mauvais-mot-de-passe", address=f"192.0.2.{attempt}")

    known = _post(visitor, "agent@rennes.fr", PASSWORD, address="203.0.113.50")
    unknown = _post(Client(), "agent@rennes.fr", PASSWORD, address="203.0.113.51")

    assert known.status_code == 302
    assert unknown.status_code == 429


def test_a_forged_device_cookie_is_not_known(visitor, applicant, frozen):
    for attempt in range(5):
        _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe", address=f"192.0.2.{attempt}")
    visitor.cookies[login_throttle.KNOWN_DEVICE_COOKIE] = "0123456789abcdef"

    response = _post(visitor, "agent@rennes.fr", PASSWORD, address="203.0.113.50")

    assert response.status_code == 429


def test_throttling_by_address_holds_across_emails(visitor, applicant, other_applicant, frozen):
    for attempt in range(30):
        _post(visitor, f"essai{attempt}@exemple.fr", "mauvais-mot-de-passe")

    response = _post(visitor, "agent@brest.fr", PASSWORD)

    assert response.status_code == 429
    assert _errors(response) == [THROTTLED]


def test_other_address_and_email_are_not_throttled(visitor, applicant, other_applicant, frozen):
    for _attempt in range(5):
        _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe")

    response = _post(visitor, "agent@brest.fr", PASSWORD, address="198.51.100.7")

    assert response.status_code == 302
    assert visitor.session[SESSION_KEY] == str(other_applicant.pk)


def test_throttling_ends_with_the_window(visitor, applicant, frozen):
    for _attempt in range(5):
        _post(visitor, "agent@rennes.fr", "mauvais-mot-de-passe")

    frozen.move(780)
    response = _post(visitor, "agent@rennes.fr", PASSWORD)
    assert _errors(response) == [
        "Trop de tentatives de connexion ont échoué. Pour votre sécurité, réessayez dans 2 minutes."
    ]

    frozen.move(120)
    response = _post(visitor, "agent@rennes.fr", PASSWORD)
    assert response.status_code == 302


def test_throttle_check_counts_per_address():
    for _attempt in range(5):
        throttling.record_failure("a@exemple.fr", "192.0.2.1")

    refusal = throttling.check("b@exemple.fr", "192.0.2.1")

    assert refusal is not None
    assert 899 <= refusal.retry_after_seconds <= 900
    assert refusal.retry_after_minutes == 15
    assert throttling.check("b@exemple.fr", "192.0.2.2") is None


def test_logout_is_post_only(applicant_client):
    response = applicant_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert SESSION_KEY in applicant_client.session


def test_logout_by_post_signs_out(applicant_client):
    response = applicant_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in applicant_client.session


def test_login_page_shows_the_form(visitor, db):
    response = visitor.get(LOGIN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Se connecter</h1>" in page
    assert 'autocomplete="current-password"' in page
    assert 'href="/compte/mot-de-passe/oublie/"' in page
