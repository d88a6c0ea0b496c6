"""Forms of the accounts pages: sign-up, sign-in (throttled), password reset."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .. import emails, login_throttle, throttling
from ..models import User


def _email_field(autocomplete: str) -> forms.EmailField:
    return forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete}),
    )


# Lazy, so that the rules are listed in the language of each request, not of the import.
_password_rules_help = lazy(password_validation.password_validators_help_text_html, SafeString)


def _new_password_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
    )


def _password_pair(first_label: str, second_label: str) -> tuple[forms.CharField, forms.CharField]:
    """A new password and its confirmation, with the validators' rules as help."""
    return (
        _new_password_field(first_label, _password_rules_help()),
        _new_password_field(second_label, _("Saisissez le même mot de passe, pour vérification.")),
    )


class SignupForm(forms.Form):
    email = _email_field("email")
    full_name = forms.CharField(
        label=_("Nom complet"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = _password_pair(_("Mot de passe"), _("Confirmation du mot de passe"))

    def clean_email(self) -> str:
        return throttling.normalise_email(self.cleaned_data["email"])

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif password1:
            # An unsaved user lets the similarity validator compare with the name and address.
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    """Email and password, with throttling. Shaped like AuthenticationForm for LoginView."""

    email = _email_field("username")
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # One message for an unknown address and a wrong password: no account enumeration.
    invalid_login_message = _("Adresse électronique ou mot de passe incorrect.")

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:
        self.request = request
        self.user_cache: User | None = None
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autofocus"] = True

    def clean(self) -> dict:
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if not (email and password):
            return cleaned
        refusal = login_throttle.check(self.request, email) if self.request else None
        if refusal is not None:
            # Checked before the password, so that guessing right while refused tells nothing.
            raise ValidationError(_refusal_message(refusal), code="throttled")
        self.user_cache = authenticate(
            self.request, email=throttling.normalise_email(email), password=password
        )
        if self.user_cache is None:
            if self.request:
                login_throttle.record_failure(self.request, email)
            raise ValidationError(self.invalid_login_message, code="invalid_login")
        return cleaned

    def get_user(self) -> User | None:
        return self.user_cache


def _refusal_message(refusal: throttling.Refusal) -> str:
    seconds = refusal.retry_after_seconds
    if seconds < 60:
        return ngettext(
            "Trop de tentatives de connexion ont échoué. "
            "Pour votre sécurité, réessayez dans %(seconds)d seconde.",
            "Trop de tentatives de connexion ont échoué. "
            "Pour votre sécurité, réessayez dans %(seconds)d secondes.",
            seconds,
        ) % {"seconds": seconds}
    minutes = refusal.retry_after_minutes
    return ngettext(
        "Trop de tentatives de connexion ont échoué. "
        "Pour votre sécurité, réessayez dans %(minutes)d minute.",
        "Trop de tentatives de connexion ont échoué. "
        "Pour votre sécurité, réessayez dans %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = _email_field("email")

    # Django's templates, kept for the task that sends (accounts/tasks.py).
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset.txt"

    def save(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        """Enqueue the sending, the same for every address (see accounts/tasks.py)."""
        from ..tasks import enqueue, send_password_reset

        enqueue(
            send_password_reset,
            email=self.cleaned_data["email"],
            domain_name=request.get_host() if request else "",
            use_https=bool(request and request.is_secure()),
            language=get_language(),
        )

    def send_now(self, *, domain_name: str, use_https: bool) -> None:
        """Django's save: find the accounts of the address and email each its link."""
        super().save(
            domain_override=domain_name,
            use_https=use_https,
            subject_template_name=self.subject_template_name,
            email_template_name=self.email_template_name,
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # Django would send from here; the outbox sends it, and retries (no HTML
        # version: the project's reset email is plain text).
        context = {**context, "sender": emails.sender_for(context.get("user"))}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        emails.send_password_reset(subject, body, to_email)


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1, new_password2 = _password_pair(
        _("Nouveau mot de passe"), _("Confirmation du nouveau mot de passe")
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A signed-in person changes their password: the current one, then the new one twice."""

    old_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1, new_password2 = _password_pair(
        _("Nouveau mot de passe"), _("Confirmation du nouveau mot de passe")
    )
