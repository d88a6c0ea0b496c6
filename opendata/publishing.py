"""The open-data files of /donnees/: written once per change of the public palmarès, served as is.

`regenerate_open_data()` writes palmares.csv, palmares.json, palmares.geojson, datapackage.json and
catalogue.jsonld into a fresh folder under OPEN_DATA_ROOT, then points `current.json` at it with
one atomic rename: a reader sees the old set or the new one, never a mix. It runs after an import
of history and after results are published (awards.signals.palmares_changed, received by
`on_palmares_changed`, connected in opendata/apps.py).

Serving never trusts that someone called it: `current_release()` first computes a fingerprint of
what the public may see (the public editions and since when, the public awards' count and latest
changes, the search index's token, which changes on every award edit) in three small queries, and
regenerates when it differs from the one the files were made from. An edition that goes under
embargo, or comes out of it when its phase starts, is therefore reflected by the next request,
not by the next call somebody remembers to make.
"""

import csv
import hashlib
import io
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone, translation

from awards.models import Award
from catalogue.search.models import SearchIndexState
from contests.models import Edition, Level, current_phase_value

from . import descriptors
from .geojson import feature_collection
from .table import FIELD_NAMES, published_awards, rows

MANIFEST = "current.json"
DATA_FILES = ("palmares.csv", "palmares.json", "palmares.geojson")
FILES = (*DATA_FILES, "datapackage.json", "catalogue.jsonld")
MEDIA_TYPES = {
    "palmares.csv": "text/csv; charset=utf-8",
    "palmares.json": "application/json",
    "palmares.geojson": "application/geo+json",
    "datapackage.json": "application/json",
    "catalogue.jsonld": "application/ld+json",
}


def open_data_root() -> Path:
    """settings.OPEN_DATA_ROOT, or MEDIA_ROOT/opendata by default."""
    root = getattr(settings, "OPEN_DATA_ROOT", None)
    return Path(root) if root else Path(default_storage.location) / "opendata"


@dataclass(frozen=True)
class Fingerprint:
    key: str
    # The latest change the public can see: an award recorded, an awarded organisation updated, an
    # edition's results made public. None when nothing is public yet.
    changed_at: datetime | None


def data_fingerprint(now: datetime | None = None) -> Fingerprint:
    now = now or timezone.now()
    public_since = current_phase_value("starts_at", now)
    editions = sorted(
        Edition.objects.public(now)
        .annotate(public_since=public_since)
        .values_list("pk", "public_since")
    )
    awards = Award.objects.public(now).aggregate(
        count=Count("pk", distinct=True),
        links=Count("award_organisations", distinct=True),
        created=Max("created_at"),
        updated=Max("award_organisations__organisation__updated_at"),
    )
    token = SearchIndexState.objects.filter(pk=1).values_list("token", flat=True).first()
    parts = [editions, awards, token]
    key = hashlib.sha256(repr(parts).encode()).hexdigest()
    dates = [awards["created"], awards["updated"], *(since for _pk, since in editions if since)]
    dates = [date for date in dates if date is not None]
    return Fingerprint(key=key, changed_at=max(dates) if dates else None)


@dataclass(frozen=True)
class FileInfo:
    name: str
    bytes: int
    sha256: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.name]


@dataclass(frozen=True)
class Release:
    """One generated set of files, as current.json describes it."""

    directory: Path
    fingerprint: str
    content_hash: str
    issued: datetime
    modified: datetime
    files: dict[str, FileInfo]
    awards: int
    rows: int
    features: int

    def path(self, name: str) -> Path:
        return self.directory / name

    def as_manifest(self) -> dict[str, Any]:
        return {
            "directory": self.directory.name,
            "fingerprint": self.fingerprint,
            "content_hash": self.content_hash,
            "issued": self.issued.isoformat(),
            "modified": self.modified.isoformat(),
            "files": {name: [info.bytes, info.sha256] for name, info in self.files.items()},
            "awards": self.awards,
            "rows": self.rows,
            "features": self.features,
        }


def read_release(root: Path | None = None) -> Release | None:
    root = root or open_data_root()
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return Release(
        directory=root / manifest["directory"],
        fingerprint=manifest["fingerprint"],
        content_hash=manifest["content_hash"],
        issued=datetime.fromisoformat(manifest["issued"]),
        modified=datetime.fromisoformat(manifest["modified"]),
        files={
            name: FileInfo(name, size, digest) for name, (size, digest) in manifest["files"].items()
        },
        awards=manifest["awards"],
        rows=manifest["rows"],
        features=manifest["features"],
    )


def current_release() -> Release:
    """The files of the public palmarès as it is now (regenerated first if it changed)."""
    fingerprint = data_fingerprint()
    release = read_release()
    if (
        release is None
        or release.fingerprint != fingerprint.key
        or not all(release.path(name).is_file() for name in FILES)
    ):
        release = regenerate_open_data(fingerprint)
    return release


def _csv_bytes(table_rows: list[dict[str, Any]]) -> bytes:
    # Plain RFC 4180 CSV in UTF-8 with a comma: the format portals and frictionless expect (the
    # organisers' spreadsheet exports use `;` and a BOM for French Excel; this file is for
    # machines). Unknown values are empty cells.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    for row in table_rows:
        writer.writerow(["" if row[name] is None else row[name] for name in FIELD_NAMES])
    return out.getvalue().encode("utf-8")


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _info(name: str, content: bytes) -> FileInfo:
    return FileInfo(name, len(content), hashlib.sha256(content).hexdigest())


def on_palmares_changed(sender, **kwargs) -> None:
    """Receiver of awards.signals.palmares_changed: the files follow the public palmarès once the
    change is committed (at once outside a transaction)."""
    transaction.on_commit(regenerate_open_data)


def regenerate_open_data(fingerprint: Fingerprint | None = None) -> Release:
    """Write the open-data files of the public palmarès and make them current (see _regenerate).

    The files are in French, the dataset's language, whatever the language of the request that
    finds them stale."""
    with translation.override(settings.LANGUAGE_CODE):
        return _regenerate(fingerprint)


def _regenerate(fingerprint: Fingerprint | None) -> Release:
    """Steps: read the public awards (`Award.objects.public`: no embargoed edition);
    build the three data files in memory; if their content equals the current release's, keep
    its files and dates and only record the new fingerprint; otherwise write the five files to a
    new folder (`modified` = now, `issued` kept from the first release), switch current.json to
    it atomically, and delete the folders older than the previous one (a request may still be
    reading that one). Returns the release now current.
    """
    fingerprint = fingerprint or data_fingerprint()
    root = open_data_root()
    root.mkdir(parents=True, exist_ok=True)
    base_url = settings.SITE_URL
    awards = list(published_awards())
    table_rows = list(rows(awards, base_url))
    geojson = feature_collection(awards, base_url)
    contents = {
        "palmares.csv": _csv_bytes(table_rows),
        "palmares.json": _json_bytes(table_rows),
        "palmares.geojson": _json_bytes(geojson),
    }
    content_hash = hashlib.sha256(b"".join(contents[name] for name in DATA_FILES)).hexdigest()
    previous = read_release(root)
    if (
        previous is not None
        and previous.content_hash == content_hash
        and all(previous.path(name).is_file() for name in FILES)
    ):
        release = Release(**{**previous.__dict__, "fingerprint": fingerprint.key})
        _write_manifest(root, release)
        return release

    now = timezone.now()
    issued = previous.issued if previous else now
    infos = {name: _info(name, content) for name, content in contents.items()}
    # Level codes contest by contest, each in rank order (its highest first), each code once.
    ranked = sorted(
        {
            (award.edition.contest.slug, award.level.rank, award.level.code)
            for award in awards
            if award.level
        }
    )
    levels = list(dict.fromkeys(code for _contest, _rank, code in ranked))
    # The contests the files hold, by slug: each names its title and awarding organisation.
    contests = sorted(
        {award.edition.contest.slug: award.edition.contest for award in awards}.values(),
        key=lambda contest: contest.slug,
    )
    contents["datapackage.json"] = _json_bytes(
        descriptors.datapackage(
            infos, levels, issued=issued, modified=now, base_url=base_url, contests=contests
        )
    )
    infos["datapackage.json"] = _info("datapackage.json", contents["datapackage.json"])
    contents["catalogue.jsonld"] = _json_bytes(
        descriptors.dcat_catalogue(
            infos, issued=issued, modified=now, base_url=base_url, contests=contests
        )
    )
    infos["catalogue.jsonld"] = _info("catalogue.jsonld", contents["catalogue.jsonld"])

    directory = root / f"{content_hash[:12]}-{uuid.uuid4().hex[:8]}"
    staging = root / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    for name, content in contents.items():
        (staging / name).write_bytes(content)
    staging.rename(directory)
    release = Release(
        directory=directory,
        fingerprint=fingerprint.key,
        content_hash=content_hash,
        issued=issued,
        modified=now,
        files=infos,
        awards=len(awards),
        rows=len(table_rows),
        features=len(geojson["features"]),
    )
    _write_manifest(root, release)
    _remove_old_folders(root, keep={directory, previous.directory if previous else directory})
    return release


def _write_manifest(root: Path, release: Release) -> None:
    temporary = root / f".{MANIFEST}.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(release.as_manifest(), indent=1), encoding="utf-8")
    os.replace(temporary, root / MANIFEST)


def _remove_old_folders(root: Path, keep: set[Path]) -> None:
    for child in root.iterdir():
        if child.is_dir() and child not in keep and not child.name.startswith(".staging-"):
            shutil.rmtree(child, ignore_errors=True)


def _levels_by_rank(codes: set[str]) -> list[str]:
    """The level codes the files hold, best rank first (each contest has its own codes)."""
    best: dict[str, int] = {}
    for code, rank in Level.objects.filter(code__in=codes).values_list("code", "rank"):
        best[code] = min(rank, best.get(code, rank))
    return sorted(codes, key=lambda code: (best.get(code, 32767), code))
