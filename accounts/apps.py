from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks
            sessions,  # noqa: F401 - starts the session clock at each sign-in
        )
