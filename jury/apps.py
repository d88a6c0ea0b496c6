from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        # signals: recompute stored scores when criteria, weights or a round's criteria
        # change; rules_auditions: the audition permissions (jury.manage_auditions, …).
        from . import rules_auditions, signals  # noqa: F401
