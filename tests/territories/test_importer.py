"""import_territories against the real npm package, and against edited copies of it."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from territories.importer import read_centres, weighted_centre
from territories.models import Organisation

DATA_DIR = Path(settings.TERRITORIES_DATA_DIR)
FILES = ("regions", "departements", "communes", "epci")


def read_package(name: str) -> list[dict]:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def run_import(data_dir: Path = DATA_DIR) -> dict:
    out = StringIO()
    call_command("import_territories", data_dir=data_dir, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the package's data folder that a test may edit."""
    for name in FILES:
        shutil.copy(DATA_DIR / f"{name}.json", tmp_path / f"{name}.json")
    return tmp_path


def edit(data_dir: Path, name: str, change) -> None:
    path = data_dir / f"{name}.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(json.dumps(rows), encoding="utf-8")


def test_import_counts_equal_the_package(db):
    regions = [r for r in read_package("regions") if r["zone"] != "com"]
    departements = [d for d in read_package("departements") if d["zone"] != "com"]
    communes = [c for c in read_package("communes") if c["type"] == "commune-actuelle"]
    epcis = read_package("epci")

    report = run_import()

    assert {key: report[key] for key in ("region", "departement", "commune", "epci")} == {
        "region": len(regions),
        "departement": len(departements),
        "commune": len(communes),
        "epci": len(epcis),
    }
    # The figures of package 6.0.0 (pinned in the Makefile).
    assert (report["region"], report["departement"]) == (18, 101)
    assert (report["commune"], report["epci"]) == (34_969, 1_255)
    referential = Organisation.objects.from_referential()
    assert referential.filter(kind="region").count() == 18
    assert referential.filter(kind="departement").count() == 101
    assert referential.filter(kind="commune").count() == 34_969
    assert referential.epcis().count() == 1_255


def test_import_twice_changes_nothing(db):
    count = Organisation.objects.count()

    report = run_import()

    assert (report["created"], report["updated"], report["retired"]) == (0, 0, 0)
    assert Organisation.objects.count() == count


def test_import_prints_exactly_one_json_line(db):
    out = StringIO()

    call_command("import_territories", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert list(report) == [
        "region",
        "departement",
        "commune",
        "epci",
        "created",
        "updated",
        "retired",
        "seconds",
    ]
    assert isinstance(report["seconds"], float)


def test_import_updates_renamed_commune_and_moved_member(db, data_copy):
    def rename_epernay(communes):
        next(c for c in communes if c["code"] == "51230")["nom"] = "Épernay-en-Champagne"

    def move_pace(epcis):
        # Pacé (35210) leaves Rennes Métropole for the CC Val d'Ille-Aubigné, also in the 35.
        rennes_metropole = next(e for e in epcis if e["code"] == "243500139")
        pace = next(m for m in rennes_metropole["membres"] if m["code"] == "35210")
        rennes_metropole["membres"].remove(pace)
        next(e for e in epcis if e["nom"] == "CC Val d'Ille-Aubigné")["membres"].append(pace)

    edit(data_copy, "communes", rename_epernay)
    edit(data_copy, "epci", move_pace)

    report = run_import(data_copy)

    # Épernay and Pacé, plus the two EPCI whose population-weighted centres moved with Pacé.
    assert (report["created"], report["updated"], report["retired"]) == (0, 4, 0)
    epernay = Organisation.objects.get(kind="commune", insee_code="51230")
    assert (epernay.name, epernay.search_name) == ("Épernay-en-Champagne", "epernay en champagne")
    pace = Organisation.objects.select_related("epci").get(kind="commune", insee_code="35210")
    assert pace.epci.name == "CC Val d'Ille-Aubigné"
    assert run_import(data_copy)["updated"] == 0


def test_import_retires_commune_gone_from_package(db, data_copy):
    # Île-de-Sein (29083, 263 inhabitants) belongs to no EPCI: only communes.json lists it.
    edit(
        data_copy,
        "communes",
        lambda rows: rows.remove(next(c for c in rows if c["code"] == "29083")),
    )
    finistere = Organisation.objects.get(kind="departement", insee_code="29")

    report = run_import(data_copy)

    # The département and the région are updated too: their populations sum their communes'.
    assert (report["created"], report["updated"], report["retired"]) == (0, 2, 1)
    assert report["commune"] == 34_968
    sein = Organisation.objects.get(kind="commune", insee_code="29083")
    assert (sein.name, sein.from_referential, sein.epci_id) == ("Île-de-Sein", False, None)
    finistere_after = Organisation.objects.get(pk=finistere.pk)
    assert finistere_after.population == finistere.population - 263
    assert run_import(data_copy)["retired"] == 0


def test_import_of_corrupt_json_fails_and_changes_nothing(db, data_copy):
    text = (data_copy / "communes.json").read_text(encoding="utf-8")
    (data_copy / "communes.json").write_text(text[: len(text) // 2], encoding="utf-8")
    count = Organisation.objects.count()

    with pytest.raises(CommandError, match=r"communes\.json is not valid JSON"):
        call_command("import_territories", data_dir=data_copy, stdout=StringIO())

    assert Organisation.objects.count() == count
    assert Organisation.objects.get(kind="commune", insee_code="51230").name == "Épernay"


def test_import_of_member_unknown_to_communes_fails(db, data_copy):
    # Rennes removed from communes.json but still a member of Rennes Métropole.
    edit(
        data_copy,
        "communes",
        lambda rows: rows.remove(next(c for c in rows if c["code"] == "35238")),
    )

    with pytest.raises(CommandError, match="Unexpected content"):
        call_command("import_territories", data_dir=data_copy, stdout=StringIO())

    assert Organisation.objects.get(kind="commune", insee_code="35238").from_referential is True


def test_import_failing_midway_rolls_back_earlier_changes(db, data_copy):
    # The région is renamed (written first), then a new commune reuses Rennes' SIREN, which the
    # database refuses when communes are written (last): the renaming must be undone.
    def rename_bretagne(regions):
        next(r for r in regions if r["code"] == "53")["nom"] = "Bretagne renommée"

    def add_commune_with_taken_siren(communes):
        rennes = next(c for c in communes if c["code"] == "35238")
        communes.append({**rennes, "code": "35999", "nom": "Commune nouvelle"})

    edit(data_copy, "regions", rename_bretagne)
    edit(data_copy, "communes", add_commune_with_taken_siren)
    count = Organisation.objects.count()

    with pytest.raises(CommandError, match="The database refused the referential"):
        call_command("import_territories", data_dir=data_copy, stdout=StringIO())

    assert Organisation.objects.get(kind="region", insee_code="53").name == "Bretagne"
    assert Organisation.objects.count() == count


def test_communes_and_epci_have_a_point_other_levels_none(db):
    rennes = Organisation.objects.get(kind="commune", insee_code="35238")
    rennes_metropole = Organisation.objects.get(siren="243500139")
    bretagne = Organisation.objects.get(kind="region", insee_code="53")

    assert abs(rennes.longitude - -1.68) < 0.05
    assert abs(rennes.latitude - 48.11) < 0.05
    assert (rennes.longitude, rennes.latitude) == (-1.6815, 48.1105)
    assert abs(rennes_metropole.longitude - -1.68) < 0.1
    assert abs(rennes_metropole.latitude - 48.11) < 0.1
    assert (bretagne.longitude, bretagne.latitude) == (None, None)


def test_import_without_centres_file_leaves_points_null(db, tmp_path):
    assert read_centres(None) == {}

    out = StringIO()
    call_command("import_territories", centres_file=tmp_path / "missing.json", stdout=out)

    # Nothing fails: the 34,863 located communes and the 1,255 EPCI just lose their point.
    assert json.loads(out.getvalue())["updated"] == 34_863 + 1_255
    assert not Organisation.objects.filter(longitude__isnull=False).exists()
    assert Organisation.objects.filter(kind="commune", insee_code="35238").get().name == "Rennes"


def test_corrupt_centres_file_fails_and_changes_nothing(db, tmp_path):
    centres = tmp_path / "communes.json"
    centres.write_text("[{", encoding="utf-8")

    with pytest.raises(CommandError, match=r"communes\.json is not valid JSON"):
        call_command("import_territories", centres_file=centres, stdout=StringIO())

    rennes = Organisation.objects.get(kind="commune", insee_code="35238")
    assert (rennes.longitude, rennes.latitude) == (-1.6815, 48.1105)


def test_weighted_centre_weighs_by_population():
    assert weighted_centre([((0.0, 40.0), 3), ((4.0, 48.0), 1)]) == (1.0, 42.0)
    assert weighted_centre([((-1.23456, 47.0), 5)]) == (-1.2346, 47.0)
    # Communes without inhabitants weigh nothing; none at all gives no point.
    assert weighted_centre([((0.0, 40.0), 0), ((4.0, 48.0), 2)]) == (4.0, 48.0)
    assert weighted_centre([((0.0, 40.0), 0)]) is None
    assert weighted_centre([]) is None
