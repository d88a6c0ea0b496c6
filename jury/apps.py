from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        # signals: recompute stored scores when criteria, weights or a round's criteria change.
        from accounts.second_factor import register_second_factor_role
        from applications.rules import register_dossier_reader

        from . import signals  # noqa: F401
        from .rules import has_jury_membership, may_read_as_juror

        # The lower apps' hooks: a juror assigned to a dossier and not in conflict reads it; anyone
        # on a jury gives the second factor.
        register_dossier_reader(may_read_as_juror)
        register_second_factor_role("juror", has_jury_membership)
