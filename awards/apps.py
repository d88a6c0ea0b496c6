from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Labels décernés")

    def ready(self) -> None:
        # The organisers' dashboard and edition page (contests) count each edition's awards.
        from applications.hooks import register_dossier_section
        from contests.hooks import EditionCount, register_edition_count

        from .models import Award
        from .publication.sections import result_section

        # A dossier's page (applications) shows its result once the palmarès is published.
        register_dossier_section("awards_result", result_section)

        register_edition_count(
            EditionCount(
                key="awards_total",
                heading=_("Labels décernés"),
                term=_("Labels décernés sur la plateforme"),
                model=Award,
            )
        )
