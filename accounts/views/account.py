"""Accounts pages: sign-up and confirmation, sign-in, password reset, the account page."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules import permissions

from .. import (
    confirmation,
    domain,
    emails,
    landing,
    login_throttle,
    mail_limits,
    membership_notices,
    rules,
    second_factor,
    tasks,
    throttling,
)
from ..enums import MembershipState
from ..forms.account import LoginForm, PasswordResetForm, SetPasswordForm, SignupForm

# How long before someone may ask for another confirmation link (saves their inbox and our
# outgoing mail reputation from a button pressed repeatedly).
RESEND_COOLDOWN_SECONDS = 60
# Where a person who signed up from a deep link goes after confirming and signing in.
SIGNUP_NEXT_SESSION_KEY = "accounts:signup-next"


def _base_url(request: HttpRequest) -> str:
    """Scheme and host the person used to reach us, for the links in their emails."""
    return request.build_absolute_uri("/").rstrip("/")


def _too_many_requests() -> str:
    # Names no address: the limit is the client's, whatever address it typed.
    return _(
        "Trop de demandes ont été faites depuis votre connexion. "
        "Pour votre sécurité, réessayez dans une heure."
    )


def _safe_next(request: HttpRequest, url: str) -> str:
    """`url` if it stays on this site (as LoginView checks it), else an empty string."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    # A deep link behind sign-in (login?next=…) is carried through the sign-up: kept in the
    # session, it reaches the login link of the confirmation page opened from the email.
    next_url = _safe_next(request, request.POST.get(REDIRECT_FIELD_NAME) or "") or _safe_next(
        request, request.GET.get(REDIRECT_FIELD_NAME, "")
    )
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid() and not mail_limits.client_may_ask(request, "signup"):
            form.add_error(None, _too_many_requests())
            status = 429
        elif form.is_valid():
            # The same work for a new and a known address: hash, enqueue (accounts/tasks.py).
            tasks.enqueue(
                tasks.sign_up,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password_hash=make_password(form.cleaned_data["password1"]),
                base_url=_base_url(request),
                next_url=next_url,
                language=get_language(),
            )
            if next_url:
                request.session[SIGNUP_NEXT_SESSION_KEY] = next_url
            # Same page whether the address was new or known: see domain.sign_up.
            return redirect("accounts:signup_done")
    else:
        form = SignupForm()
    sign_in_url = reverse("accounts:login")
    if next_url:
        sign_in_url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
    context = {"form": form, "next": next_url, "sign_in_url": sign_in_url}
    return render(request, "accounts/signup.html", context, status=status)


def _signup_next(request: HttpRequest) -> str:
    return _safe_next(request, request.session.get(SIGNUP_NEXT_SESSION_KEY, ""))


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html", {"next": _signup_next(request)})


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    # A plain GET confirms: the link only proves the person reads the mailbox, it grants
    # nothing else, and confirming twice is harmless (mail scanners that prefetch links too).
    try:
        user = domain.confirm_email(token)
    except confirmation.ExpiredToken:
        error = _(
            "Ce lien de confirmation a expiré. Connectez-vous et demandez un nouveau lien "
            "depuis la page de votre compte."
        )
    except confirmation.InvalidToken:
        error = _(
            "Ce lien de confirmation n'est pas valide. Vérifiez qu'il a été copié en entier, "
            "ou demandez un nouveau lien depuis la page de votre compte."
        )
    else:
        next_url = _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        next_url = next_url or _signup_next(request)
        if user.newly_confirmed and user.is_active and not request.user.is_authenticated:
            # The first use of the link proves the mailbox, as a password reset would: the
            # person is signed in and continues where they were going (« Mes dossiers »
            # otherwise). The second factor, if any, is still asked by its gate.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(SIGNUP_NEXT_SESSION_KEY, None)
            messages.success(
                request, _("Merci : l'adresse %(email)s est confirmée.") % {"email": user.email}
            )
            return redirect(next_url or reverse("applications:my_applications"))
        context = {"confirmed_user": user, "next": next_url}
        return render(request, "accounts/confirm_email.html", context)
    context = {"error": error, "next": _signup_next(request)}
    return render(request, "accounts/confirm_email.html", context, status=400)


@login_required
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.email_confirmed:
        messages.info(request, _("Votre adresse électronique est déjà confirmée."))
    elif not cache.add(f"confirmation-resent:{user.pk}", 1, RESEND_COOLDOWN_SECONDS):
        messages.warning(
            request,
            _(
                "Un lien vient de vous être envoyé. "
                "Patientez une minute avant d'en demander un autre."
            ),
        )
    else:
        emails.send_email_confirmation(user, base_url=_base_url(request))
        messages.success(
            request,
            _("Un nouveau lien de confirmation a été envoyé à %(email)s.") % {"email": user.email},
        )
    return redirect("accounts:account")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = list(
        user.memberships.select_related("organisation").order_by("organisation__name")
    )
    rules.remember_memberships(user, memberships)
    # Who will confirm each pending request (the structure's managers, or the organisers).
    for membership in memberships:
        if membership.state == MembershipState.PENDING:
            membership.confirmer = membership_notices.confirmer_label(membership)
    roles = []
    if user.is_organiser:
        roles.append(_("Organisateur ou organisatrice des concours"))
    if user.is_superuser:
        roles.append(_("Administration technique du site"))
    return render(
        request,
        "accounts/account.html",
        {
            "account_user": user,
            "memberships": memberships,
            "roles": roles,
            # Asked of the rules alone: the model backend would query the database for nothing.
            "may_decide_memberships": permissions.has_perm("accounts.list_memberships", user),
            "pending_memberships": (
                domain.memberships_to_decide(user).filter(state=MembershipState.PENDING).count()
                if permissions.has_perm("accounts.list_memberships", user)
                else 0
            ),
        },
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response

    def get_default_redirect_url(self) -> str:
        # Without `next`: the space of the user's role (a juror's jury space), else the home.
        return landing.landing_url(self.request.user)

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        # This browser and this address become known to the account: they pass while someone
        # elsewhere guesses its password (accounts/login_throttle.py).
        login_throttle.record_success(self.request, response, form.cleaned_data["email"])
        return response

    def get_success_url(self) -> str:
        # Organisers and jurors give their second factor first, then reach `next`.
        return second_factor.url_after_login(self.request, super().get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not mail_limits.client_may_ask(self.request, "reset"):
            form.add_error(None, _too_many_requests())
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # Enqueues the sending (accounts/tasks.py): the same work whatever the address.
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # The reset link reached the mailbox: that confirms the address too, and the person
        # must not stay locked out by failures counted before they reset.
        domain.mark_email_confirmed(form.user)
        throttling.clear_email(form.user.email)
        login_throttle.forget_failures(self.request, form.user.email)
        return response
