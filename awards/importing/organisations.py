"""The territory that an unverified organisation's published name states (data/organisations.csv).

A name the referential does not hold becomes an unverified organisation without département or
région, so the figures count its awards « non renseigné ». Where the published name itself names
a territory ("Mégalis Bretagne": the région Bretagne), a row of this file records it with its
justification. The import applies each row to the unverified organisations of that folded name,
never to a body of the referential. Nothing is guessed: a name that names no territory has no
row. A row gives a région and, optionally, a département of that région; a région-only row sets
the région alone and leaves the département as it is. A row that leaves the file removes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from territories.enums import OrganisationKind
from territories.matching import kind_from_words
from territories.models import Organisation
from territories.text import fold

from .rows import _Checker, _records

ORGANISATIONS_COLUMNS = ("name", "kind", "departement_code", "region_code", "justification")


@dataclass(frozen=True)
class Placement:
    """What one row sets on the unverified organisations of its name."""

    line: int
    name: str
    region: Organisation
    departement: Organisation | None

    def values(self) -> dict[str, Organisation]:
        values = {"region": self.region}
        if self.departement is not None:
            values["departement"] = self.departement
        return values


def read_organisations(path: Path) -> dict[str, Placement]:
    """Every row of an organisations.csv file, checked, by folded name.

    Raises PalmaresFileError on the first bad row: a column empty or too long, a kind other than
    the one the import gives the name (territories.matching.kind_from_words), a code that is not
    a région or département of the referential, a département outside the row's région, or a
    name already given on another line.
    """
    territories = {
        (organisation.kind, organisation.insee_code): organisation
        for organisation in Organisation.objects.filter(
            kind__in=(OrganisationKind.REGION, OrganisationKind.DEPARTEMENT),
            from_referential=True,
        )
    }
    placements: dict[str, Placement] = {}
    for line, record in _records(path, ORGANISATIONS_COLUMNS, ORGANISATIONS_COLUMNS):
        check = _Checker(path, line, record)
        name = check.text("name", required=True, limit="organisation")
        check.text("justification", required=True)  # kept in the file for its readers
        expected = kind_from_words(name)
        if record["kind"] != expected:
            raise check.fail(
                _("nature « %(value)s » : l'import donne à ce nom la nature « %(expected)s ».")
                % {"value": record["kind"], "expected": expected}
            )
        region_code = check.text("region_code", required=True).upper()
        region = territories.get((OrganisationKind.REGION, region_code))
        if region is None:
            message = _("« %(value)s » n'est pas un code de région.")
            raise check.fail(message % {"value": region_code})
        departement_code = record["departement_code"].upper()
        departement = None
        if departement_code:
            departement = territories.get((OrganisationKind.DEPARTEMENT, departement_code))
            if departement is None:
                raise check.fail(
                    _("« %(value)s » n'est pas un code de département.")
                    % {"value": departement_code}
                )
            if departement.region_id != region.pk:
                raise check.fail(
                    _("le département %(departement)s n'est pas dans la région %(region)s.")
                    % {"departement": departement_code, "region": region_code}
                )
        key = fold(name)
        if key in placements:
            raise check.fail(_("« %s » cite deux fois le même nom.") % "name")
        placements[key] = Placement(line, name, region, departement)
    return placements


def placement_of(placements: dict[str, Placement], name: str) -> dict[str, Organisation]:
    """The département and région to create an unverified organisation with, if a row names it."""
    placement = placements.get(fold(name))
    return placement.values() if placement is not None else {}


def place_organisations(placements: dict[str, Placement]) -> int:
    """Give the unverified organisations the file names their territory; how many changed.

    Bodies of the referential are left out by the query itself, whatever their name.
    """
    changed = 0
    unverified = Organisation.objects.filter(
        from_referential=False, search_name__in=placements.keys()
    ).order_by("pk")
    for organisation in unverified:
        values = placements[organisation.search_name].values()
        fields = [
            field
            for field, value in values.items()
            if getattr(organisation, f"{field}_id") != value.pk
        ]
        if fields:
            for field in fields:
                setattr(organisation, field, values[field])
            organisation.save(update_fields=[*fields, "updated_at"])
            changed += 1
    return changed
