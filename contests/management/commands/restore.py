"""python manage.py restore <archive> --yes: put back a `backup` archive, database and files."""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ._backup_archive import (
    CHUNK,
    DATABASE_DIR,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_DIR,
    database_file_name,
    engine,
    load_database,
    media_root,
    regular_members,
    safe_member_name,
)
from ._backup_crypto import configured_key, decrypt_file, is_encrypted


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST_NAME)
    except KeyError as error:
        raise CommandError(_("Archive refusée : pas de manifest.json.")) from error
    stream = archive.extractfile(member) if member.isfile() else None
    if stream is None:
        raise CommandError(_("Archive refusée : manifest.json illisible."))
    try:
        manifest = json.load(stream)
        expected = {entry["name"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError) as error:
        raise CommandError(_("Archive refusée : manifest.json illisible.")) from error
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            _("Archive refusée : format %(found)s, cette version lit le format %(expected)s.")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    if manifest.get("engine") != engine():
        raise CommandError(
            _("Archive refusée : sauvegarde %(found)s, base actuelle %(current)s.")
            % {"found": manifest.get("engine"), "current": engine()}
        )
    manifest["expected"] = expected
    return manifest


def extract_checked(archive: tarfile.TarFile, expected: dict, staging: Path) -> None:
    """Copy every member into `staging`, refusing the archive unless it matches its manifest."""
    seen = set()
    for member in regular_members(archive):
        if member.name == MANIFEST_NAME:
            continue
        name = safe_member_name(member.name).as_posix()
        if name not in expected or name in seen:
            raise CommandError(
                _("Archive refusée : « %(name)s » absent du manifeste.") % {"name": name}
            )
        seen.add(name)
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        source = archive.extractfile(member)
        with source, target.open("xb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                copy.write(chunk)
        if (size, digest.hexdigest()) != expected[name]:
            raise CommandError(
                _("Archive refusée : l'empreinte de « %(name)s » ne correspond pas au manifeste.")
                % {"name": name}
            )
    missing = sorted(set(expected) - seen)
    if missing:
        raise CommandError(
            _("Archive refusée : fichiers manquants : %(names)s.") % {"names": ", ".join(missing)}
        )
    if not (staging / DATABASE_DIR / database_file_name()).is_file():
        raise CommandError(_("Archive refusée : pas de copie de la base de données."))


def swap_media(new: Path, root: Path) -> None:
    """Put `new` in place of `root` by renames on the same file system, then drop the old tree."""
    old = None
    if root.exists():
        old = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-old-")) / root.name
        os.replace(root, old)
    os.replace(new, root)
    if old is not None:
        shutil.rmtree(old.parent)


class Command(BaseCommand):
    # Plain strings at parser time: argparse cannot format lazy ones (`--help` crashed).
    @property
    def help(self) -> str:
        return _(
            "Restaure une sauvegarde : remplace la base de données et les fichiers déposés. "
            "Une archive chiffrée demande la clé BACKUP_ENCRYPTION_KEY qui l'a chiffrée."
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help=_("Archive écrite par backup."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Confirme le remplacement de la base et des fichiers."),
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options) -> None:
        if not yes:
            raise CommandError(
                _(
                    "La restauration remplace toute la base de données et tous les fichiers "
                    "déposés. Relancez avec --yes pour confirmer."
                )
            )
        if not archive.is_file():
            raise CommandError(_("Archive introuvable : %(path)s.") % {"path": archive})
        root = media_root()
        root.parent.mkdir(parents=True, exist_ok=True)
        # Next to MEDIA_ROOT, so that the final swap is a rename on one file system.
        with tempfile.TemporaryDirectory(dir=root.parent, prefix=".restore-") as work:
            staging = Path(work) / "staging"
            staging.mkdir()
            if is_encrypted(archive):
                plain = Path(work) / "archive.tar.gz"
                decrypt_file(archive, plain, configured_key())
                archive = plain
            try:
                with tarfile.open(archive, "r:gz") as tar:
                    manifest = read_manifest(tar)
                    extract_checked(tar, manifest["expected"], staging)
            except (tarfile.TarError, OSError, EOFError) as error:
                raise CommandError(_("Archive illisible : %(error)s") % {"error": error}) from error
            # Nothing has changed until here: every refusal above leaves the site as it was.
            load_database(staging / DATABASE_DIR / database_file_name())
            (staging / MEDIA_DIR).mkdir(exist_ok=True)
            swap_media(staging / MEDIA_DIR, root)
        self.stdout.write(
            _("Sauvegarde du %(date)s restaurée (%(count)s fichiers déposés).")
            % {"date": manifest.get("created_at", "?"), "count": len(manifest["expected"]) - 1}
        )
