from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Candidatures")

    def ready(self) -> None:
        """What contests announces without knowing dossiers (contests.signals): a deadline
        moved later is emailed to the applicants whose dossier is still a draft."""
        from contests.signals import call_deadline_extended

        from .call_emails import on_deadline_extended

        call_deadline_extended.connect(
            on_deadline_extended, dispatch_uid="applications_deadline_extended"
        )
