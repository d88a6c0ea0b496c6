"""`backup` then `restore`: the database and the uploaded files come back identical.

The commands live in contests/management/commands (the palmares package is not an app). The
tests run on whichever database the suite uses: SQLite in memory, or PostgreSQL's test database.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from applications.models import Application, Attachment
from contests.models import Edition
from health.models import JobRun
from tests.factories import ApplicationFactory, EditionFactory, OrganisationFactory

pytestmark = pytest.mark.xdist_group("backup")


@pytest.fixture(autouse=True)
def french():
    """The commands' messages are asserted in French, whatever a previous test activated."""
    with translation.override("fr"):
        yield


PDF = b"%PDF-1.4\n% un dossier\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def as_found(django_db_setup, django_db_blocker, media, tmp_path):
    """Put the test database back as it was after the test.

    A transactional test ends by emptying every table, the referential the other tests read
    included; restoring a snapshot taken before the test (with the commands under test) undoes it.
    Requested before `transactional_db`, so that it is torn down after its flush.
    """
    baseline = tmp_path / "baseline.tar.gz"
    with django_db_blocker.unblock():
        call_command("backup", output=baseline, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("restore", baseline, yes=True, verbosity=0)


def attach(application: Application, token: str, content: bytes, name: str) -> Attachment:
    return Attachment.objects.create(
        application=application,
        token=token,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type="application/pdf" if name.endswith(".pdf") else "image/png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def build_rows() -> None:
    edition = EditionFactory(year=2031)
    # A body of its own: an earlier transactional test on this worker may have emptied the
    # referential the default factory reads.
    lead = OrganisationFactory()
    application = ApplicationFactory(
        edition=edition, title="Tiers-lieu numérique", lead_organisation=lead
    )
    attach(application, "a" * 32, PDF, "dossier.pdf")
    attach(
        ApplicationFactory(edition=edition, lead_organisation=lead), "b" * 32, PNG, "affiche.png"
    )


def snapshot(media: Path) -> tuple[dict, dict, dict]:
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Edition, Application, Attachment)
    }
    files = {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return counts, rows, files


def test_a_backup_wiped_then_restored_comes_back_identical(as_found, transactional_db, media):
    build_rows()
    before = snapshot(media)
    archive = media.parent / "backups" / "palmares.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    Attachment.objects.all().delete()
    Application.objects.all().delete()
    Edition.objects.all().delete()
    EditionFactory(year=2040)  # a row the backup never saw
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    (media / "stray.txt").write_bytes(b"after the backup")
    wiped = snapshot(media)

    call_command("restore", archive, yes=True, verbosity=0)

    after = snapshot(media)
    assert wiped != before
    assert after == before
    assert len(before[2]) == 2
    assert after[1]["applications.Application"][0]["title"] == ("Tiers-lieu numérique")


def test_backup_keep_prunes_older_archives_and_records_its_success(
    as_found, transactional_db, media, settings
):
    settings.BACKUP_DIR = media.parent / "backups"
    settings.BACKUP_DIR.mkdir()
    for day in ("20250101", "20250102"):
        (settings.BACKUP_DIR / f"palmares-{day}T030000Z.tar.gz").write_bytes(b"old")
    out = io.StringIO()

    call_command("backup", keep=2, stdout=out)

    names = sorted(path.name for path in settings.BACKUP_DIR.iterdir())
    assert names[0] == "palmares-20250102T030000Z.tar.gz"
    assert len(names) == 2
    assert out.getvalue().splitlines()[-1] == "1 archive plus ancienne supprimée."
    assert JobRun.objects.filter(job="backup").count() == 1


def test_the_archive_holds_the_database_and_the_files_listed_in_its_manifest(
    as_found, transactional_db, media
):
    build_rows()
    archive = media.parent / "palmares.tar.gz"
    call_command("backup", output=archive, verbosity=0)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = sorted(tar.getnames())
    listed = [entry["name"] for entry in manifest["files"]]
    engine = "sqlite" if manifest["engine"] == "sqlite" else "postgresql"
    database = "database/db.sqlite3" if engine == "sqlite" else "database/db.dump"
    media_entries = [entry for entry in manifest["files"] if entry["name"].startswith("media/")]
    assert (manifest["format_version"], listed[0]) == (1, database)
    assert names == sorted([*listed, "manifest.json"])
    assert sorted((entry["size"], entry["sha256"]) for entry in media_entries) == sorted(
        (len(content), hashlib.sha256(content).hexdigest()) for content in (PDF, PNG)
    )


def rewrite(archive: Path, target: Path, change) -> None:
    """Copy `archive` to `target`, passing each (TarInfo, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            content = source.extractfile(member).read() if member.isfile() else b""
            member, content = change(member, content)
            copy.addfile(member, io.BytesIO(content) if member.isfile() else None)


def test_a_tampered_archive_is_refused_and_changes_nothing(as_found, transactional_db, media):
    build_rows()
    archive = media.parent / "palmares.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    tampered = media.parent / "tampered.tar.gz"

    def flip_pdf(member, content):
        if content.startswith(b"%PDF"):
            content = content.replace(b"un dossier", b"un d0ssier")
        return member, content

    rewrite(archive, tampered, flip_pdf)
    Edition.objects.filter(year=2031).update(year=2032)
    before = snapshot(media)

    with pytest.raises(CommandError, match="ne correspond pas au manifeste"):
        call_command("restore", tampered, yes=True, verbosity=0)

    assert snapshot(media) == before
    assert sorted(path.name for path in media.parent.iterdir()) == [
        "baseline.tar.gz",
        "media",
        "palmares.tar.gz",
        "tampered.tar.gz",
    ]


def test_restore_refuses_without_yes_and_changes_nothing(media, tmp_path):
    media.mkdir()
    (media / "kept.txt").write_bytes(b"kept")

    with pytest.raises(CommandError, match="remplace toute la base de données"):
        call_command("restore", tmp_path / "any.tar.gz", verbosity=0)

    assert [path.name for path in media.iterdir()] == ["kept.txt"]


def hostile_archive(path: Path, member: tarfile.TarInfo, content: bytes) -> None:
    """A manifest right in every way (the refusal must come from the member), then `member`."""
    manifest = json.dumps(
        {"format_version": 1, "engine": connection.vendor, "created_at": "", "files": []}
    ).encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        tar.addfile(member, io.BytesIO(content) if member.isfile() else None)


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../evil.txt", tarfile.REGTYPE, "chemin dangereux"),
        ("/srv/evil.txt", tarfile.REGTYPE, "chemin dangereux"),
        ("media/link", tarfile.SYMTYPE, "pas un fichier ordinaire"),
        ("media/hard", tarfile.LNKTYPE, "pas un fichier ordinaire"),
    ],
)
def test_an_archive_escaping_its_tree_is_refused(media, tmp_path, name, kind, message):
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = "" if kind == tarfile.REGTYPE else "/etc/passwd"
    member.size = 4 if kind == tarfile.REGTYPE else 0
    archive = tmp_path / "hostile.tar.gz"
    hostile_archive(archive, member, b"evil")

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, yes=True, verbosity=0)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["hostile.tar.gz"]
    assert not (tmp_path.parent / "evil.txt").exists()
