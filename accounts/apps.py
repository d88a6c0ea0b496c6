from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the system checks
            sessions,  # noqa: F401 - starts the session clock at each sign-in
        )
        from .personal_data import record_sign_in  # also registers accounts' own sections

        user_logged_in.connect(record_sign_in, dispatch_uid="accounts_record_sign_in")
        from .landing import on_login

        user_logged_in.connect(on_login, dispatch_uid="accounts_landing_spaces")
