"""« Mes données » as a ZIP: one JSON file per section, then the person's files, streamed.

The archive is written into a pipe that the response empties after every piece, so memory
holds one chunk of a file at a time, whatever the files weigh (zipfile writes to a stream it
cannot seek with data descriptors).
"""

import io
import json
import zipfile
from collections.abc import Iterator

from .models import User
from .personal_data import sections

CHUNK_BYTES = 64 * 1024


class _Pipe(io.RawIOBase):
    """A write-only stream whose content is taken away piece by piece."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces.clear()
        return data


def stream_archive(user: User) -> Iterator[bytes]:
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections():
            rows = section.rows(user)
            text = json.dumps(rows, ensure_ascii=False, indent=2, default=str)
            archive.writestr(f"{section.name}.json", text)
            yield pipe.take()
            for name, stored in section.files(user) if section.files else ():
                yield from _copy(archive, pipe, name, stored)
    yield pipe.take()


def _copy(archive: zipfile.ZipFile, pipe: _Pipe, name: str, stored) -> Iterator[bytes]:
    try:
        source = stored.storage.open(stored.name, "rb")
    except OSError:  # the file is gone from the disk: its row in the JSON still says it
        return
    # Stored, not deflated: PDFs and images are compressed already.
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_STORED
    with source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK_BYTES):
            target.write(chunk)
            yield pipe.take()
