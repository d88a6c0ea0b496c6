from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Concours et éditions")

    def ready(self) -> None:
        from accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
