"""import_palmares's optional `distinctions` column: the contest's codes, separated by « ; »."""

import pytest
from django.core.management.base import CommandError

from awards.models import Award
from contests.models import Contest, ContestDistinction

from .palmares import PALMARES, run_import

pytestmark = pytest.mark.django_db
TITLE = "Grand Lyon SmartData"


def _file(tmp_path, cells: list[str]):
    """The first rows of data/palmares.csv with a distinctions column, `cells` in order."""
    header, *rows = PALMARES.read_text(encoding="utf-8").splitlines()[: len(cells) + 1]
    lines = [f"{header},distinctions"] + [
        f"{row},{cell}" for row, cell in zip(rows, cells, strict=True)
    ]
    path = tmp_path / "palmares.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _contest():
    contest, _created = Contest.objects.get_or_create(
        slug="label-territoire-innovant", defaults={"name": "Label Territoire Innovant"}
    )
    ContestDistinction.objects.create(contest=contest, code="coup-de-coeur", name="Coup de cœur")
    ContestDistinction.objects.create(contest=contest, code="prix-du-jury", name="Prix du jury")


def test_distinctions_column_gives_awards_their_distinctions(tmp_path):
    _contest()

    run_import(str(_file(tmp_path, ["Prix-du-jury ; coup-de-coeur", ""])))

    assert list(
        Award.objects.get(title=TITLE).distinctions.values_list("code", flat=True).order_by("code")
    ) == ["coup-de-coeur", "prix-du-jury"]
    assert Award.objects.filter(distinctions__isnull=False).distinct().count() == 1


def test_unknown_distinction_imports_nothing(tmp_path):
    _contest()

    with pytest.raises(CommandError) as error:
        run_import(str(_file(tmp_path, ["mention-speciale"])))

    assert "ligne 2 : distinction « mention-speciale » inconnue (attendu : coup-de-coeur, " in str(
        error.value
    )
    assert not Award.objects.exists()
