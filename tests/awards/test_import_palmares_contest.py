"""import_palmares --contest SLUG: any contest's palmarès, with that contest's level codes."""

import json

import pytest
from django.core.management.base import CommandError
from django.test import Client

from awards.models import Award
from contests.models import ContestLevel, Edition, Level
from territories.models import Organisation
from tests.factories import ContestFactory

from .palmares import run_import

SLUG = "territoires-connectes"
LEVELS = [
    ("niveau-1", "Cinq arobases"),
    ("niveau-2", "Quatre arobases"),
    ("niveau-3", "Trois arobases"),
    ("niveau-4", "Deux arobases"),
    ("niveau-5", "Une arobase"),
]
HEADER = "year,level,theme,organisations,project_title,notes,source\n"
ROWS = (
    "2019,niveau-1,,Bordeaux Métropole,Capteurs de crues,,\n"
    "2019,niveau-5,Mobilités,Ville de Rennes | Association des maires ruraux,"
    "Navettes à la demande,,\n"
    "2020,niveau-3,,Grand Lyon,Données ouvertes du fleuve,,\n"
)


@pytest.fixture
def contest(db):
    contest = ContestFactory(slug=SLUG, name="Territoires connectés")
    for rank, (code, name) in enumerate(LEVELS, start=1):
        ContestLevel.objects.create(contest=contest, code=code, name=name, rank=rank)
    return contest


@pytest.fixture
def palmares_file(tmp_path):
    path = tmp_path / "palmares.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_contest_palmares_gets_the_contest_s_five_levels(contest, palmares_file):
    report, _output = run_import(str(palmares_file), "--contest", SLUG)

    assert (report["rows"], report["awards"], report["editions"]) == (3, 3, 2)
    assert report["unmatched"] == ["Association des maires ruraux"]
    assert report["matched_as_successor"] == ["Grand Lyon"]
    edition = Edition.objects.get(contest=contest, year=2019)
    assert list(edition.levels.values_list("code", "name", "rank")) == [
        (code, name, rank) for rank, (code, name) in enumerate(LEVELS, start=1)
    ]
    assert edition.is_historical is True
    assert not Level.objects.filter(edition__contest=contest, code="or").exists()
    assert Award.objects.get(title="Navettes à la demande").level.name == "Une arobase"
    association = Organisation.objects.get(name="Association des maires ruraux")
    assert (association.kind, association.from_referential, association.listed) == (
        "association",
        False,
        True,
    )


def test_default_contest_is_left_alone(contest, palmares_file):
    run_import(str(palmares_file), "--contest", SLUG)

    assert Edition.objects.filter(contest__slug="label-territoire-innovant").count() == 0


def test_contest_palmares_second_run_changes_nothing(contest, palmares_file):
    run_import(str(palmares_file), "--contest", SLUG)

    report, output = run_import(str(palmares_file), "--contest", SLUG)

    assert (report["created"], report["updated"]) == (0, 0)
    assert "Palmarès déjà à jour : rien n'a été créé ni modifié." in output


def test_unknown_level_code_names_the_contest_s_codes_and_imports_nothing(contest, palmares_file):
    palmares_file.write_text(HEADER + ROWS + "2020,or,,Ville de Brest,Wifi public,,\n")

    with pytest.raises(CommandError) as error:
        run_import(str(palmares_file), "--contest", SLUG)

    assert str(error.value) == (
        f"Palmarès non importé, rien n'a changé. {palmares_file}, ligne 5 : niveau « or » "
        "inconnu (attendu : niveau-1, niveau-2, niveau-3, niveau-4, niveau-5 ou vide)."
    )
    assert Edition.objects.filter(contest=contest).count() == 0
    assert not Organisation.objects.filter(from_referential=False).exists()


def test_the_label_s_codes_are_refused_for_another_contest_but_accepted_for_the_label(
    contest, tmp_path
):
    path = tmp_path / "palmares.csv"
    path.write_text(HEADER + "2019,or,,Ville de Brest,Wifi public,,\n", encoding="utf-8")

    with pytest.raises(CommandError):
        run_import(str(path), "--contest", SLUG)
    report, _output = run_import(str(path))

    assert (report["awards"], Award.objects.get().edition.contest.slug) == (
        1,
        "label-territoire-innovant",
    )


def test_unknown_contest_names_the_known_slugs(db, palmares_file):
    with pytest.raises(CommandError) as error:
        run_import(str(palmares_file), "--contest", "inconnu")

    assert str(error.value) == (
        "Palmarès non importé, rien n'a changé. Concours « inconnu » inconnu (concours "
        "existants : label-territoire-innovant, start-up-interconnectee)."
    )
    assert Edition.objects.count() == 0


def test_year_page_and_api_show_the_contest_s_laureates_and_level_names(contest, palmares_file):
    run_import(str(palmares_file), "--contest", SLUG)
    client = Client()

    page = client.get(f"/palmares/2019/?concours={SLUG}")
    api = client.get("/api/v1/laureates", {"contest": SLUG, "year": 2019})

    text = page.content.decode()
    assert page.status_code == 200
    assert ("Capteurs de crues" in text, "Navettes à la demande" in text) == (True, True)
    assert ("Cinq arobases" in text, "Une arobase" in text, "Trois arobases" in text) == (
        True,
        True,
        False,
    )
    results = json.loads(api.content)["results"]
    assert sorted((result["title"], result["level"]) for result in results) == [
        ("Capteurs de crues", "niveau-1"),
        ("Navettes à la demande", "niveau-5"),
    ]
    assert client.get("/palmares/2019/").status_code == 404


def test_statistics_badge_verification_and_certificate_of_an_imported_laureate(
    contest, palmares_file
):
    run_import(str(palmares_file), "--contest", SLUG)
    slug = Award.objects.get(title="Capteurs de crues").slug
    client = Client()

    statistics = client.get(f"/statistiques/?concours={SLUG}")
    verification = client.get(f"/projets/{slug}/verification/")
    certificate = client.get(f"/projets/{slug}/certificat.pdf")

    assert statistics.status_code == 200
    assert verification.status_code == 200
    assert "Cinq arobases" in verification.content.decode()
    assert (certificate.status_code, certificate["Content-Type"]) == (200, "application/pdf")
