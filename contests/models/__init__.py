"""The contests app's models, in two modules: what a contest sets once (contest.py) and what
belongs to one edition (edition.py). Imported from here, as `contests.models.X`."""

from .contest import (
    Contest,
    ContestCriterion,
    ContestDistinction,
    ContestLevel,
    ContestOrganiser,
    Event,
    logo_upload_path,
)
from .edition import (
    ActivityEntry,
    Criterion,
    Distinction,
    Edition,
    EditionQuerySet,
    EditionTransparency,
    Level,
    Phase,
    Theme,
    current_phase_value,
)

__all__ = [
    "ActivityEntry",
    "Contest",
    "ContestCriterion",
    "ContestDistinction",
    "ContestLevel",
    "ContestOrganiser",
    "Criterion",
    "Distinction",
    "Edition",
    "EditionQuerySet",
    "EditionTransparency",
    "Event",
    "Level",
    "Phase",
    "Theme",
    "current_phase_value",
    "logo_upload_path",  # contests 0009 names it as contests.models.logo_upload_path
]
