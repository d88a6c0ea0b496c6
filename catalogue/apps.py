from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Palmarès public")

    def ready(self) -> None:
        from palmares.page_cache import connect_invalidation

        connect_invalidation()
