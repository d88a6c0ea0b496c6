"""What the apps above contests add to its pages, through registries they fill.

contests knows nothing of dossiers, juries or awards (the apps import only downward), yet two of
its pages show some: the organisers' dashboard and edition page count an app's rows per edition
(awards: « Labels décernés »), and an event's public page shows what an app attaches to the event
(jury: the regional selections a stage hosts). Each app registers its piece from its
AppConfig.ready(); the pages read the registries when they render.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .models import Event


@dataclass(frozen=True)
class EditionCount:
    """A count of `model`'s rows per edition (the model has an `edition` foreign key)."""

    key: str  # unique among the counts
    heading: str  # the dashboard's column heading
    term: str  # the edition page's term
    model: type[models.Model]


@dataclass(frozen=True)
class EventSection:
    """A part of an event's public page: a template, included with `section` = `context`."""

    template: str
    context: dict[str, object]


EventSectionProvider = Callable[[Event], EventSection | None]

_edition_counts: dict[str, EditionCount] = {}
_event_sections: dict[str, EventSectionProvider] = {}


def register_edition_count(count: EditionCount) -> None:
    """Add a count to the dashboard and the edition page (registering a key again replaces it)."""
    _edition_counts[count.key] = count


def edition_counts() -> list[EditionCount]:
    return list(_edition_counts.values())


def register_event_section(key: str, provider: EventSectionProvider) -> None:
    """Add a section to events' pages: `provider(event)` gives it, or None for no section."""
    _event_sections[key] = provider


def event_sections(event: Event) -> list[EventSection]:
    sections = (provider(event) for provider in _event_sections.values())
    return [section for section in sections if section is not None]
