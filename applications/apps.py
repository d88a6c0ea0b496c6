from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Candidatures")

    def ready(self) -> None:
        from accounts.personal_data import register_retention, register_section

        from .personal_data import RETENTION, SECTIONS

        for section in SECTIONS:
            register_section(section)
        register_retention(RETENTION)

        from accounts.emails import register_sender

        from .senders import sender_for

        # The emails of accounts (confirmation, memberships) sign with the person's contest.
        register_sender(sender_for)
