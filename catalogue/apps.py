from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Palmarès public")

    def ready(self) -> None:
        from awards.signals import palmares_changed
        from palmares.page_cache import connect_invalidation

        from . import checks  # noqa: F401 - registers the system checks
        from .search.indexing import on_palmares_changed

        connect_invalidation()
        palmares_changed.connect(on_palmares_changed, dispatch_uid="catalogue_search_index")
