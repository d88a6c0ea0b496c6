"""System checks of the catalogue app."""

from django.core.checks import Warning, register

from .legal import missing_legal_settings


@register("legal", deploy=True)
def legal_page_is_filled_in(app_configs=None, **kwargs) -> list[Warning]:
    """The legal page names the publisher, the controller, the host, the contact and the legal
    basis from the settings; in production none may be left « à compléter »."""
    missing = missing_legal_settings()
    if not missing:
        return []
    return [
        Warning(
            f"The legal page is incomplete: {', '.join(missing)} not set.",
            hint=(
                "Set them in /etc/palmares/palmares.env (deploy/palmares.env.example): "
                "/mentions-legales/ shows « à compléter par l'association » until then."
            ),
            id="catalogue.W001",
        )
    ]
