"""python manage.py backup: the database and the uploaded files in one checked .tar.gz."""

import json
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from health.jobs import record_success

from ._backup_archive import (
    DATABASE_DIR,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_DIR,
    database_file_name,
    dump_database,
    engine,
    media_root,
    sha256_of,
)
from ._backup_crypto import configured_key, encrypt_file

# Plain archives end in .tar.gz, encrypted ones in .tar.gz.enc (BACKUP_ENCRYPTION_KEY).
ARCHIVE_PATTERN = "palmares-*.tar.gz*"
# Archives hold every dossier and the TOTP secrets: only their owner may read them.
ARCHIVE_MODE = 0o600


def default_output(now: datetime) -> Path:
    suffix = ".tar.gz.enc" if configured_key() else ".tar.gz"
    return Path(settings.BACKUP_DIR) / f"palmares-{now:%Y%m%dT%H%M%SZ}{suffix}"


def private_file(path: Path) -> None:
    """Create `path` empty, readable by its owner only, before anything is written to it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, ARCHIVE_MODE)
    os.close(descriptor)
    os.chmod(path, ARCHIVE_MODE)  # whatever the umask or a file already there


def prune_archives(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives of `directory`; the deleted ones.

    Only files named like our archives count (their UTC date sorts them); anything else an
    operator keeps in the folder is never touched.
    """
    archives = sorted(path for path in directory.glob(ARCHIVE_PATTERN) if path.is_file())
    doomed = archives[:-keep] if len(archives) > keep else []
    for path in doomed:
        path.unlink()
    return doomed


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(name in the archive, path on disk) of every uploaded file, sorted, links left out."""
    if not root.is_dir():
        return []
    found = []
    for directory, subdirectories, files in os.walk(root):  # never follows symlinked folders
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((f"{MEDIA_DIR}/{path.relative_to(root).as_posix()}", path))
    return found


class Command(BaseCommand):
    # Plain strings at parser time: argparse cannot format lazy ones (`--help` crashed).
    @property
    def help(self) -> str:
        return _(
            "Sauvegarde la base de données et les fichiers déposés dans une archive, lisible "
            "par son seul propriétaire et chiffrée si BACKUP_ENCRYPTION_KEY est défini."
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help=_(
                "Archive à écrire (par défaut BACKUP_DIR/palmares-<date UTC>.tar.gz, "
                ".tar.gz.enc si chiffrée)."
            ),
        )
        parser.add_argument(
            "--keep",
            type=int,
            help=_(
                "Après la sauvegarde, ne garder que les N archives palmares-*.tar.gz les plus "
                "récentes de son dossier."
            ),
        )

    def handle(self, *args, output: Path | None = None, keep: int | None = None, **options) -> None:
        if keep is not None and keep < 1:
            raise CommandError(_("--keep doit valoir au moins 1."))
        now = datetime.now(UTC)
        output = (output or default_output(now)).resolve()
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = configured_key()
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
            database = Path(work) / database_file_name()
            dump_database(database)
            files = [(f"{DATABASE_DIR}/{database.name}", database), *media_files(media_root())]
            manifest = {
                "format_version": FORMAT_VERSION,
                "engine": engine(),
                "created_at": now.isoformat(timespec="seconds"),
                "files": [
                    {"name": name, "size": path.stat().st_size, "sha256": sha256_of(path)}
                    for name, path in files
                ],
            }
            manifest_path = Path(work) / MANIFEST_NAME
            manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            # Written aside then renamed: an interrupted backup never leaves a truncated archive.
            partial = Path(work) / "archive.tar.gz"
            private_file(partial)
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(manifest_path, arcname=MANIFEST_NAME)
                for name, path in files:
                    archive.add(path, arcname=name, recursive=False)
            if key:
                encrypted = Path(work) / "archive.enc"
                private_file(encrypted)
                with encrypted.open("r+b") as target:
                    encrypt_file(partial, target, key)
                partial = encrypted
            os.replace(partial, output)
        self.stdout.write(
            _("Sauvegarde écrite : %(path)s (%(count)s fichiers déposés).")
            % {"path": output, "count": len(files) - 1}
        )
        if keep is not None:
            deleted = prune_archives(output.parent, keep)
            self.stdout.write(
                ngettext(
                    "%(count)s archive plus ancienne supprimée.",
                    "%(count)s archives plus anciennes supprimées.",
                    len(deleted),
                )
                % {"count": len(deleted)}
            )
        record_success("backup", started_at=now)
