"""Helpers of the palmarès import tests: running the command, editing copies of the files."""

import json
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from awards.models import Award

DATA_DIR = Path(settings.BASE_DIR) / "data"
PALMARES = DATA_DIR / "palmares.csv"
UNMATCHED = [
    "SIVU",
    "Syndicat mixte des transports collectifs de l'Oise",
    "Communauté d'agglomération Terres de France",
    "Office du tourisme de Mulhouse",
    "Comité départemental du tourisme d'Ille-et-Vilaine",
    "Mégalis Bretagne",
    "Parc naturel régional du Haut-Jura",
    "Hub du Sud",
    "Syndicat Anjou Numérique",
]
MATCHED_AS_SUCCESSOR = [
    "Grand Lyon",
    "Lille Métropole",
    "Communauté d'agglomération de Saint-Omer",
    "Valence Agglo",
    "Communauté d'agglomération de Saint-Quentin",
    "Région Rhône-Alpes",
]


def run_import(*args: str) -> tuple[dict, str]:
    """The command's JSON report and its whole output."""
    out = StringIO()
    call_command("import_palmares", *args, stdout=out)
    output = out.getvalue()
    return json.loads(output.splitlines()[-1]), output


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def award(title: str) -> Award:
    return Award.objects.get(title=title)


def code_of(organisation) -> str | None:
    return organisation.siren if organisation.is_epci else organisation.insee_code


def organisations_of(title: str) -> list[tuple]:
    return [
        (link.published_name, link.role, link.organisation.kind, code_of(link.organisation))
        for link in award(title).award_organisations.select_related("organisation")
    ]


def identifications_of(title: str) -> list[tuple]:
    """How each organisation of an award was identified: (published name, match, kind, code)."""
    return [
        (link.published_name, link.match, link.organisation.kind, code_of(link.organisation))
        for link in award(title).award_organisations.select_related("organisation")
    ]
