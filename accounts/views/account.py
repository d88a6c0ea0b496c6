"""Accounts pages: sign-up and confirmation, sign-in, password reset, the account page."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules import permissions

from .. import confirmation, domain, emails, landing, rules, second_factor, throttling
from ..forms.account import LoginForm, PasswordResetForm, SetPasswordForm, SignupForm

# How long before someone may ask for another confirmation link (saves their inbox and our
# outgoing mail reputation from a button pressed repeatedly).
RESEND_COOLDOWN_SECONDS = 60
# Where a person who signed up from a deep link goes after confirming and signing in.
SIGNUP_NEXT_SESSION_KEY = "accounts:signup-next"


def _base_url(request: HttpRequest) -> str:
    """Scheme and host the person used to reach us, for the links in their emails."""
    return request.build_absolute_uri("/").rstrip("/")


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
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            domain.sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                base_url=_base_url(request),
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
    return render(request, "accounts/signup.html", context)


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
        context = {"confirmed_user": user, "next": _signup_next(request)}
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

    def get_success_url(self) -> str:
        # Organisers and jurors give their second factor first, then reach `next`.
        return second_factor.url_after_login(self.request, super().get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


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
        return response
