from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        # Recompute stored scores when criteria, weights or a round's criteria change.
        from . import signals  # noqa: F401
