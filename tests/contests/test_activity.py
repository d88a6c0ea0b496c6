import logging
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contests import activity
from contests.models import ActivityEntry
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_entry_is_chained_to_the_previous_one():
    edition = EditionFactory()
    user = UserFactory(email="orga@example.org")
    first = activity.record(edition, "jury.round_created", by=user, subject="national", n=1)
    second = activity.record(edition, "jury.round_updated", by=user, subject="national")
    assert first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert first.by_email == "orga@example.org"
    assert first.details == {"n": 1}
    assert len(first.entry_hash) == 64
    assert activity.verify() is None


def test_editing_a_row_is_found_at_that_row():
    edition = EditionFactory()
    entries = [activity.record(edition, "a", subject=str(i)) for i in range(4)]
    ActivityEntry.objects.filter(pk=entries[2].pk).update(subject="changé")
    broken = activity.verify()
    assert broken == activity.BrokenLink(entries[2].pk, "entry_hash")


def test_deleting_a_row_is_found_at_the_next_one():
    edition = EditionFactory()
    entries = [activity.record(edition, "a", subject=str(i)) for i in range(4)]
    ActivityEntry.objects.filter(pk=entries[1].pk).delete()
    assert activity.verify() == activity.BrokenLink(entries[2].pk, "previous_hash")


def test_details_are_stored_as_json_values():
    edition = EditionFactory()
    entry = activity.record(edition, "a", score=Decimal("3.50"))
    entry.refresh_from_db()
    assert entry.details == {"score": "3.50"}
    assert activity.verify() is None


def test_verify_log_command_reports_the_first_broken_link(capsys):
    edition = EditionFactory()
    entries = [activity.record(edition, "a", subject=str(i)) for i in range(3)]
    call_command("verify_log")
    assert capsys.readouterr().out == "Journal intègre : 3 entrées vérifiées.\n"
    ActivityEntry.objects.filter(pk=entries[1].pk).update(action="b")
    with pytest.raises(CommandError) as error:
        call_command("verify_log")
    assert str(error.value) == (
        f"Journal altéré à l'entrée n° {entries[1].pk} : son empreinte ne correspond plus à "
        "son contenu."
    )


def test_the_process_log_names_the_entry_without_its_values(caplog):
    edition = EditionFactory()
    with caplog.at_level(logging.INFO, logger="activity"):
        entry = activity.record(edition, "juror_invited", subject="j-1", email="jure@rennes.fr")

    (logged,) = [r for r in caplog.records if r.name == "activity"]
    assert (logged.getMessage(), logged.subject, logged.entry, logged.fields) == (
        "juror_invited",
        "j-1",
        entry.pk,
        ["email"],
    )
    assert "jure@rennes.fr" not in str(logged.__dict__)
