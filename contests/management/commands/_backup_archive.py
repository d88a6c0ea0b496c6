"""What `backup` and `restore` share: the archive layout, the manifest and the database tools.

An archive is one .tar.gz holding `manifest.json`, `database/<file>` (a SQLite copy or a
PostgreSQL custom-format dump) and `media/<path>` for every uploaded file. The leading underscore
keeps Django from listing this module as a command.
"""

import hashlib
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from django.core.files.storage import storages
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
SQLITE_FILE = "db.sqlite3"
POSTGRESQL_FILE = "db.dump"
CHUNK = 1024 * 1024
# pg_dump, pg_restore: a restore of a real site may take a while, never forever.
TOOL_TIMEOUT = 3600


def engine() -> str:
    """'sqlite' or 'postgresql': the only two databases the project supports."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(
            _("Base de données non prise en charge : %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def database_file_name() -> str:
    return SQLITE_FILE if engine() == "sqlite" else POSTGRESQL_FILE


def media_root() -> Path:
    """The uploads' directory: the location of the default storage (MEDIA_ROOT in the env)."""
    return Path(storages["default"].location)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_member_name(name: str) -> PurePosixPath:
    """The member's path if it stays inside the archive's tree; a CommandError otherwise."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise CommandError(_("Archive refusée : chemin dangereux « %(name)s ».") % {"name": name})
    return path


def _postgresql_tool(tool: str, *args: str) -> None:
    # Built from the live connection's settings, not from DATABASE_URL, so that the tests
    # dump and restore their own test database.
    settings = connection.settings_dict
    command = [tool, "--no-password", *args]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command += ["--dbname", settings["NAME"]]
    try:
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False
        )
    except FileNotFoundError as error:
        raise CommandError(
            _("Outil PostgreSQL introuvable : %(tool)s (paquet postgresql-client).")
            % {"tool": tool}
        ) from error
    if result.returncode != 0:
        raise CommandError(
            _("%(tool)s a échoué : %(error)s") % {"tool": tool, "error": result.stderr.strip()}
        )


def dump_database(target: Path) -> None:
    """Write a consistent copy of the live database to `target`."""
    if engine() == "sqlite":
        connection.ensure_connection()
        # The backup API copies a consistent snapshot even while the site writes (WAL); it also
        # works on the tests' in-memory database, which has no file to copy.
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        # --no-acl: GRANTs name roles the restoring server may not have.
        _postgresql_tool(
            "pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(target)
        )


def load_database(source: Path) -> None:
    """Replace the whole live database with the copy in `source`."""
    if engine() == "sqlite":
        connection.ensure_connection()
        # Copying into the live connection replaces every page in one locked step: readers see
        # the old database or the new one, never a mix, and there is no file to swap.
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        # Our own connection holds no lock in autocommit; close it anyway so that DROP never
        # waits on it, and so that the next query sees the restored catalogue.
        connection.close()
        _postgresql_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(source),
        )


def regular_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's files, refusing anything but plain files and directories with safe names."""
    members = []
    for member in archive.getmembers():
        safe_member_name(member.name)
        if member.isdir():
            continue
        if not member.isfile():
            # Symbolic and hard links, devices, FIFOs: a backup never holds them.
            raise CommandError(
                _("Archive refusée : « %(name)s » n'est pas un fichier ordinaire.")
                % {"name": member.name}
            )
        members.append(member)
    return members
