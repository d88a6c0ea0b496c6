"""What the apps above applications add to a dossier's page, through a registry they fill.

applications knows nothing of juries or awards (the apps import only downward), yet once the
palmarès is published the dossier's page shows its result (awards: the level, the reasons, the
certificate and the project page). Each app registers its section from its AppConfig.ready();
the page reads the registry when it renders, and a provider answers None when it has nothing to
show (before publication, for instance).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

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


# The organisers' list (and so the mailings and exports) filters by eligibility decision, which
# the jury app takes: it registers how (`jury.eligibility_filter`). Until then the filter is
# offered but changes nothing.
EligibilityFilter = Callable[[QuerySet[Application], str], QuerySet[Application]]
_eligibility_filter: list[EligibilityFilter] = []


def register_eligibility_filter(function: EligibilityFilter) -> None:
    _eligibility_filter[:] = [function]


def filter_by_eligibility(queryset: QuerySet[Application], decision: str) -> QuerySet[Application]:
    """Keep the dossiers with `decision`: "eligible", "ineligible" or "undecided"."""
    for function in _eligibility_filter:
        return function(queryset, decision)
    return queryset
