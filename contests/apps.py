from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Concours et éditions")

    def ready(self) -> None:
        from accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)

        # The open calls every page's header shows are kept in the cache (contests.call): any
        # change of an edition, a contest or a phase refreshes that copy.
        from django.db.models.signals import post_delete, post_save

        from .call import refresh_open_calls
        from .models import Contest, Edition, Phase

        for model in (Contest, Edition, Phase):
            for signal in (post_save, post_delete):
                signal.connect(
                    refresh_open_calls,
                    sender=model,
                    dispatch_uid=f"open_calls_{signal is post_save}_{model.__name__}",
                )
