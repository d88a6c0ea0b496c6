"""import_palmares refuses bad files and conflicting data, and then imports nothing."""

import pytest
from django.core.management.base import CommandError

from awards.models import Award
from contests.models import Contest, Edition, Event
from territories.models import Organisation
from tests.factories import EditionFactory

from .palmares import PALMARES, edit_line, run_import


def test_malformed_row_stops_the_import_and_imports_nothing(db, data_copy):
    path = data_copy / "palmares.csv"
    edit_line(path, 5, "2013,bronze,", "2013,platine,")

    with pytest.raises(CommandError) as error:
        run_import(str(path))

    assert str(error.value) == (
        f"Palmarès non importé, rien n'a changé. {path}, ligne 5 : niveau « platine » inconnu "
        "(attendu : or, argent, bronze ou vide)."
    )
    assert (Award.objects.count(), Edition.objects.count(), Event.objects.count()) == (0, 0, 0)
    assert not Organisation.objects.filter(from_referential=False).exists()


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "message"),
    [
        (
            "palmares.csv",
            1,
            "project_title",
            "titre",
            "colonnes inconnues : titre ; colonnes manquantes : project_title.",
        ),
        (
            "palmares.csv",
            3,
            "2013,",
            "20x3,",
            "année « 20x3 » invalide (attendu : un nombre entre 2000 et ",
        ),
        ("palmares.csv", 4, "2013,", "1999,", "année « 1999 » invalide"),
        (
            "palmares.csv",
            7,
            "Communauté urbaine de Dunkerque",
            "",
            "la colonne « organisations » est vide.",
        ),
        (
            "palmares.csv",
            8,
            "SISMO : Système Intégré des Services à la Mobilité de l'Oise",
            "",
            "la colonne « project_title » est vide.",
        ),
        (
            "palmares.csv",
            9,
            "Métropole Nice Côte d'Azur",
            "Métropole Nice Côte d'Azur | ",
            "« organisations » contient un élément vide.",
        ),
        (
            "palmares.csv",
            10,
            ",002_be90b554cb9cee90.txt",
            ",002_be90b554cb9cee90.txt,extra",
            "le nombre de champs diffère de l'en-tête (7 attendus).",
        ),
        (
            "palmares.csv",
            12,
            'Rennes Métropole,"INFOLAB, pour comprendre et innover avec l\'Open Data"',
            "Rennes Métropole,Spot Mairie",
            "le projet « Spot Mairie » figure déjà à la ligne 9 pour 2013.",
        ),
        (
            "editions.csv",
            3,
            "2013-12-03",
            "2013-11-31",
            "« forum_end » doit être une date AAAA-MM-JJ ou vide, pas « 2013-11-31 ».",
        ),
        ("editions.csv", 4, "2015-12-03", "2015-11-03", "le Forum finit avant de commencer."),
        (
            "editions.csv",
            5,
            "900",
            "neuf cents",
            "« participants » doit être un nombre entier positif ou vide, pas « neuf cents ».",
        ),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_line(
    db, data_copy, file, line, old, new, message
):
    edit_line(data_copy / file, line, old, new)

    with pytest.raises(CommandError) as error:
        run_import(str(data_copy / "palmares.csv"))

    assert f"{data_copy / file}, ligne {line} : {message}" in str(error.value)
    assert Award.objects.count() == 0


def test_year_already_run_on_the_platform_is_not_overwritten(db):
    label = Contest.objects.get(slug="label-territoire-innovant")
    EditionFactory(contest=label, year=2024, is_historical=False)

    with pytest.raises(CommandError) as error:
        run_import(str(PALMARES))

    assert "L'édition 2024 de « Label Territoire Innovant » existe déjà" in str(error.value)
    assert (Award.objects.count(), Edition.objects.count()) == (0, 1)


def test_missing_editions_file_given_explicitly_is_an_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        run_import(str(PALMARES), "--editions", str(tmp_path / "absent.csv"))

    assert f"{tmp_path / 'absent.csv'} : fichier illisible" in str(error.value)
    assert Award.objects.count() == 0


def test_empty_referential_is_refused(db):
    Organisation.objects.update(from_referential=False)  # as if import_territories never ran

    with pytest.raises(CommandError) as error:
        run_import(str(PALMARES))

    assert str(error.value) == (
        "Palmarès non importé, rien n'a changé. Le référentiel territorial est vide : lancez "
        "d'abord import_territories."
    )
    assert Award.objects.count() == 0
