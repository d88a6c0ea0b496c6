"""The daily commands record their success (read by /sante/); backup --keep prunes archives."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import override

from contests.management.commands.backup import prune_archives
from health.models import JobRun


@pytest.fixture(autouse=True)
def french():
    with override("fr"):
        yield


@pytest.fixture
def backups(settings, tmp_path) -> Path:
    """Archives under a temporary BACKUP_DIR; uploads in an empty temporary folder."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return settings.BACKUP_DIR


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_deadline_reminders_record_their_success(db):
    before = timezone.now()

    run("send_deadline_reminders", "--days", "7")

    run_ = JobRun.objects.get()
    assert run_.job == "send_deadline_reminders"
    assert before <= run_.succeeded_at <= timezone.now()


def test_a_dry_run_of_the_deadline_reminders_records_nothing(db):
    run("send_deadline_reminders", "--dry-run")

    assert JobRun.objects.count() == 0


def test_jury_reminders_record_their_success(db):
    run("send_jury_reminders", "--days", "3")

    assert list(JobRun.objects.values_list("job", flat=True)) == ["send_jury_reminders"]


def test_a_second_run_updates_the_same_row(db):
    run("send_jury_reminders")
    first = JobRun.objects.get().succeeded_at

    run("send_jury_reminders")

    assert JobRun.objects.count() == 1
    assert JobRun.objects.get().succeeded_at >= first


def test_prune_keeps_the_newest_archives_and_nothing_else_is_touched(tmp_path):
    for day in ("20250101", "20250102", "20250103"):
        (tmp_path / f"palmares-{day}T030000Z.tar.gz").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("kept by the operator")

    deleted = prune_archives(tmp_path, 2)

    assert [path.name for path in deleted] == ["palmares-20250101T030000Z.tar.gz"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "notes.txt",
        "palmares-20250102T030000Z.tar.gz",
        "palmares-20250103T030000Z.tar.gz",
    ]


def test_prune_deletes_nothing_under_the_limit(tmp_path):
    (tmp_path / "palmares-20250101T030000Z.tar.gz").write_bytes(b"old")

    assert prune_archives(tmp_path, 2) == []
    assert len(list(tmp_path.iterdir())) == 1


def test_backup_refuses_to_keep_no_archive(db, backups):
    with pytest.raises(CommandError, match=r"^--keep doit valoir au moins 1\.$"):
        run("backup", "--keep", "0")

    assert not backups.exists()
    assert JobRun.objects.count() == 0
