"""The form that deletes one's own account: the password again, so that an open session
left on a shared computer is not enough."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import User


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            raise ValidationError(
                _(
                    "Votre compte n'a pas de mot de passe (connexion par ProConnect) : "
                    "choisissez-en un avec « Mot de passe oublié », puis revenez ici."
                )
            )
        if not self.user.check_password(password):
            raise ValidationError(_("Ce mot de passe n'est pas le vôtre : rien n'a été supprimé."))
        return password
