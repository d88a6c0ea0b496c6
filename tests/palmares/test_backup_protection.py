"""Backups are private and, with BACKUP_ENCRYPTION_KEY, encrypted; restore refuses a wrong key;
both commands' `--help` work (issue 17, findings 9 and 11)."""

import os
import stat
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from applications.models import Application
from contests.management.commands import _backup_crypto
from tests.palmares import test_backup
from tests.palmares.test_backup import build_rows, snapshot

# The fixtures of test_backup: a media folder of the test's own, the database put back after.
media = test_backup.media
as_found = test_backup.as_found

pytestmark = pytest.mark.xdist_group("backup")
KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize("name", ["backup", "restore"])
def test_help_of_the_backup_commands_is_printed_in_french(name):
    parser = load_command_class("contests", name).create_parser("manage.py", name)

    text = parser.format_help()

    assert f"usage: manage.py {name}" in text
    assert "Une archive chiffrée" in text if name == "restore" else "BACKUP_ENCRYPTION_KEY" in text


def test_an_archive_is_readable_by_its_owner_only(as_found, transactional_db, media, loose_umask):
    archive = media.parent / "out" / "palmares.tar.gz"

    call_command("backup", output=archive, verbosity=0)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert tarfile.is_tarfile(archive)  # without a key: a plain archive, readable by its owner


def test_with_a_key_the_archive_is_encrypted_and_restores(
    as_found, transactional_db, media, settings, loose_umask
):
    settings.BACKUP_ENCRYPTION_KEY = KEY
    settings.BACKUP_DIR = media.parent / "backups"
    build_rows()
    before = snapshot(media)

    call_command("backup", verbosity=0)

    (archive,) = settings.BACKUP_DIR.iterdir()
    content = archive.read_bytes()
    assert archive.name.endswith(".tar.gz.enc")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert content.startswith(_backup_crypto.MAGIC)
    assert b"Tiers-lieu" not in content and b"manifest.json" not in content
    Application.objects.all().delete()
    call_command("restore", archive, yes=True, verbosity=0)
    assert snapshot(media) == before


def _encrypted_archive(tmp_path, key=KEY):
    plain = tmp_path / "plain.tar.gz"
    with tarfile.open(plain, "w:gz"):
        pass
    archive = tmp_path / "palmares.tar.gz.enc"
    with archive.open("wb") as target:
        _backup_crypto.encrypt_file(plain, target, key)
    return archive


def test_restore_refuses_a_wrong_key_clearly_and_changes_nothing(media, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    media.mkdir()
    (media / "kept.txt").write_bytes(b"kept")

    with pytest.raises(CommandError, match="Clé de chiffrement incorrecte"):
        call_command("restore", _encrypted_archive(tmp_path), yes=True, verbosity=0)

    assert (media / "kept.txt").read_bytes() == b"kept"


def test_restore_of_an_encrypted_archive_without_key_names_the_setting(tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = ""

    with pytest.raises(CommandError, match="définissez BACKUP_ENCRYPTION_KEY"):
        call_command("restore", _encrypted_archive(tmp_path), yes=True, verbosity=0)


def test_decryption_with_the_right_key_gives_back_the_bytes_and_refuses_a_cut_file(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(3 * 1024) * 7)
    encrypted = tmp_path / "source.enc"
    with encrypted.open("wb") as target:
        _backup_crypto.encrypt_file(source, target, KEY)
    _backup_crypto.decrypt_file(encrypted, tmp_path / "back.bin", KEY)
    cut = tmp_path / "cut.enc"
    cut.write_bytes(encrypted.read_bytes()[:-10])

    assert (tmp_path / "back.bin").read_bytes() == source.read_bytes()
    with pytest.raises(CommandError, match=r"altérée|incomplète"):
        _backup_crypto.decrypt_file(cut, tmp_path / "cut.bin", KEY)
