"""What importing a palmarès file would do with its organisation names, before anything is written.

The organisers' import page shows it: each distinct name (compared folded, like the import)
with the lines that cite it and its status — matched to the referential, matched to the body
that succeeded it after a merger, chosen by the organiser, recorded outside the referential
with a kind, or unmatched with the reason and the structures the referential search suggests.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from territories.domain import explain_no_match
from territories.enums import OrganisationKind
from territories.matching import Matcher, Outcome, kind_from_words
from territories.models import Organisation
from territories.text import fold

from .choices import NameChoice
from .rows import AwardRow


class NameStatus(StrEnum):
    MATCHED = "matched"
    SUCCESSOR = "successor"
    CHOSEN = "chosen"
    RECORDED = "recorded"
    UNMATCHED = "unmatched"


STATUS_LABELS = {
    NameStatus.MATCHED: gettext_lazy("Rapprochée"),
    NameStatus.SUCCESSOR: gettext_lazy("Rapprochée de la structure qui lui a succédé"),
    NameStatus.CHOSEN: gettext_lazy("Structure choisie"),
    NameStatus.RECORDED: gettext_lazy("Enregistrée hors référentiel"),
    NameStatus.UNMATCHED: gettext_lazy("Non rapprochée"),
}


@dataclass
class NameLine:
    """One distinct organisation name of the file and what the import would do with it."""

    index: int  # its position among the file's names: the form fields' suffix
    published_name: str  # as the file writes it
    name: str  # as it will be imported (the organiser's fix, if any)
    status: NameStatus
    organisation: Organisation | None = None
    kind: str = ""  # for a name recorded outside the referential
    reason: str = ""  # why an unmatched name stayed so
    suggestions: list[Organisation] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(OrganisationKind(self.kind).label) if self.kind else ""


def distinct_names(rows: list[AwardRow]) -> list[tuple[str, list[int]]]:
    """Each distinct organisation name (folded), as first written, with the lines citing it."""
    names: dict[str, tuple[str, list[int]]] = {}
    for row in rows:
        for name in row.organisations:
            names.setdefault(fold(name), (name, []))[1].append(row.line)
    return list(names.values())


def preview_names(
    rows: list[AwardRow],
    renames: Mapping[str, str],
    choices: Mapping[str, NameChoice],
) -> list[NameLine]:
    """The report of every distinct name of `rows` (as published), in order of appearance.

    `renames` and `choices` are keyed by the folded published name. Nothing is written: an
    unmatched name is what the import keeps as an unverified organisation (kind from its words).
    """
    matcher = Matcher()
    report = []
    for index, (published, lines) in enumerate(distinct_names(rows)):
        key = fold(published)
        name = renames.get(key, published)
        choice = choices.get(key, NameChoice())
        line = NameLine(index, published, name, NameStatus.UNMATCHED, lines=lines)
        if choice.organisation is not None:
            line.status, line.organisation = NameStatus.CHOSEN, choice.organisation
        elif choice.kind:
            line.status, line.kind = NameStatus.RECORDED, choice.kind
        else:
            _match(matcher, line)
        report.append(line)
    return report


def _match(matcher: Matcher, line: NameLine) -> None:
    match = matcher.match(line.name)
    if match.organisation is not None:
        line.organisation = match.organisation
        successor = match.outcome == Outcome.SUCCESSOR
        line.status = NameStatus.SUCCESSOR if successor else NameStatus.MATCHED
        return
    line.kind = kind_from_words(line.name)
    if match.outcome == Outcome.AMBIGUOUS:
        line.reason = ngettext(
            "Ambigu : %(count)s structure du référentiel porte ce nom.",
            "Ambigu : %(count)s structures du référentiel portent ce nom.",
            match.candidates,
        ) % {"count": match.candidates}
    else:
        line.reason = _("Aucune structure du référentiel ne porte ce nom.")
    line.suggestions = explain_no_match(line.name).suggestions[:5]
