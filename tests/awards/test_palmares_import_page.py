"""The organisers' import page of a contest's past palmarès: upload, preview, fix, import."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awards.models import Award
from contests.models import ContestOrganiser, Edition
from territories.models import Organisation
from tests.factories import ContestFactory, UserFactory

from .test_import_palmares_contest import HEADER, LEVELS, SLUG
from .test_import_palmares_contest import contest as contest

BASE = f"/organisation/concours/{SLUG}/palmares/importer/"
FILE = HEADER + (
    "2019,niveau-1,,Bordeaux Metropol,Capteurs de crues,,\n"
    "2019,niveau-5,,Ville de Rennes | Association des maires ruraux,Navettes à la demande,,\n"
    "2020,niveau-3,,Grand Lyon,Données ouvertes du fleuve,,\n"
)
ROW = re.compile(r'<tr id="nom-(\d+)" data-status="(\w+)">\s*<th scope="row">([^<]+)<')


@pytest.fixture
def organiser(db) -> Client:
    client = Client()
    client.force_login(UserFactory(email="organisatrice@exemple.org", is_organiser=True))
    return client


def upload(client: Client, text: str = FILE, name: str = "palmares.csv", **extra):
    data = SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text)
    return client.post(BASE, {"file": data, **extra})


def statuses(response) -> list[tuple[str, str]]:
    return [(name, status) for _index, status, name in ROW.findall(response.content.decode())]


def carried(response) -> dict[str, str]:
    """The hidden fields of the preview form (the file's text and name)."""
    page = response.content.decode()
    return {
        name: value.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
        if name in {"content", "filename"}
    }


def test_upload_shows_each_name_s_status(contest, organiser):
    response = upload(organiser)

    assert response.status_code == 200
    assert statuses(response) == [
        ("Bordeaux Metropol", "unmatched"),
        ("Ville de Rennes", "matched"),
        ("Association des maires ruraux", "unmatched"),
        ("Grand Lyon", "successor"),
    ]
    assert "Aucune structure du référentiel ne porte ce nom." in response.content.decode()
    assert Edition.objects.filter(contest=contest).count() == 0


def test_fixed_name_is_matched_and_imported_in_one_go(contest, organiser):
    preview = upload(organiser)
    data = {**carried(preview), "fix-0": "Bordeaux Métropole", "kind-2": "association"}

    again = organiser.post(f"{BASE}apercu/", data)
    done = organiser.post(f"{BASE}importer/", data)

    assert statuses(again)[:3] == [
        ("Bordeaux Metropol", "matched"),
        ("Ville de Rennes", "matched"),
        ("Association des maires ruraux", "recorded"),
    ]
    assert (done.status_code, done["Location"]) == (302, f"/organisation/concours/{SLUG}/")
    assert [str(message) for message in get_messages(done.wsgi_request)] == [
        "Palmarès importé : 3 lauréats créés, 0 modifiés, 0 inchangés."
    ]
    link = Award.objects.get(title="Capteurs de crues").award_organisations.get()
    assert (link.published_name, link.organisation.name, link.match) == (
        "Bordeaux Métropole",
        "Bordeaux Métropole",
        "name",
    )
    assert Award.objects.get(title="Capteurs de crues").level.name == LEVELS[0][1]
    association = Organisation.objects.get(name="Association des maires ruraux")
    assert (association.kind, association.from_referential) == ("association", False)


def test_second_import_leaves_every_award_unchanged(contest, organiser):
    data = {**carried(upload(organiser)), "fix-0": "Bordeaux Métropole"}
    organiser.post(f"{BASE}importer/", data)

    done = organiser.post(f"{BASE}importer/", data)

    assert [str(message) for message in get_messages(done.wsgi_request)][-1] == (
        "Palmarès importé : 0 lauréats créés, 0 modifiés, 3 inchangés."
    )


def test_search_with_several_answers_asks_to_pick_one_then_picks(contest, organiser):
    data = {**carried(upload(organiser)), "search-0": "Bordeaux"}

    ambiguous = organiser.post(f"{BASE}importer/", data)
    slug = re.search(r'name="pick-0" value="([\w-]+)"', ambiguous.content.decode()).group(1)
    picked = organiser.post(f"{BASE}importer/", {**data, "pick-0": slug})

    assert ambiguous.status_code == 200
    assert "Plusieurs structures répondent : choisissez-en une ci-dessous." in (
        ambiguous.content.decode()
    )
    assert picked.status_code == 302
    link = Award.objects.get(title="Capteurs de crues").award_organisations.get()
    assert (link.organisation.slug, link.match, link.published_name) == (
        slug,
        "declared",
        "Bordeaux Metropol",
    )


def test_unknown_level_code_is_refused_with_the_contest_s_codes(contest, organiser):
    response = upload(organiser, FILE + "2020,or,,Ville de Brest,Wifi public,,\n")

    assert response.status_code == 200
    assert (
        "palmares.csv, ligne 5 : niveau « or » inconnu (attendu : niveau-1, niveau-2, niveau-3, "
        "niveau-4, niveau-5 ou vide)." in response.content.decode()
    )
    assert Edition.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (FILE.encode("latin-1"), "palmares.csv", "Le fichier n'est pas encodé en UTF-8"),
        (FILE, "palmares.xlsx", "Le fichier doit être au format CSV (extension .csv)."),
        (HEADER + "x" * (1024 * 1024), "palmares.csv", "Le fichier dépasse 1 Mo"),
    ],
)
def test_bad_upload_is_refused_in_french(contest, organiser, content, name, message):
    response = upload(organiser, content, name)

    assert message.replace("'", "&#x27;") in response.content.decode()
    assert Edition.objects.count() == 0


def test_altered_content_is_refused_and_nothing_imported(contest, organiser):
    data = {**carried(upload(organiser)), "content": "year\n"}

    response = organiser.post(f"{BASE}importer/", data)

    assert response.status_code == 400
    assert Edition.objects.count() == 0


def test_page_is_linked_from_the_contest_s_organiser_page(contest, organiser):
    page = organiser.get(f"/organisation/concours/{SLUG}/").content.decode()

    assert f'href="{BASE}"' in page


def test_organiser_may_open_the_page(contest, organiser):
    assert organiser.get(BASE).status_code == 200


def test_others_may_not(contest, db):
    stranger, kept_elsewhere = Client(), Client()
    stranger.force_login(UserFactory(email="agent@exemple.org"))
    other = UserFactory(email="autre@exemple.org", is_organiser=True)
    ContestOrganiser.objects.create(contest=ContestFactory(slug="autre-concours"), user=other)
    kept_elsewhere.force_login(other)

    assert (Client().get(BASE).status_code, stranger.get(BASE).status_code) == (302, 403)
    assert kept_elsewhere.get(BASE).status_code == 403
    assert upload(kept_elsewhere).status_code == 403
    assert stranger.post(f"{BASE}importer/", {"content": FILE}).status_code == 403
    assert Edition.objects.count() == 0


def test_file_with_more_names_than_the_preview_can_post_is_refused(contest, organiser, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20  # room for two names

    response = upload(organiser)

    assert (
        "Le fichier cite 4 structures, plus que l&#x27;aperçu n&#x27;en montre (2) : "
        "découpez-le par années, ou importez-le avec la commande import_palmares."
    ) in response.content.decode()


def test_fix_that_cites_a_structure_twice_is_refused_and_nothing_imported(contest, organiser):
    data = {**carried(upload(organiser)), "fix-2": "Ville de Rennes"}

    response = organiser.post(f"{BASE}importer/", data)

    assert response.status_code == 200
    assert (
        "Palmarès non importé, rien n&#x27;a changé. Ligne 3 : après correction, « Navettes à "
        "la demande » cite deux fois la même structure."
    ) in response.content.decode()
    assert (Edition.objects.count(), Award.objects.count()) == (0, 0)


def test_kind_chosen_for_a_name_already_kept_unverified_changes_its_kind(contest, organiser):
    data = carried(upload(organiser))
    organiser.post(f"{BASE}importer/", data)
    kept = Organisation.objects.get(name="Bordeaux Metropol")

    organiser.post(f"{BASE}importer/", {**data, "kind-0": "etablissement_public"})

    kept.refresh_from_db()
    assert (kept.kind, kept.from_referential) == ("etablissement_public", False)
    assert Organisation.objects.filter(name="Bordeaux Metropol").count() == 1


def test_post_without_a_file_says_the_file_is_required(contest, organiser):
    response = organiser.post(BASE, {})

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
