"""Sign-in with the OpenID Connect provider (ProConnect): start, callback, logout through it.

Every step answers 404 while the provider is not configured (accounts.oidc.provider_config).

No login throttling here (accounts/throttling.py counts password guesses): passwords are typed
at the provider, which throttles them, and a callback without a state this session started is
refused before any request leaves for the provider, so it cannot be used to make us call out.
"""

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import oidc, second_factor
from ..enums import MembershipRequestOutcome, MembershipState
from .account import LoginView

log = logging.getLogger(__name__)

SESSION_NEXT = "oidc_next"
ERROR_CODE = re.compile(r"[a-z_]{1,40}")
# The ID token of an OIDC sign-in: its presence says the session came from the provider, and
# the provider's logout wants it back as id_token_hint.
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key, not a secret


def _config_or_404() -> oidc.ProviderConfig:
    config = oidc.provider_config()
    if config is None:
        raise Http404
    return config


def _unreachable(request: HttpRequest, config: oidc.ProviderConfig) -> HttpResponse:
    messages.error(
        request,
        _(
            "La connexion avec %(provider)s n'a pas abouti. Réessayez dans quelques minutes, "
            "ou connectez-vous avec votre adresse électronique et votre mot de passe."
        )
        % {"provider": config.name},
    )
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    # GET is enough (the login page links here): a form POST redirected to the provider would
    # break the CSP's form-action 'self' in browsers that check redirects against it.
    config = _config_or_404()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[SESSION_NEXT] = next_url
    else:
        request.session.pop(SESSION_NEXT, None)
    try:
        return oidc.authorization_redirect(
            request,
            config,
            redirect_uri=request.build_absolute_uri(reverse("accounts:oidc_callback")),
        )
    except (*oidc.PROVIDER_ERRORS, oidc.ProviderError):
        log.warning("OIDC provider unreachable at sign-in start", exc_info=True)
        return _unreachable(request, config)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    if "error" in request.GET:
        return _provider_refused(request, config)
    try:
        signed_in = oidc.finish_sign_in(request, config)
    except oidc.BadState:
        messages.error(
            request,
            _(
                "Cette réponse de %(provider)s ne correspond à aucune connexion en cours dans "
                "ce navigateur (lien expiré ou déjà utilisé). Recommencez la connexion."
            )
            % {"provider": config.name},
        )
        response = LoginView.as_view()(request)
        response.status_code = 400
        return response
    except (*oidc.PROVIDER_ERRORS, oidc.ProviderError):
        log.warning("OIDC sign-in failed at the callback", exc_info=True)
        return _unreachable(request, config)

    outcome = oidc.sign_in_from_claims(config.key, signed_in.claims)
    if outcome.user is None:
        messages.error(request, _refusal_message(outcome, config))
        return redirect("accounts:login")
    next_url = request.session.pop(SESSION_NEXT, "")
    # Through the model backend, like a password sign-in: whatever the session then requires
    # (a second factor for organisers and jurors) applies the same way.
    login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ID_TOKEN] = signed_in.id_token
    for level, text in _outcome_messages(outcome, config):
        messages.add_message(request, level, text)
    # Organisers and jurors give their second factor first, as after a password.
    return redirect(second_factor.url_after_login(request, next_url or reverse("accounts:account")))


def _provider_refused(request: HttpRequest, config: oidc.ProviderConfig) -> HttpResponse:
    error = request.GET["error"]
    # Anyone can craft this URL: only an OAuth error code is repeated, never free text.
    if not ERROR_CODE.fullmatch(error):
        error = "invalid_request"
    if error == "access_denied":
        text = _("Vous avez annulé la connexion avec %(provider)s.") % {"provider": config.name}
    else:
        text = _(
            "%(provider)s n'a pas pu vous identifier (erreur « %(error)s »). Réessayez, ou "
            "connectez-vous avec votre adresse électronique et votre mot de passe."
        ) % {"provider": config.name, "error": error}
    messages.error(request, text)
    return redirect("accounts:login")


def _refusal_message(outcome: oidc.OidcOutcome, config: oidc.ProviderConfig) -> str:
    values = {"provider": config.name}
    match outcome.refusal:
        case oidc.Refusal.EMAIL_TAKEN:
            return (
                _(
                    "Un compte Palmarès existe déjà avec l'adresse électronique que %(provider)s "
                    "nous a transmise. Connectez-vous avec votre mot de passe (ou demandez-en un "
                    "nouveau) ; la connexion par %(provider)s n'est pas reliée aux comptes "
                    "existants sur ce site."
                )
                % values
            )
        case oidc.Refusal.INACTIVE:
            return _("Ce compte est désactivé. Contactez l'équipe organisatrice du label.")
    return (
        _(
            "%(provider)s ne nous a pas transmis votre adresse électronique : impossible de "
            "créer votre compte. Connectez-vous avec votre adresse et un mot de passe."
        )
        % values
    )


def _outcome_messages(
    outcome: oidc.OidcOutcome, config: oidc.ProviderConfig
) -> list[tuple[int, str]]:
    """What the landing page says: the account, then the structure proposed by the SIRET."""
    found = []
    if outcome.created:
        found.append((messages.SUCCESS, _("Votre compte Palmarès a été créé.")))
    elif outcome.linked_by_email:
        found.append(
            (
                messages.INFO,
                _("Votre compte Palmarès existant est désormais relié à %(provider)s.")
                % {"provider": config.name},
            )
        )
    if outcome.user.email_confirmed_at is None:
        found.append(
            (
                messages.WARNING,
                _(
                    "Confirmez votre adresse électronique depuis la page de votre compte : "
                    "vos demandes de rattachement attendent cette confirmation."
                ),
            )
        )
    attach_link = format_html(
        '<a href="{}">{}</a>', reverse("accounts:attach"), _("Rattacher mon compte à une structure")
    )
    values = {"provider": config.name, "siret": outcome.siret}
    match outcome.siret_status:
        case oidc.SiretStatus.INVALID:
            found.append(
                (
                    messages.WARNING,
                    format_html(
                        "{} {}",
                        _(
                            "Le numéro SIRET « %(siret)s » transmis par %(provider)s n'est pas "
                            "valide : aucun rattachement n'a été proposé."
                        )
                        % values,
                        attach_link,
                    ),
                )
            )
        case oidc.SiretStatus.UNKNOWN:
            found.append(
                (
                    messages.WARNING,
                    format_html(
                        "{} {}",
                        _(
                            "Aucune structure du référentiel ne correspond au SIRET "
                            "« %(siret)s » transmis par %(provider)s : cherchez la vôtre pour "
                            "demander le rattachement."
                        )
                        % values,
                        attach_link,
                    ),
                )
            )
        case oidc.SiretStatus.REFUSED:
            found.append(
                (
                    messages.WARNING,
                    _(
                        "Votre demande de rattachement à %(organisation)s a été refusée. Si "
                        "c'est une erreur, contactez l'équipe organisatrice du label."
                    )
                    % {"organisation": outcome.organisation.name},
                )
            )
        case oidc.SiretStatus.PROPOSED:
            found.extend(_membership_message(outcome))
    return found


def _membership_message(outcome: oidc.OidcOutcome) -> list[tuple[int, str]]:
    membership = outcome.membership
    values = {"organisation": outcome.organisation.name, "domain": membership.email_domain}
    match membership.outcome:
        case MembershipRequestOutcome.CONFIRMED_BY_DOMAIN:
            return [
                (
                    messages.SUCCESS,
                    _(
                        "Votre adresse @%(domain)s est un domaine vérifié de %(organisation)s : "
                        "votre rattachement est confirmé."
                    )
                    % values,
                )
            ]
        case MembershipRequestOutcome.ALREADY_REQUESTED if (
            membership.state == MembershipState.CONFIRMED
        ):
            return []
        case MembershipRequestOutcome.ALREADY_REQUESTED:
            return [
                (
                    messages.INFO,
                    _(
                        "Votre demande de rattachement à %(organisation)s attend toujours la "
                        "validation d'un gestionnaire."
                    )
                    % values,
                )
            ]
    return [
        (
            messages.INFO,
            _(
                "Votre demande de rattachement à %(organisation)s attend la validation d'un "
                "gestionnaire."
            )
            % values,
        )
    ]


class LogoutView(auth_views.LogoutView):
    """Django's logout; when the session came from the provider, its session ends too."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        config = oidc.provider_config()
        if not (id_token and config):
            return response
        try:
            url = oidc.end_session_url(
                request,
                config,
                id_token=id_token,
                post_logout_redirect_uri=request.build_absolute_uri(
                    reverse("accounts:oidc_logout_callback")
                ),
            )
        except (*oidc.PROVIDER_ERRORS, oidc.ProviderError):
            log.warning("OIDC provider unreachable at logout", exc_info=True)
            return response
        if url is None:
            return response
        # A page that goes on to the provider at once (meta refresh, with a link as fallback),
        # not a redirect: the logout form's CSP (form-action 'self') would block a redirect
        # to another origin in browsers that check the redirects of a form submission.
        return render(
            request,
            "accounts/oidc_logout.html",
            {"end_session_url": url, "provider_name": config.name},
        )


@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    if oidc.logout_state_is_valid(request, config):
        messages.success(
            request,
            _("Vous êtes déconnecté de Palmarès et de %(provider)s.") % {"provider": config.name},
        )
    return redirect(settings.LOGOUT_REDIRECT_URL)
