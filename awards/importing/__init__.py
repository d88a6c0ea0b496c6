"""Import of published palmarès (data/palmares.csv and data/editions.csv)."""

from .choices import NameChoice
from .importer import (
    ImportReport,
    PalmaresImportError,
    find_contest,
    import_palmares,
    level_codes,
)
from .rows import CsvText, PalmaresFileError

__all__ = [
    "CsvText",
    "ImportReport",
    "NameChoice",
    "PalmaresFileError",
    "PalmaresImportError",
    "find_contest",
    "import_palmares",
    "level_codes",
]
