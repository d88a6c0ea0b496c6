"""The English locale: switching language, translated pages and labels, a complete catalogue."""

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from territories.enums import OrganisationKind

pytestmark = pytest.mark.django_db

LOCALE_DIR = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
# What `make messages` leaves out of the catalogue (besides dot-folders).
IGNORED = {"vendor", "tests", "staticfiles", "var", "node_modules", "__pycache__"}

# The home page's heading is the contest's name (its data, in the content's language); the
# page's own words are the title's.
FRENCH_HEADING = "<title>Accueil · Palmarès</title>"
ENGLISH_HEADING = "<title>Home · Palmarès</title>"


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr, msgstr[n] and a "fuzzy" flag.

    Enough for what makemessages writes; obsolete entries (#~) are left out.
    """
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = "yes"
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [entry for entry in entries if entry["msgid"]]  # the header's msgid is ""


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Build the .mo when `make` has not (missing or older than the .po), like compilemessages."""
    if MO_PATH.exists() and MO_PATH.stat().st_mtime >= PO_PATH.stat().st_mtime:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: install gettext (make install does) to build the .mo")
    # Written aside then renamed, so that a parallel worker never reads half a file.
    partial = MO_PATH.with_name(f"django.mo.{os.getpid()}")
    command = [msgfmt, "--check-format", "-o", partial, PO_PATH]
    subprocess.run(command, check=True)  # noqa: S603 - gettext's own tool on our own files
    partial.replace(MO_PATH)
    # Changing LOCALE_PATHS makes Django drop the catalogues it may have loaded before the .mo.
    with override_settings(LOCALE_PATHS=settings.LOCALE_PATHS):
        pass


def test_home_page_is_french_by_default(visitor):
    response = visitor.get(reverse("catalogue:home"))

    assertContains(response, '<html lang="fr">')
    assertContains(response, FRENCH_HEADING, html=True)
    assertNotContains(response, ENGLISH_HEADING, html=True)


def test_home_page_is_english_once_english_is_chosen(visitor):
    home = reverse("catalogue:home")

    switch = visitor.post(reverse("set_language"), {"language": "en", "next": home})
    response = visitor.get(home)

    assert switch.status_code == 302
    assert switch.url == home
    assert switch.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assertContains(response, '<html lang="en">')
    assertContains(response, ENGLISH_HEADING, html=True)
    assertContains(response, "<title>Home · Palmarès</title>", html=True)
    assertNotContains(response, FRENCH_HEADING, html=True)


def test_home_page_stays_french_when_an_unknown_language_is_chosen(visitor):
    home = reverse("catalogue:home")

    visitor.post(reverse("set_language"), {"language": "de", "next": home})
    response = visitor.get(home)

    assertContains(response, '<html lang="fr">')
    assertContains(response, FRENCH_HEADING, html=True)


def test_login_page_labels_its_fields_in_english(visitor):
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = visitor.get(reverse("accounts:login"))

    assertContains(response, '<label for="id_email">Email address:</label>', html=True)
    assertContains(response, '<label for="id_password">Password:</label>', html=True)


def test_login_page_labels_its_fields_in_french_by_default(visitor):
    response = visitor.get(reverse("accounts:login"))

    assertContains(
        response, '<label for="id_email">Adresse électronique\N{NO-BREAK SPACE}:</label>', html=True
    )
    assertContains(
        response, '<label for="id_password">Mot de passe\N{NO-BREAK SPACE}:</label>', html=True
    )


def test_enum_label_follows_the_active_language():
    kind = OrganisationKind.COMMUNAUTE_AGGLOMERATION

    with translation.override("en"):
        english = str(kind.label)
    with translation.override("fr"):
        french = str(kind.label)

    assert english == "Agglomeration community"
    assert french == "Communauté d'agglomération"


def test_catalogue_translates_every_message_and_compiles_them_all():
    entries = read_po(PO_PATH)
    untranslated, not_compiled = [], []

    with translation.override("en"):
        for entry in entries:
            if "msgid_plural" in entry:
                expected = [entry["msgstr[0]"], entry["msgstr[1]"]]
                compiled = [
                    translation.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)
                ]
            elif "msgctxt" in entry:
                expected = [entry["msgstr"]]
                compiled = [translation.pgettext(entry["msgctxt"], entry["msgid"])]
            else:
                expected = [entry["msgstr"]]
                compiled = [translation.gettext(entry["msgid"])]
            if "fuzzy" in entry or not all(expected):
                untranslated.append(entry["msgid"])
            elif compiled != expected:
                not_compiled.append(entry["msgid"])

    assert len(entries) > 400  # the parser read the file
    assert untranslated == [], "Translate these in locale/en/LC_MESSAGES/django.po"
    assert not_compiled == [], "The .mo is stale: run make install (compilemessages)"


def test_catalogue_holds_every_message_of_the_code(tmp_path, monkeypatch, settings):
    """Extract the messages again, as `make messages` does, from a copy of the code.

    A string marked for translation but missing from the .po (makemessages not run) fails here.
    """
    source = settings.BASE_DIR
    for folder, subfolders, files in os.walk(source):
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".") and name not in IGNORED and name != "locale"
        ]
        target = tmp_path / Path(folder).relative_to(source)
        for name in files:
            if name.endswith((".py", ".html", ".txt")):
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(folder) / name, target / name)
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(PO_PATH, tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)

    extracted = read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = [
        entry["msgid"]
        for entry in extracted
        if "fuzzy" in entry or not entry.get("msgstr", entry.get("msgstr[0]"))
    ]
    assert missing == [], "Run make messages, then translate these"
