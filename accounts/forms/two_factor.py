"""Forms of the two-factor pages: a code of the authenticator, or a recovery code.

They check the shape only; whether the code is right is asked of accounts.totp by the view,
which then adds the error to the field (the value typed stays in it).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import totp


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        help_text=_(
            "Le code affiché par votre application d'authentification, par exemple 123456."
        ),
        max_length=20,
        error_messages={"required": _("Saisissez le code à 6 chiffres de votre application.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, autofocus: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only where the code is the page's one task (the sign-in's second step): elsewhere
        # focus would skip the explanations above the field.
        self.fields["code"].widget.attrs["autofocus"] = autofocus

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not totp.is_well_formed_code(code):
            raise forms.ValidationError(
                _("Le code comporte 6 chiffres, sans lettre : par exemple 123456."),
                code="malformed",
            )
        return totp.normalise_code(code)


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Code de secours"),
        help_text=_(
            "L'un des dix codes obtenus à l'activation, par exemple ABCDE-23456. "
            "Chaque code ne sert qu'une fois."
        ),
        max_length=30,
        error_messages={"required": _("Saisissez l'un de vos codes de secours.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_recovery_code(self) -> str:
        code = self.cleaned_data["recovery_code"]
        if not totp.is_well_formed_recovery_code(code):
            raise forms.ValidationError(
                _("Un code de secours comporte 10 lettres ou chiffres, par exemple ABCDE-23456."),
                code="malformed",
            )
        return code
