"""import_events: the 2019 IntercoTOUR stages of data/events_2019.csv, exact; idempotence;
régions matched by official name only; a wrong file imports nothing and names the line."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contests.events import event_slug
from contests.models import Event
from territories.models import Organisation
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

STAGES_2019 = Path(__file__).resolve().parents[2] / "data" / "events_2019.csv"
HEADER = "kind,name,region,city,start,end,source\n"


def run(path: Path) -> tuple[dict, str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_events", str(path), stdout=out, stderr=err)
    return json.loads(out.getvalue().strip().splitlines()[-1]), out.getvalue(), err.getvalue()


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_import_the_2019_stages_exact():
    report, out, err = run(STAGES_2019)

    assert report == {
        "rows": 8,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "unmatched_regions": [],
    }
    assert out.splitlines()[0] == ("Événements importés. Créés : 8 ; modifiés : 0 ; inchangés : 0.")
    assert err == ""
    stages = Event.objects.filter(kind="stage").order_by("starts_on")
    assert [
        (e.slug, e.name, e.city, e.starts_on, e.ends_on, e.region.insee_code, e.region.name)
        for e in stages
    ] == [
        (
            "intercotour-occitanie-2019",
            "IntercoTOUR Occitanie",
            "Cahors",
            date(2019, 3, 26),
            date(2019, 3, 26),
            "76",
            "Occitanie",
        ),
        (
            "intercotour-nouvelle-aquitaine-2019",
            "IntercoTOUR Nouvelle-Aquitaine",
            "Dax",
            date(2019, 6, 20),
            date(2019, 6, 20),
            "75",
            "Nouvelle-Aquitaine",
        ),
        (
            "intercotour-ile-de-france-2019",
            "IntercoTOUR Île-de-France",
            "Paris",
            date(2019, 6, 26),
            date(2019, 6, 27),
            "11",
            "Île-de-France",
        ),
        (
            "intercotour-grand-est-2019",
            "IntercoTOUR Grand Est",
            "Charleville-Mézières",
            date(2019, 7, 2),
            date(2019, 7, 2),
            "44",
            "Grand Est",
        ),
        (
            "intercotour-normandie-2019",
            "IntercoTOUR Normandie",
            "Le Havre",
            date(2019, 7, 9),
            date(2019, 7, 9),
            "28",
            "Normandie",
        ),
        (
            "intercotour-hauts-de-france-2019",
            "IntercoTOUR Hauts-de-France",
            "Saint-Quentin",
            date(2019, 9, 19),
            date(2019, 9, 19),
            "32",
            "Hauts-de-France",
        ),
        (
            "intercotour-sud-paca-2019",
            "IntercoTOUR Sud PACA",
            "Istres",
            date(2019, 9, 26),
            date(2019, 9, 26),
            "93",
            "Provence-Alpes-Côte d'Azur",
        ),
        (
            "intercotour-auvergne-rhone-alpes-2019",
            "IntercoTOUR Auvergne-Rhône-Alpes",
            "Annecy",
            date(2019, 10, 17),
            date(2019, 10, 17),
            "84",
            "Auvergne-Rhône-Alpes",
        ),
    ]
    assert set(stages.values_list("source", flat=True)) == {"003_2c9b177e40cff5f1.txt"}
    assert set(stages.values_list("theme", "venue", "programme")) == {("", "", "")}


def test_import_twice_changes_nothing():
    run(STAGES_2019)

    report, out, _err = run(STAGES_2019)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 8)
    assert out.splitlines()[0] == ("Événements déjà à jour : rien n'a été créé ni modifié (8).")
    assert Event.objects.filter(kind="stage").count() == 8


def test_import_updates_the_file_columns_and_keeps_what_organisers_added():
    run(STAGES_2019)
    Event.objects.filter(slug="intercotour-occitanie-2019").update(
        city="Figeac", theme="Données", venue="Espace Valentré"
    )

    report, _out, _err = run(STAGES_2019)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 7)
    occitanie = Event.objects.get(slug="intercotour-occitanie-2019")
    assert (occitanie.city, occitanie.theme, occitanie.venue) == (
        "Cahors",
        "Données",
        "Espace Valentré",
    )


def test_region_matched_folded_but_a_nickname_is_never_guessed(tmp_path):
    path = write(
        tmp_path,
        "intercotour,IntercoTOUR Bretagne,BRETAGNE,Rennes,2019-05-02,,x.txt",
        "intercotour,IntercoTOUR PACA,Sud PACA,Istres,2019-09-26,2019-09-26,x.txt",
        "intercotour,IntercoTOUR Réunion,la reunion,Saint-Denis,2019-11-05,,x.txt",
    )

    report, _out, err = run(path)

    assert report["unmatched_regions"] == ["Sud PACA"]
    assert err.strip() == (
        "Ligne 3 : la région « Sud PACA » n'est pas une région du référentiel ; "
        "l'événement est importé sans région."
    )
    regions = dict(Event.objects.values_list("slug", "region__insee_code"))
    assert regions == {
        "intercotour-bretagne-2019": "53",
        "intercotour-paca-2019": None,
        "intercotour-reunion-2019": "04",
    }
    bretagne = Event.objects.get(slug="intercotour-bretagne-2019")
    assert (bretagne.starts_on, bretagne.ends_on) == (date(2019, 5, 2), date(2019, 5, 2))


def test_unmatched_region_keeps_the_region_already_set(tmp_path):
    occitanie = Organisation.objects.get(kind="region", insee_code="76")
    EventFactory(
        kind="stage", name="IntercoTOUR Sud", slug="intercotour-sud-2019", region=occitanie
    )
    path = write(tmp_path, "intercotour,IntercoTOUR Sud,Midi,Cahors,2019-03-26,,x.txt")

    report, _out, _err = run(path)

    assert report["unmatched_regions"] == ["Midi"]
    assert Event.objects.get(slug="intercotour-sud-2019").region == occitanie


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (
            "kind,name,region,city,date,end,source\n",
            "intercotour,A,Occitanie,Cahors,2019-03-26,,x",
            "ligne 1 : en-tête « kind,name,region,city,date,end,source » inattendu "
            "(attendu : kind,name,region,city,start,end,source).",
        ),
        (
            HEADER,
            "intercotour,A,Occitanie,Cahors,26/03/2019,,x",
            "ligne 3 : date « 26/03/2019 » invalide dans la colonne « start » "
            "(attendu : AAAA-MM-JJ).",
        ),
        (
            HEADER,
            "intercotour,A,Occitanie,Cahors,2019-02-30,,x",
            "ligne 3 : date « 2019-02-30 » invalide dans la colonne « start » "
            "(attendu : AAAA-MM-JJ).",
        ),
        (
            HEADER,
            "intercotour,A,Occitanie,Cahors,2019-03-26,2019-03-25,x",
            "ligne 3 : la fin (2019-03-25) précède le début (2019-03-26).",
        ),
        (
            HEADER,
            "salon,A,Occitanie,Cahors,2019-03-26,,x",
            "ligne 3 : type « salon » inconnu (attendu : intercotour, stage, forum).",
        ),
        (
            HEADER,
            "intercotour,,Occitanie,Cahors,2019-03-26,,x",
            "ligne 3 : la colonne « name » est vide.",
        ),
        (
            HEADER,
            "intercotour,A,Occitanie,Cahors,2019-03-26,,x,en trop",
            "ligne 3 : le nombre de champs diffère de l'en-tête (7 attendus).",
        ),
        (
            HEADER,
            "intercotour,IntercoTOUR Occitanie,Occitanie,Cahors,2019-10-01,,x",
            "ligne 3 : même événement que la ligne 2 (« IntercoTOUR Occitanie » la même année).",
        ),
    ],
)
def test_wrong_file_imports_nothing_and_names_the_line(tmp_path, header, row, message):
    path = write(
        tmp_path,
        "intercotour,IntercoTOUR Occitanie,Occitanie,Cahors,2019-03-26,,x",
        row,
        header=header,
    )

    with pytest.raises(CommandError) as raised:
        call_command("import_events", str(path), stdout=StringIO(), stderr=StringIO())

    assert str(raised.value) == f"Événements non importés, rien n'a changé. {path}, {message}"
    assert Event.objects.filter(kind="stage").count() == 0


def test_missing_file_is_a_french_error(tmp_path):
    with pytest.raises(CommandError, match="fichier illisible"):
        call_command("import_events", str(tmp_path / "absent.csv"), stdout=StringIO())


def test_event_slug_puts_the_year_once():
    assert event_slug("IntercoTOUR Occitanie", 2019) == "intercotour-occitanie-2019"
    assert event_slug("Forum des Interconnectés 2024", 2024) == "forum-des-interconnectes-2024"
