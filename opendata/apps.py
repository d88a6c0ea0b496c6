from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Données ouvertes")

    def ready(self) -> None:
        from awards.signals import palmares_changed

        from .publishing import on_palmares_changed

        palmares_changed.connect(on_palmares_changed, dispatch_uid="opendata_files")
