"""Import of published palmarès (data/palmares.csv and data/editions.csv)."""

from .importer import ImportReport, PalmaresImportError, import_palmares
from .rows import PalmaresFileError

__all__ = ["ImportReport", "PalmaresFileError", "PalmaresImportError", "import_palmares"]
