"""The second-factor gate: who is asked, where they are sent, what stays open, sign-in."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import second_factor
from jury.enums import JurorState
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.jury.factories import JurorFactory
from tests.jury.scoring_setup import make_setup

from .two_factor_support import ENROL, VERIFY, enrol_device, marker, next_code, with_next

DOSSIER = "LTI-2027-0001"


@pytest.fixture
def scoring(db):
    """A round in jury scoring with Anne, a juror assigned to Rennes's dossier."""
    setup = make_setup(year=2027)
    entry = setup.dossier(DOSSIER)
    juror = setup.juror("Anne Jurée", user=UserFactory(email="jure@exemple.org"))
    setup.assign(juror, entry)
    setup.anne = juror.user
    return setup


def _dossier_and_score_urls(scoring) -> list[str]:
    return [
        reverse("jury:home"),
        scoring.url("juror_round"),
        scoring.url("evaluation", DOSSIER),
        scoring.url("declare_conflicts"),
        reverse("applications:detail", kwargs={"reference": DOSSIER}),
    ]


# ------------------------------------------------------------------------- who is asked


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_organiser": True}, True),
        ({"is_staff": True}, True),
        ({"is_superuser": True}, True),
        ({}, False),
    ],
)
def test_requires_second_factor_by_role(fields, expected):
    assert second_factor.requires_second_factor(UserFactory(**fields)) is expected


@pytest.fixture
def no_registered_role(monkeypatch):
    monkeypatch.setattr(second_factor, "_roles", {})


@pytest.mark.django_db
def test_a_role_registered_after_import_requires_it(no_registered_role):
    second_factor.register_second_factor_role("tester", lambda user: user.email == "t@exemple.fr")

    assert second_factor.requires_second_factor(UserFactory(email="t@exemple.fr")) is True


@pytest.mark.django_db
def test_without_a_registered_role_others_are_not_asked(no_registered_role):
    second_factor.register_second_factor_role("tester", lambda user: user.email == "t@exemple.fr")

    assert second_factor.requires_second_factor(UserFactory(email="u@exemple.fr")) is False


@pytest.mark.django_db
@pytest.mark.parametrize("state", [JurorState.ACCEPTED, JurorState.INVITED])
def test_requires_second_factor_of_any_juror(state):
    juror = JurorFactory(state=state)

    assert second_factor.requires_second_factor(juror.user) is True


def test_juror_without_totp_is_sent_to_enrolment_before_any_dossier_or_score(
    scoring, force_login_first_factor
):
    client = force_login_first_factor(Client(), scoring.anne)

    for url in _dossier_and_score_urls(scoring):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"] == with_next(ENROL, url)


def test_juror_with_both_factors_may_reach_the_dossier_to_score(scoring):
    client = Client()
    client.force_login(scoring.anne)  # both factors: see tests/conftest.py

    response = client.get(scoring.url("evaluation", DOSSIER))

    assert response.status_code == 200
    assert response.context["application"].reference == DOSSIER


def test_juror_with_totp_who_gave_only_the_password_is_sent_to_the_code_page(
    scoring, force_login_first_factor
):
    enrol_device(scoring.anne)
    client = force_login_first_factor(Client(), scoring.anne)
    url = scoring.url("evaluation", DOSSIER)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == with_next(VERIFY, url)


@pytest.mark.parametrize(
    "url",
    [
        reverse("contests:dashboard"),
        reverse("accounts:memberships"),
        reverse("opendata:results_csv", kwargs={"contest_slug": "label", "year": 2027}),
        reverse("catalogue:transparency_edit", kwargs={"year": 2024}),
        "/admin-technique/",
    ],
)
def test_organiser_without_second_factor_is_sent_to_enrolment(
    organiser, force_login_first_factor, url
):
    client = force_login_first_factor(Client(), organiser)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == with_next(ENROL, url)


def test_organiser_with_both_factors_may_see_the_dashboard(organiser_client):
    response = organiser_client.get(reverse("contests:dashboard"))

    assert response.status_code == 200


def test_applicant_is_never_asked_for_a_second_factor(applicant, force_login_first_factor):
    client = force_login_first_factor(Client(), applicant)

    for url in (reverse("applications:my_applications"), reverse("accounts:account")):
        response = client.get(url)

        assert response.status_code == 200, url
    assert second_factor.needs_second_factor(applicant) is False


def test_applicant_who_enrolled_an_authenticator_is_asked_for_it(
    applicant, force_login_first_factor
):
    enrol_device(applicant)
    client = force_login_first_factor(Client(), applicant)
    url = reverse("applications:my_applications")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == with_next(VERIFY, url)


# --------------------------------------------------------------------- what stays open


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("catalogue:home", {}),
        ("catalogue:palmares", {}),
        ("catalogue:statistics", {}),
        ("opendata:data", {}),
        ("opendata:api_docs", {}),
        ("opendata:laureates", {}),
        ("territories:organisation_list", {}),
        ("accounts:login", {}),
        ("accounts:password_reset", {}),
        ("accounts:two_factor_enrol", {}),
    ],
)
def test_public_and_sign_in_pages_are_not_gated(organiser, force_login_first_factor, name, kwargs):
    client = force_login_first_factor(Client(), organiser)

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200


def test_jury_invitation_is_not_gated(scoring, force_login_first_factor):
    client = force_login_first_factor(Client(), scoring.anne)

    response = client.get(reverse("jury:invitation", kwargs={"token": "jeton-inconnu"}))

    assert response.status_code == 404
    assert response.templates[0].name == "jury/jurors/invitation_invalid.html"


def test_language_switch_is_not_gated(organiser, force_login_first_factor):
    client = force_login_first_factor(Client(), organiser)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/palmares/"})

    assert response.status_code == 302
    assert response["Location"] == "/palmares/"


def test_sign_out_is_not_gated(organiser, force_login_first_factor):
    client = force_login_first_factor(Client(), organiser)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_visitor_is_sent_to_the_login_page_not_to_the_second_factor(db):
    response = Client().get(reverse("contests:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/organisation/"


# --------------------------------------------------------------------------- htmx


def test_htmx_request_gets_403_with_a_french_message_and_a_full_page_redirect(
    organiser, force_login_first_factor
):
    client = force_login_first_factor(Client(), organiser)

    response = client.get(
        reverse("contests:dashboard"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/organisation/?q=1"},
    )

    assert response.status_code == 403
    assert response.content.decode() == (
        "Confirmez d'abord votre identité avec le code de votre application d'authentification."
    )
    assert response["HX-Redirect"] == with_next(ENROL, "/organisation/?q=1")


def test_htmx_request_from_another_site_gets_no_next(organiser, force_login_first_factor):
    client = force_login_first_factor(Client(), organiser)

    response = client.get(
        reverse("contests:dashboard"),
        headers={"HX-Request": "true", "HX-Current-URL": "https://ailleurs.example/organisation/"},
    )

    assert response.status_code == 403
    assert response["HX-Redirect"] == ENROL


# ------------------------------------------------------------------------ sign-in


def _sign_in(client: Client, email: str, next_path: str = ""):
    url = reverse("accounts:login") + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"email": email, "password": PASSWORD})


def test_organiser_without_totp_goes_from_the_password_to_enrolment_keeping_next(organiser):
    client = Client()

    response = _sign_in(client, organiser.email, "/organisation/")

    assert response.status_code == 302
    assert response["Location"] == with_next(ENROL, "/organisation/")
    assert marker(client) is None


def test_organiser_with_totp_goes_from_the_password_to_the_code_page_keeping_next(organiser):
    enrol_device(organiser)
    client = Client()

    response = _sign_in(client, organiser.email, "/organisation/")

    assert response["Location"] == with_next(VERIFY, "/organisation/")


def test_sign_in_refuses_an_external_next_before_the_second_factor(organiser):
    enrol_device(organiser)

    response = _sign_in(Client(), organiser.email, "https://ailleurs.example/")

    assert response["Location"] == with_next(VERIFY, "/")


def test_applicant_goes_from_the_password_straight_to_next(applicant):
    response = _sign_in(Client(), applicant.email, "/compte/")

    assert response["Location"] == "/compte/"


def test_full_sign_in_of_an_organiser_with_totp(organiser):
    device = enrol_device(organiser)
    client = Client()
    location = _sign_in(client, organiser.email, "/organisation/")["Location"]

    response = client.post(location, {"code": next_code(device.secret), "next": "/organisation/"})

    assert response.status_code == 302
    assert response["Location"] == "/organisation/"
    assert client.get("/organisation/").status_code == 200


# -------------------------------------------------------------- session marker


def test_re_enrolment_ends_the_second_factor_of_older_sessions(
    scoring, force_login_first_factor, monkeypatch
):
    url = scoring.url("juror_round")
    old_device = enrol_device(scoring.anne)
    older = force_login_first_factor(Client(), scoring.anne)
    older.post(VERIFY, {"code": next_code(old_device.secret)})
    assert older.get(url).status_code == 200
    newer = force_login_first_factor(Client(), scoring.anne)
    newer.post(VERIFY, {"recovery_code": old_device.recovery_codes[0]})
    newer.get(ENROL)
    secret = newer.session[second_factor.PENDING_SESSION_KEY]["secret"]
    newer.post(ENROL, {"code": next_code(secret)})
    later = second_factor._now() + second_factor.RECHECK_SECONDS
    monkeypatch.setattr(second_factor, "_now", lambda: later)

    stale = older.get(url)
    fresh = newer.get(url)

    assert stale.status_code == 302
    assert stale["Location"] == with_next(VERIFY, url)
    assert marker(older) is None
    assert fresh.status_code == 200


def test_marker_of_another_user_is_not_trusted(scoring, organiser, force_login_first_factor):
    client = force_login_first_factor(Client(), scoring.anne)
    session = client.session
    session[second_factor.SESSION_KEY] = second_factor.session_marker(organiser, None)
    session.save()

    response = client.get(scoring.url("juror_round"))

    assert response.status_code == 302
    assert response["Location"] == with_next(ENROL, scoring.url("juror_round"))


def test_verified_session_is_recognised_without_a_query(
    organiser, organiser_client, rf, django_assert_num_queries
):
    request = rf.get("/organisation/")
    request.user, request.session = organiser, organiser_client.session
    assert second_factor.SESSION_KEY in request.session  # read once, as for any request

    # The marker is trusted for RECHECK_SECONDS: the gate costs no query on most requests.
    with django_assert_num_queries(0):
        assert second_factor.is_verified(request) is True
