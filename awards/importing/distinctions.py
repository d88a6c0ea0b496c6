"""The optional `distinctions` column of palmares.csv: codes of the contest's distinctions,
separated by « ; » (« prix-du-jury;coup-de-coeur »), empty for none.

Kept apart from rows.py and importer.py (three one-line hooks there) so that the column follows
them whatever they become. Codes are the contest's own (ContestDistinction, set on its
organisers' page); an edition the file names takes the ones it lacks
(contests.distinctions.take_contest_distinctions), as an edition created on the platform does.
"""

from django.utils.translation import gettext as _

from contests.distinctions import take_contest_distinctions
from contests.models import Edition

from ..models import Award

COLUMN = "distinctions"


def read_codes(value: str) -> tuple[str, ...]:
    """The codes of one cell, lower-cased, in order, each once."""
    return tuple(dict.fromkeys(code.strip().lower() for code in value.split(";") if code.strip()))


def set_award_distinctions(award: Award, edition: Edition, codes: tuple[str, ...], line: int):
    """Give `award` exactly the distinctions `codes` name (none: it keeps none).

    Refuses (PalmaresImportError, so the whole import is rolled back) a code that neither the
    edition nor its contest defines, naming the line and the known codes.
    """
    from .importer import PalmaresImportError  # the importer imports this module

    if not codes:
        award.distinctions.clear()
        return
    known = {distinction.code: distinction for distinction in edition.distinctions.all()}
    if any(code not in known for code in codes):
        take_contest_distinctions(edition)
        known = {distinction.code: distinction for distinction in edition.distinctions.all()}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise PalmaresImportError(
            _("ligne %(line)s : distinction « %(code)s » inconnue (attendu : %(codes)s ou vide).")
            % {"line": line, "code": unknown[0], "codes": ", ".join(sorted(known)) or "-"}
        )
    award.distinctions.set([known[code] for code in codes])
