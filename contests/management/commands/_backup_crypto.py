"""Encryption of backup archives with BACKUP_ENCRYPTION_KEY (Fernet: AES-128-CBC + HMAC-SHA256).

Fernet encrypts a message in memory; an archive may hold gigabytes of videos, so it is cut into
chunks of CHUNK bytes, each its own Fernet token. Each chunk's plaintext starts with its index
and a "last" flag: a chunk moved, dropped, repeated or a file cut short fails the restore, not
only a changed byte. The file starts with MAGIC so that restore knows it is encrypted whatever
its name. The leading underscore keeps Django from listing this module as a command.
"""

import struct
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

MAGIC = b"PALMARES-BACKUP-FERNET-1\n"
CHUNK = 16 * 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, last flag
_LENGTH = struct.Struct(">I")  # length of the token that follows
# Encrypted right after MAGIC: a key that cannot open it is the wrong key (rather than a file
# altered further on, which the chunks' own tokens report).
KEY_CHECK = b"palmares-backup-key-check"


def configured_key() -> str:
    return settings.BACKUP_ENCRYPTION_KEY.strip()


def _fernet(key: str):
    from cryptography.fernet import Fernet

    try:
        return Fernet(key.encode())
    except ValueError as error:
        raise CommandError(
            _(
                "BACKUP_ENCRYPTION_KEY n'est pas une clé valide (44 caractères base64, créée par "
                "Fernet.generate_key())."
            )
        ) from error


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: BinaryIO, key: str) -> None:
    """Write `source` encrypted with `key` to the open binary file `target`."""
    fernet = _fernet(key)
    target.write(MAGIC)
    check = fernet.encrypt(KEY_CHECK)
    target.write(_LENGTH.pack(len(check)) + check)
    size = source.stat().st_size
    count = max(1, -(-size // CHUNK))
    with source.open("rb") as stream:
        for index in range(count):
            data = stream.read(CHUNK)
            token = fernet.encrypt(_HEADER.pack(index, index == count - 1) + data)
            target.write(_LENGTH.pack(len(token)) + token)


def _read_token(stream: BinaryIO) -> bytes:
    length = stream.read(_LENGTH.size)
    token = stream.read(_LENGTH.unpack(length)[0]) if len(length) == _LENGTH.size else b""
    if not token:
        raise CommandError(_("Archive chiffrée incomplète : la fin du fichier manque."))
    return token


def decrypt_file(source: Path, target: Path, key: str | None) -> None:
    """Decrypt `source` into `target`; a CommandError in French without the key, with a wrong
    key, or when the file was altered or cut."""
    from cryptography.fernet import InvalidToken

    if not key:
        raise CommandError(
            _(
                "Cette archive est chiffrée : définissez BACKUP_ENCRYPTION_KEY avec la clé qui "
                "l'a chiffrée, puis relancez la restauration."
            )
        )
    fernet = _fernet(key)
    with source.open("rb") as stream, target.open("xb") as plain:
        stream.read(len(MAGIC))
        try:
            check = fernet.decrypt(_read_token(stream))
        except InvalidToken as error:
            raise CommandError(
                _(
                    "Clé de chiffrement incorrecte : cette archive n'a pas été chiffrée avec la "
                    "clé BACKUP_ENCRYPTION_KEY actuelle. Rien n'a été modifié."
                )
            ) from error
        if check != KEY_CHECK:
            raise CommandError(_("Archive chiffrée altérée : rien n'a été modifié."))
        index, last = 0, False
        while not last:
            try:
                data = fernet.decrypt(_read_token(stream))
            except InvalidToken as error:
                raise CommandError(_("Archive chiffrée altérée : rien n'a été modifié.")) from error
            found, last = _HEADER.unpack(data[: _HEADER.size])
            if found != index:
                raise CommandError(_("Archive chiffrée altérée : rien n'a été modifié."))
            plain.write(data[_HEADER.size :])
            index += 1
        if stream.read(1):
            raise CommandError(_("Archive chiffrée altérée : rien n'a été modifié."))
