"""What the apps above applications add to a dossier's page, through a registry they fill.

applications knows nothing of juries or awards (the apps import only downward), yet once the
palmarès is published the dossier's page shows its result (awards: the level, the reasons, the
certificate and the project page). Each app registers its section from its AppConfig.ready();
the page reads the registry when it renders, and a provider answers None when it has nothing to
show (before publication, for instance).
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Application


@dataclass(frozen=True)
class DossierSection:
    """A part of a dossier's page: a template, included with `section` = `context`."""

    template: str
    context: dict[str, object]


DossierSectionProvider = Callable[[Application], DossierSection | None]

_dossier_sections: dict[str, DossierSectionProvider] = {}


def register_dossier_section(key: str, provider: DossierSectionProvider) -> None:
    """Add a section to dossiers' pages (registering a key again replaces it)."""
    _dossier_sections[key] = provider


def dossier_sections(application: Application) -> list[DossierSection]:
    sections = (provider(application) for provider in _dossier_sections.values())
    return [section for section in sections if section is not None]
