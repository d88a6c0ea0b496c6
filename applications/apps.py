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

        # What contests announces without knowing dossiers (contests.signals): a deadline moved
        # later is emailed to the applicants whose dossier is still a draft.
        from contests.signals import call_deadline_extended

        from .call_emails import on_deadline_extended

        call_deadline_extended.connect(
            on_deadline_extended, dispatch_uid="applications_deadline_extended"
        )
