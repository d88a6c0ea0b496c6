"""What an organiser decides for the organisation names of a palmarès before importing it.

On the import page (awards.views.palmares_import) an organiser may, for each distinct published
name (compared folded, like the import itself): fix the name (the fixed name is matched and
published instead), choose the structure it designates, or record it outside the referential
with its kind (an association, a national public agency, a syndicat mixte…).
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from territories.models import Organisation
from territories.text import fold

from .rows import AwardRow


@dataclass(frozen=True)
class NameChoice:
    """The organiser's decision for one published name; empty: the import matches it."""

    organisation: Organisation | None = None  # the structure chosen (linked as DECLARED)
    kind: str = ""  # record the name outside the referential with this kind


class RenameError(Exception):
    """A fixed name that makes a row cite the same organisation twice."""


def rename_organisations(rows: list[AwardRow], renames: Mapping[str, str]) -> list[AwardRow]:
    """The rows with each name of `renames` (folded published name → new name) replaced."""
    if not renames:
        return rows
    renamed = []
    for row in rows:
        names = tuple(renames.get(fold(name), name) for name in row.organisations)
        if len({fold(name) for name in names}) != len(names):
            raise RenameError(
                _(
                    "Ligne %(line)s : après correction, « %(title)s » cite deux fois la même "
                    "structure."
                )
                % {"line": row.line, "title": row.title}
            )
        renamed.append(dataclasses.replace(row, organisations=names))
    return renamed
