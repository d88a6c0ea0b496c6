"""End to end against the loopback provider: our pages (Django's test Client), the provider's
forms (requests over real HTTP), our callback, which calls the provider's token, JWKS and
userinfo endpoints over loopback HTTP in turn."""

import html
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts import oidc
from accounts.enums import MembershipState
from accounts.models import Membership, OidcIdentity, User, VerifiedDomain
from territories.models import Organisation
from tests.accounts.pages import page_text
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory

from .conftest import CLIENT_ID
from .flow import path_of, sign_in, sign_in_at_provider, start

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("oidc-provider")]

PENDING_RENNES = "Votre demande de rattachement à Rennes attend la validation d'un gestionnaire."
CREATED = "Votre compte Palmarès a été créé."


def _messages(response) -> list[str]:
    # Entities decoded (messages with a link are HTML); tags stay as they are.
    return [html.unescape(str(message)) for message in get_messages(response.wsgi_request)]


def _changed(url: str, **changes: str) -> str:
    """The URL with some query parameters replaced (a tampered callback)."""
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, **changes})).geturl()


def test_sign_in_creates_a_user_pending_at_the_structure_of_its_siret(
    client, oidc_settings, rennes
):
    response = sign_in(client, "agent-rennes")

    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    user = User.objects.get(email="camille.durand@rennes.fr")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.full_name == "Camille Durand"
    assert user.email_confirmed_at is not None
    assert user.has_usable_password() is False
    identity = OidcIdentity.objects.get(user=user)
    assert identity.provider == oidc_settings.OIDC_PROVIDER_URL
    assert identity.subject == "agent-rennes"
    assert identity.claims == {
        "sub": "agent-rennes",
        "email": "camille.durand@rennes.fr",
        "given_name": "Camille",
        "usual_name": "Durand",
        "siret": "21350238800019",
        "idp_id": "fia1",
    }
    membership = Membership.objects.get(user=user)
    assert membership.organisation == rennes
    assert membership.state == MembershipState.PENDING
    assert membership.decided_at is None
    landing = client.get(response["Location"])
    assert CREATED in page_text(landing)
    assert PENDING_RENNES in page_text(landing)


def test_userinfo_as_a_signed_jwt_is_verified_with_the_provider_keys(
    client, oidc_settings, rennes, monkeypatch
):
    decoded = []
    real_decode = oidc.jwt.decode

    def spy(value, key, **kwargs):
        result = real_decode(value, key, **kwargs)
        decoded.append(result.claims.get("siret"))
        return result

    monkeypatch.setattr(oidc.jwt, "decode", spy)

    sign_in(client, "agent-rennes")

    # Once for the ID token (Authlib), once for the userinfo JWT (ours), which alone has siret.
    assert decoded == [None, "21350238800019"]


def test_userinfo_as_plain_json_is_read_too(client, oidc_settings, rennes, monkeypatch):
    oidc_settings.OIDC_CLIENT_ID = f"{CLIENT_ID}-json"
    decoded = []
    real_decode = oidc.jwt.decode
    monkeypatch.setattr(
        oidc.jwt,
        "decode",
        lambda *args, **kwargs: decoded.append(1) or real_decode(*args, **kwargs),
    )

    response = sign_in(client, "agent-rennes")

    assert response["Location"] == "/compte/"
    assert decoded == [1]  # the ID token only
    membership = Membership.objects.get(user__email="camille.durand@rennes.fr")
    assert (membership.organisation, membership.state) == (rennes, MembershipState.PENDING)


def test_second_sign_in_reuses_the_user_and_its_request(client, oidc_settings, rennes):
    sign_in(client, "agent-rennes")
    user = User.objects.get(email="camille.durand@rennes.fr")
    again = Client()

    response = sign_in(again, "agent-rennes")

    assert again.session[SESSION_KEY] == str(user.pk)
    assert User.objects.filter(email="camille.durand@rennes.fr").count() == 1
    assert OidcIdentity.objects.filter(user=user).count() == 1
    assert list(Membership.objects.filter(user=user).values_list("state", flat=True)) == [
        MembershipState.PENDING
    ]
    assert _messages(response) == [
        "Votre demande de rattachement à Rennes attend toujours la validation d'un gestionnaire."
    ]


def test_existing_password_account_is_linked_by_email(client, oidc_settings, rennes):
    existing = UserFactory(
        email="claude.bernard@rennes.fr", full_name="C. Bernard", email_confirmed_at=None
    )

    response = sign_in(client, "agent-deja-inscrit")

    assert client.session[SESSION_KEY] == str(existing.pk)
    existing.refresh_from_db()
    assert existing.full_name == "C. Bernard"
    assert existing.email_confirmed_at is not None
    assert existing.check_password(PASSWORD) is True
    assert OidcIdentity.objects.get(user=existing).subject == "agent-deja-inscrit"
    assert Membership.objects.get(user=existing).state == MembershipState.PENDING
    assert _messages(response) == [
        "Votre compte Palmarès existant est désormais relié à ProConnect.",
        PENDING_RENNES,
    ]
    # The password still works for that account.
    assert Client().login(email="claude.bernard@rennes.fr", password=PASSWORD) is True


def test_existing_account_is_not_linked_when_addresses_are_not_trusted(
    client, oidc_settings, rennes
):
    oidc_settings.OIDC_TRUST_EMAIL = False
    existing = UserFactory(email="claude.bernard@rennes.fr")

    response = sign_in(client, "agent-deja-inscrit")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert OidcIdentity.objects.filter(user=existing).exists() is False
    assert Membership.objects.filter(user=existing).exists() is False
    assert _messages(response) == [
        "Un compte Palmarès existe déjà avec l'adresse électronique que ProConnect nous a "
        "transmise. Connectez-vous avec votre mot de passe (ou demandez-en un nouveau) ; la "
        "connexion par ProConnect n'est pas reliée aux comptes existants sur ce site."
    ]


def test_verified_domain_of_the_structure_confirms_the_membership(client, oidc_settings, rennes):
    VerifiedDomain.objects.create(organisation=rennes, domain="rennes.fr")

    response = sign_in(client, "agent-rennes")

    membership = Membership.objects.get(user__email="camille.durand@rennes.fr")
    assert membership.state == MembershipState.CONFIRMED
    assert _messages(response) == [
        CREATED,
        "Votre adresse @rennes.fr est un domaine vérifié de Rennes : votre rattachement est "
        "confirmé.",
    ]


def test_previously_refused_membership_is_not_asked_again(client, oidc_settings, rennes):
    user = UserFactory(email="camille.durand@rennes.fr")
    MembershipFactory(user=user, organisation=rennes, state=MembershipState.REJECTED)

    response = sign_in(client, "agent-rennes")

    assert client.session[SESSION_KEY] == str(user.pk)
    assert Membership.objects.get(user=user).state == MembershipState.REJECTED
    assert _messages(response)[-1] == (
        "Votre demande de rattachement à Rennes a été refusée. Si c'est une erreur, contactez "
        "l'équipe organisatrice du label."
    )


def test_unknown_siren_says_so_and_links_to_the_attach_page(client, oidc_settings, db):
    assert Organisation.objects.filter(siren="552100554").exists() is False

    response = sign_in(client, "agent-entreprise")

    user = User.objects.get(email="dominique.martin@entreprise.example")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert Membership.objects.filter(user=user).exists() is False
    assert _messages(response) == [
        CREATED,
        "Aucune structure du référentiel ne correspond au SIRET « 55210055400013 » transmis "
        "par ProConnect : cherchez la vôtre pour demander le rattachement. "
        '<a href="/compte/structures/rattacher/">Rattacher mon compte à une structure</a>',
    ]


def test_invalid_siret_says_so_and_proposes_nothing(client, oidc_settings, rennes):
    response = sign_in(client, "agent-siret-faux")

    user = User.objects.get(email="alex.petit@rennes.fr")
    assert Membership.objects.filter(user=user).exists() is False
    assert _messages(response) == [
        CREATED,
        "Le numéro SIRET « 21350238800018 » transmis par ProConnect n'est pas valide : aucun "
        "rattachement n'a été proposé. "
        '<a href="/compte/structures/rattacher/">Rattacher mon compte à une structure</a>',
    ]


def test_no_siret_signs_in_without_proposing(client, oidc_settings, db):
    response = sign_in(client, "agent-sans-siret")

    user = User.objects.get(email="sam.leroy@brest.fr")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert Membership.objects.filter(user=user).exists() is False
    assert _messages(response) == [CREATED]


def test_next_page_on_this_site_is_reached_after_sign_in(client, oidc_settings, db):
    response = sign_in(client, "agent-sans-siret", query="?next=/palmares/")

    assert response["Location"] == "/palmares/"


def test_next_page_on_another_site_is_ignored(client, oidc_settings, db):
    response = sign_in(client, "agent-sans-siret", query="?next=https://ailleurs.example/")

    assert response["Location"] == "/compte/"


def test_organiser_signed_in_by_the_provider_still_gives_a_second_factor(client, oidc_settings, db):
    organiser = UserFactory(email="sam.leroy@brest.fr", is_organiser=True)

    response = sign_in(client, "agent-sans-siret")

    assert client.session[SESSION_KEY] == str(organiser.pk)
    assert response["Location"] == reverse("accounts:two_factor_enrol") + "?next=%2Fcompte%2F"
    gated = client.get(reverse("accounts:account"))
    assert gated.status_code == 302
    assert gated["Location"].startswith(reverse("accounts:two_factor_enrol"))


def test_authorization_request_carries_state_nonce_and_pkce(client, oidc_settings, db):
    oidc_settings.OIDC_ACR_VALUES = "eidas1"

    query = parse_qs(urlsplit(start(client)).query)

    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email given_name usual_name siret idp_id"]
    assert query["redirect_uri"] == ["http://testserver/compte/connexion/proconnect/retour/"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["acr_values"] == ["eidas1"]
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert len(query["code_challenge"][0]) == 43


def test_wrong_state_is_refused_with_400(client, oidc_settings, rennes):
    callback = sign_in_at_provider(requests.Session(), start(client), "agent-rennes")

    response = client.get(path_of(_changed(callback, state="etat-fabrique")))

    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert User.objects.filter(email="camille.durand@rennes.fr").exists() is False
    assert (
        "Cette réponse de ProConnect ne correspond à aucune connexion en cours dans ce "
        "navigateur (lien expiré ou déjà utilisé). Recommencez la connexion."
    ) in page_text(response)
    assert "Se connecter" in page_text(response)


def test_callback_from_another_browser_is_refused_with_400(client, oidc_settings, rennes):
    callback = sign_in_at_provider(requests.Session(), start(client), "agent-rennes")

    response = Client().get(path_of(callback))

    assert response.status_code == 400
    assert User.objects.filter(email="camille.durand@rennes.fr").exists() is False


def test_callback_used_twice_is_refused_the_second_time(client, oidc_settings, rennes):
    callback = sign_in_at_provider(requests.Session(), start(client), "agent-rennes")
    assert client.get(path_of(callback)).status_code == 302
    client.logout()

    response = client.get(path_of(callback))

    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_callback_naming_another_issuer_is_refused(client, oidc_settings, rennes):
    callback = sign_in_at_provider(requests.Session(), start(client), "agent-rennes")

    response = client.get(path_of(_changed(callback, iss="https://pirate.example")))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert User.objects.filter(email="camille.durand@rennes.fr").exists() is False


def test_person_cancelling_at_the_provider_gets_a_french_message(client, oidc_settings, db):
    callback = sign_in_at_provider(requests.Session(), start(client), "", abort=True)
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]

    response = client.get(path_of(callback))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    login_page = client.get(response["Location"])
    assert "Vous avez annulé la connexion avec ProConnect." in page_text(login_page)


def test_provider_error_gets_a_french_message(client, oidc_settings, db):
    response = client.get(
        reverse("accounts:oidc_callback") + "?error=server_error&state=quelconque"
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "ProConnect n'a pas pu vous identifier (erreur « server_error »). Réessayez, ou "
        "connectez-vous avec votre adresse électronique et votre mot de passe."
    ]


def test_free_text_in_the_error_parameter_is_not_repeated(client, oidc_settings, db):
    response = client.get(
        reverse("accounts:oidc_callback") + "?error=Appelez+le+0800+000+000&state=x"
    )

    assert _messages(response) == [
        "ProConnect n'a pas pu vous identifier (erreur « invalid_request »). Réessayez, ou "
        "connectez-vous avec votre adresse électronique et votre mot de passe."
    ]


def test_provider_down_gives_a_french_message_not_an_error(client, oidc_settings, db):
    oidc_settings.OIDC_PROVIDER_URL = "http://127.0.0.1:9"  # discard port: nothing listens

    response = client.get(reverse("accounts:oidc_login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _messages(response) == [
        "La connexion avec ProConnect n'a pas abouti. Réessayez dans quelques minutes, ou "
        "connectez-vous avec votre adresse électronique et votre mot de passe."
    ]
