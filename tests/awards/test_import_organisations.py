"""import_palmares gives unverified organisations the territory data/organisations.csv records."""

import shutil

import pytest
from django.core.management.base import CommandError

from awards.models import Award
from territories.models import Organisation

from .palmares import DATA_DIR, PALMARES, edit_line, run_import

# Unverified organisation → (département code, région code), as data/organisations.csv places
# them; the four names that state no single territory stay unplaced.
PLACED = {
    "Comité départemental du tourisme d'Ille-et-Vilaine": ("35", "53"),
    "Communauté d'agglomération Terres de France": (None, None),
    "Hub du Sud": (None, None),
    "Mégalis Bretagne": (None, "53"),
    "Office du tourisme de Mulhouse": ("68", "44"),
    "Parc naturel régional du Haut-Jura": (None, None),
    "SIVU": (None, None),
    "Syndicat Anjou Numérique": ("49", "52"),
    "Syndicat mixte des transports collectifs de l'Oise": ("60", "32"),
}
UNPLACED = dict.fromkeys(PLACED, (None, None))


def territories_of_unverified() -> dict[str, tuple[str | None, str | None]]:
    return {
        organisation.name: (
            organisation.departement.insee_code if organisation.departement else None,
            organisation.region.insee_code if organisation.region else None,
        )
        for organisation in Organisation.objects.filter(from_referential=False).select_related(
            "departement", "region"
        )
    }


def append_line(path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{line}\n")


def test_real_files_place_the_organisations_whose_name_states_a_territory(db):
    report, _ = run_import(str(PALMARES))

    # Created with their territory: nothing more than before the file existed.
    assert (report["created"], report["updated"]) == (207, 0)
    assert territories_of_unverified() == PLACED


def test_organisations_imported_before_are_placed_once(db, tmp_path):
    shutil.copy(PALMARES, tmp_path / "palmares.csv")
    run_import(str(tmp_path / "palmares.csv"))  # no organisations.csv beside it
    assert territories_of_unverified() == UNPLACED
    shutil.copy(DATA_DIR / "organisations.csv", tmp_path / "organisations.csv")

    first, _ = run_import(str(tmp_path / "palmares.csv"))
    second, output = run_import(str(tmp_path / "palmares.csv"))

    assert (first["created"], first["updated"]) == (0, 5)
    assert (second["created"], second["updated"]) == (0, 0)
    assert "Palmarès déjà à jour : rien n'a été créé ni modifié." in output
    assert territories_of_unverified() == PLACED


def test_region_only_row_sets_the_region_and_leaves_the_departement(db, tmp_path):
    shutil.copy(PALMARES, tmp_path / "palmares.csv")
    run_import(str(tmp_path / "palmares.csv"))
    finistere = Organisation.objects.get(kind="departement", insee_code="29")
    Organisation.objects.filter(name="Mégalis Bretagne").update(departement=finistere)
    shutil.copy(DATA_DIR / "organisations.csv", tmp_path / "organisations.csv")

    report, _ = run_import(str(tmp_path / "palmares.csv"))

    assert report["updated"] == 5
    assert territories_of_unverified()["Mégalis Bretagne"] == ("29", "53")


def test_a_referential_body_is_never_touched_an_unverified_namesake_is(db, data_copy):
    namesake = Organisation.objects.create(
        kind="association", name="RENNES", slug="rennes-association", from_referential=False
    )
    append_line(data_copy / "organisations.csv", "Rennes,other,29,53,a test row")

    report, _ = run_import(str(data_copy / "palmares.csv"))

    assert report["updated"] == 1
    rennes = Organisation.objects.get(kind="commune", insee_code="35238")
    assert (rennes.departement.insee_code, rennes.region.insee_code) == ("35", "53")
    namesake.refresh_from_db()
    assert (namesake.departement.insee_code, namesake.region.insee_code) == ("29", "53")


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (
            1,
            "justification",
            "why",
            "colonnes inconnues : why ; colonnes manquantes : justification.",
        ),
        (2, ",,53,", ",,99,", "« 99 » n'est pas un code de région."),
        (2, ",,53,", ",,,", "la colonne « region_code » est vide."),
        (3, ",35,53,", ",99,53,", "« 99 » n'est pas un code de département."),
        (3, ",35,53,", ",35,44,", "le département 35 n'est pas dans la région 44."),
        (
            2,
            "Mégalis Bretagne,other,",
            "Mégalis Bretagne,syndicat,",
            "nature « syndicat » : l'import donne à ce nom la nature « other ».",
        ),
        (
            4,
            ',"the name says Oise: département 60, in région 32 (Hauts-de-France)"',
            ",",
            "la colonne « justification » est vide.",
        ),
    ],
)
def test_malformed_row_stops_the_import_with_its_line(db, data_copy, line, old, new, message):
    path = data_copy / "organisations.csv"
    edit_line(path, line, old, new)

    with pytest.raises(CommandError) as error:
        run_import(str(data_copy / "palmares.csv"))

    assert str(error.value) == (
        f"Palmarès non importé, rien n'a changé. {path}, ligne {line} : {message}"
    )
    assert Award.objects.count() == 0
    assert not Organisation.objects.filter(from_referential=False).exists()


def test_a_name_given_twice_stops_the_import(db, data_copy):
    path = data_copy / "organisations.csv"
    append_line(path, "MÉGALIS - bretagne,other,,53,the same name folded")

    with pytest.raises(CommandError) as error:
        run_import(str(data_copy / "palmares.csv"))

    assert f"{path}, ligne 7 : « name » cite deux fois le même nom." in str(error.value)
    assert Award.objects.count() == 0


def test_option_names_another_organisations_file(db, tmp_path):
    other = tmp_path / "territoires.csv"
    other.write_text(
        "name,kind,departement_code,region_code,justification\nHub du Sud,other,13,93,a test row\n",
        encoding="utf-8",
    )

    run_import(str(PALMARES), "--organisations", str(other))

    assert territories_of_unverified() == UNPLACED | {"Hub du Sud": ("13", "93")}


def test_missing_organisations_file_given_explicitly_is_an_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        run_import(str(PALMARES), "--organisations", str(tmp_path / "absent.csv"))

    assert f"{tmp_path / 'absent.csv'} : fichier illisible" in str(error.value)
    assert Award.objects.count() == 0
