"""OpenID Connect sign-in for agents (ProConnect): the provider's protocol, then the domain.

Protocol, through Authlib's Django client: discovery (`/.well-known/openid-configuration`), the
authorization code flow with state, nonce and PKCE (S256), the ID token's signature and claims
checked (iss, aud, exp, nonce), userinfo read as JSON or as a signed JWT (ProConnect answers
`application/jwt`) verified with the provider's JWKS, and RP-initiated logout.

Domain, `sign_in_from_claims`: which account the claims stand for, and which structure of the
referential the `siret` claim points to. The membership is only PROPOSED (see the function).
"""

import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from requests import RequestException

from territories.models import Organisation
from territories.validators import luhn_is_valid

from . import domain, throttling
from .models import Membership, OidcIdentity, User

activity = logging.getLogger("activity")

# Discovery is read once, then again after this long (the provider may rotate its endpoints).
METADATA_MAX_AGE_SECONDS = 3600
HTTP_TIMEOUT_SECONDS = 10
# ProConnect authenticates clients at the token endpoint with the secret in the POST body.
TOKEN_ENDPOINT_AUTH_METHOD = "client_secret_post"  # noqa: S105 - a method name
# Only these claims are kept on the identity (data minimisation): enough to show the person
# and organisers where the account and its proposed structure came from.
STORED_CLAIMS = ("sub", "email", "given_name", "usual_name", "siret", "idp_id")
# La Poste's establishments share one SIREN; their SIRET follows another checksum (digit sum).
LA_POSTE_SIREN = "356000000"

# Errors that mean "the provider could not be reached or gave an unusable answer".
PROVIDER_ERRORS = (RequestException, AuthlibBaseError, JoseError, ValueError)


class ProviderError(Exception):
    """The provider's answer cannot be used (missing ID token, mismatched subject…)."""


BadState = MismatchingStateError


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    name: str
    acr_values: str

    @property
    def key(self) -> str:
        # OIDC: `sub` is unique per issuer, so the issuer names the provider of an identity.
        return self.issuer


def provider_config() -> ProviderConfig | None:
    """The configured provider, or None when sign-in with it is off (settings unset)."""
    issuer = settings.OIDC_PROVIDER_URL
    if not (issuer and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET):
        return None
    if len(issuer) > OidcIdentity._meta.get_field("provider").max_length:
        raise ImproperlyConfigured("OIDC_PROVIDER_URL is longer than OidcIdentity.provider.")
    return ProviderConfig(
        issuer=issuer,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=settings.OIDC_SCOPES,
        name=settings.OIDC_PROVIDER_NAME,
        acr_values=settings.OIDC_ACR_VALUES,
    )


_clients: dict[ProviderConfig, DjangoOAuth2App] = {}


def _client(config: ProviderConfig) -> DjangoOAuth2App:
    """Authlib's client for this configuration, with discovery loaded and its issuer checked."""
    app = _clients.get(config)
    loaded_at = app.server_metadata.get("_loaded_at", 0) if app else 0
    if app is None or time.time() - loaded_at > METADATA_MAX_AGE_SECONDS:
        app = OAuth().register(
            name="oidc",
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={
                "scope": config.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": TOKEN_ENDPOINT_AUTH_METHOD,
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
        metadata = app.load_server_metadata()
        # OpenID Connect Discovery § 4.3: the document must name the issuer we asked.
        if metadata.get("issuer") != config.issuer:
            raise ProviderError(f"discovery names issuer {metadata.get('issuer')!r}")
        # PKCE only where discovery announces S256 (RFC 8414): ProConnect refuses any
        # authorization parameter it does not know.
        if "S256" not in metadata.get("code_challenge_methods_supported", []):
            app.client_kwargs.pop("code_challenge_method")
        _clients[config] = app
    return app


def authorization_redirect(
    request: HttpRequest, config: ProviderConfig, *, redirect_uri: str
) -> HttpResponseRedirect:
    """Send the person to the provider; state, nonce and PKCE verifier wait in the session."""
    extra = {"acr_values": config.acr_values} if config.acr_values else {}
    return _client(config).authorize_redirect(
        request, redirect_uri, state=_random(), nonce=_random(), **extra
    )


def _random() -> str:
    # 43 characters: ProConnect wants at least 32 for state and nonce (Authlib makes 20-30).
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SignedIn:
    claims: dict[str, Any]
    id_token: str


def finish_sign_in(request: HttpRequest, config: ProviderConfig) -> SignedIn:
    """Check the callback, exchange the code, verify the ID token, read userinfo.

    Raises BadState (no or unknown state: not a flow this session started), else one of
    PROVIDER_ERRORS or ProviderError.
    """
    app = _client(config)
    # RFC 9207: when the provider names itself in the response, it must be our issuer (a
    # defence against mix-up attacks).
    if "iss" in request.GET and request.GET["iss"] != config.issuer:
        raise ProviderError("authorization response from another issuer")
    if not request.GET.get("state"):
        raise BadState()
    token = app.authorize_access_token(
        request,
        claims_options={
            "iss": {"essential": True, "value": config.issuer},
            "aud": {"essential": True, "value": config.client_id},
        },
    )
    if "userinfo" not in token:
        raise ProviderError("no ID token in the token response")
    id_claims = dict(token["userinfo"])
    userinfo = _userinfo(app, config, token)
    # OpenID Connect Core § 5.3.2: userinfo's sub must be the ID token's.
    if userinfo.get("sub") != id_claims["sub"]:
        raise ProviderError("userinfo is about another subject")
    return SignedIn(claims={**id_claims, **userinfo}, id_token=token["id_token"])


def _userinfo(app: DjangoOAuth2App, config: ProviderConfig, token: dict) -> dict[str, Any]:
    """The userinfo claims: plain JSON, or a JWT signed with one of the provider's keys."""
    metadata = app.load_server_metadata()
    if not metadata.get("userinfo_endpoint"):
        raise ProviderError("no userinfo_endpoint in discovery")
    response = app.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type != "application/jwt":
        return dict(response.json())
    # Asymmetric algorithms only: "none" proves nothing, and HS* would take the client
    # secret as the key.
    algorithms = [
        alg
        for alg in metadata.get("userinfo_signing_alg_values_supported", ["RS256", "ES256"])
        if alg != "none" and not alg.startswith("HS")
    ]
    keys = KeySet.import_key_set(app.fetch_jwk_set())
    decoded = jwt.decode(response.text, keys, algorithms=algorithms)
    jwt.JWTClaimsRegistry(
        iss={"essential": False, "value": config.issuer},
        aud={"essential": False, "value": config.client_id},
    ).validate(decoded.claims)
    return dict(decoded.claims)


def end_session_url(
    request: HttpRequest, config: ProviderConfig, *, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """The provider's logout address (with id_token_hint and a state kept in the session), or
    None when the provider has no end_session_endpoint."""
    app = _client(config)
    if not app.load_server_metadata().get("end_session_endpoint"):
        return None
    response = app.logout_redirect(
        request,
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        state=_random(),
    )
    return response.url


def logout_state_is_valid(request: HttpRequest, config: ProviderConfig) -> bool:
    """Whether the provider came back from a logout this session asked for."""
    try:
        _client(config).validate_logout_response(request)
    except (OAuthError, *PROVIDER_ERRORS):
        return False
    return True


# --- Domain -------------------------------------------------------------------------------


class Refusal(StrEnum):
    """Why no one is signed in."""

    NO_EMAIL = "no_email"
    # An account already has this address and OIDC_TRUST_EMAIL is off.
    EMAIL_TAKEN = "email_taken"
    INACTIVE = "inactive"


class SiretStatus(StrEnum):
    """What became of the `siret` claim."""

    ABSENT = "absent"
    INVALID = "invalid"
    # Valid, but no structure of the referential has its SIREN.
    UNKNOWN = "unknown"
    # domain.request_membership was asked; `membership.outcome` says what it decided.
    PROPOSED = "proposed"
    # The structure had already refused this person (request_membership raised).
    REFUSED = "refused"


@dataclass
class OidcOutcome:
    user: User | None = None
    refusal: Refusal | None = None
    created: bool = False
    linked_by_email: bool = False
    siret: str = ""
    siret_status: SiretStatus = SiretStatus.ABSENT
    organisation: Organisation | None = None
    membership: Membership | None = None


def siren_of_siret(siret: str) -> str | None:
    """The SIREN (first 9 digits) of a valid SIRET, else None.

    A SIRET has 14 digits and satisfies the Luhn checksum, except La Poste's establishments
    (SIREN 356 000 000), whose digits add up to a multiple of 5.
    """
    siret = "".join(siret.split())
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return None
    siren = siret[:9]
    valid = luhn_is_valid(siret) or (
        siren == LA_POSTE_SIREN and sum(int(digit) for digit in siret) % 5 == 0
    )
    return siren if valid and luhn_is_valid(siren) else None


def sign_in_from_claims(
    provider: str, claims: Mapping[str, Any], *, trust_email: bool | None = None
) -> OidcOutcome:
    """Find or create the account the provider's claims stand for; propose its structure.

    1. The identity (provider, sub) known → its user. Else the account with the same address,
       linked when the address is trusted (`OIDC_TRUST_EMAIL`, default on: ProConnect's
       identity providers verify the addresses they assert), refused otherwise (EMAIL_TAKEN).
       Else a new account: the address, the full name (given_name + usual_name), no usable
       password (sign-in by the provider or after a password reset).
    2. A trusted address that is the account's own is marked confirmed (domain.
       mark_email_confirmed, which also confirms requests waiting for this proof).
    3. Store the identity's claims (STORED_CLAIMS only) and its last sign-in.
    4. `siret` present: a valid one gives the SIREN, its structure in the referential, and a
       membership REQUEST through domain.request_membership. The claim is never taken as proof
       that the person acts for the structure: the request is pending, unless the existing rule
       of a verified email domain confirms it (the same as for any confirmed address).
    5. Activity log.
    """
    trust_email = settings.OIDC_TRUST_EMAIL if trust_email is None else trust_email
    try:
        with transaction.atomic():
            outcome = _find_or_create_user(provider, claims, trust_email=trust_email)
    except IntegrityError:
        # The same person's second tab signed in a moment ago: the rows exist now.
        with transaction.atomic():
            outcome = _find_or_create_user(provider, claims, trust_email=trust_email)
    if outcome.user is not None and claims.get("siret"):
        _propose_membership(outcome, str(claims["siret"]))
    return outcome


def _find_or_create_user(
    provider: str, claims: Mapping[str, Any], *, trust_email: bool
) -> OidcOutcome:
    subject = str(claims["sub"])
    email = throttling.normalise_email(str(claims.get("email") or ""))
    identity = (
        OidcIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    outcome = OidcOutcome()
    if identity is not None:
        user = identity.user
    elif not email:
        return OidcOutcome(refusal=Refusal.NO_EMAIL)
    else:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and not trust_email:
            activity.info("oidc sign-in refused: address taken", extra={"user": user.pk})
            return OidcOutcome(refusal=Refusal.EMAIL_TAKEN)
        if user is None:
            full_name = " ".join(
                str(claims[name]).strip()
                for name in ("given_name", "usual_name")
                if claims.get(name)
            )
            user = User.objects.create_user(
                email,
                None,
                full_name=full_name[: User._meta.get_field("full_name").max_length],
                email_confirmed_at=timezone.now() if trust_email else None,
            )
            outcome.created = True
            activity.info("account created", extra={"user": user.pk, "provider": provider})
        else:
            outcome.linked_by_email = True
        identity = OidcIdentity(user=user, provider=provider, subject=subject)
    if not user.is_active:
        return OidcOutcome(refusal=Refusal.INACTIVE)
    if trust_email and email == throttling.normalise_email(user.email):
        domain.mark_email_confirmed(user)
    identity.claims = {name: claims[name] for name in STORED_CLAIMS if name in claims}
    identity.last_login_at = timezone.now()
    identity.save()
    activity.info(
        "oidc sign-in",
        extra={
            "user": user.pk,
            "provider": provider,
            "account_created": outcome.created,
            "linked_by_email": outcome.linked_by_email,
        },
    )
    outcome.user = user
    return outcome


def _propose_membership(outcome: OidcOutcome, siret: str) -> None:
    """Fill the outcome's siret fields; ask for the membership when a structure matches."""
    outcome.siret = "".join(siret.split())
    siren = siren_of_siret(outcome.siret)
    log = {"user": outcome.user.pk, "siret": outcome.siret}
    if siren is None:
        outcome.siret_status = SiretStatus.INVALID
        activity.info("oidc siret invalid", extra=log)
        return
    outcome.organisation = Organisation.objects.filter(siren=siren).first()
    if outcome.organisation is None:
        outcome.siret_status = SiretStatus.UNKNOWN
        activity.info("oidc siret without structure", extra=log)
        return
    try:
        outcome.membership = domain.request_membership(outcome.user, outcome.organisation)
    except domain.MembershipRefused:
        outcome.siret_status = SiretStatus.REFUSED
    else:
        outcome.siret_status = SiretStatus.PROPOSED
    activity.info(
        "oidc membership proposed",
        extra={**log, "organisation": outcome.organisation.pk, "status": outcome.siret_status},
    )
