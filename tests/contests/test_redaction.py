"""A deleted account's address leaves the activity log, and the log still verifies; editing a
redacted entry or the redaction entry is still found."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ErasedAccount
from accounts.personal_data import email_digest, erase_account
from contests import activity
from contests.models import ActivityEntry
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db

redaction_migration = __import__(
    "contests.migrations.0012_redact_erased_accounts_from_log",
    fromlist=["redact_erased_accounts"],
)

ADDRESS = "jure@rennes.fr"


def everything_in_the_log() -> str:
    """Every text field of every entry, as one string."""
    rows = ActivityEntry.objects.order_by("pk").values_list(
        "by_email", "action", "subject", "details", "previous_hash", "entry_hash"
    )
    return "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows)


@pytest.fixture
def traces():
    """Entries naming the juror everywhere an address may be: as author, in the details
    (nested, in capitals), in the subject; and entries of someone else."""
    edition = EditionFactory(year=2040)
    organiser = UserFactory(email="orga@interconnectes.fr", is_organiser=True)
    UserFactory(email="autre.orga@interconnectes.fr", is_organiser=True)
    juror = UserFactory(email=ADDRESS)
    entries = [
        activity.record(edition, "jury.round_created", by=organiser, subject="national"),
        activity.record(
            edition, "juror_invited", by=organiser, subject="j-1", email=ADDRESS.upper()
        ),
        activity.record(edition, "juror_accepted", by=juror, subject="j-1"),
        activity.record(
            edition,
            "reminders_sent",
            by=organiser,
            subject=f"relance {ADDRESS}",
            sent=[{"to": ADDRESS, "count": 2}, {"to": "autre@brest.fr", "count": 1}],
        ),
        activity.record(
            edition, "juror_invited", by=organiser, subject="j-2", email="autre@brest.fr"
        ),
    ]
    return {"edition": edition, "organiser": organiser, "juror": juror, "entries": entries}


def test_deletion_leaves_no_address_in_the_log_and_the_chain_verifies(traces):
    hashes_before = list(ActivityEntry.objects.values_list("pk", "entry_hash"))

    pseudonym = erase_account(traces["juror"])

    assert ADDRESS not in everything_in_the_log().lower()
    assert activity.verify() is None
    # No hash changed (deliberation minutes print them); one redaction entry vouches for three.
    assert list(ActivityEntry.objects.values_list("pk", "entry_hash"))[:5] == hashes_before
    redaction = ActivityEntry.objects.last()
    assert (redaction.action, redaction.by_email, redaction.subject) == (
        activity.REDACTION_ACTION,
        "",
        "",
    )
    redacted_pks = [traces["entries"][i].pk for i in (1, 2, 3)]
    assert sorted(redaction.details["entries"]) == sorted(str(pk) for pk in redacted_pks)
    assert redaction.details["pseudonym"] == pseudonym.name
    # The entries keep their meaning under the pseudonym; the others are untouched.
    rows = {e.pk: e for e in ActivityEntry.objects.all()}
    invited, accepted, reminded, other = (rows[e.pk] for e in traces["entries"][1:])
    assert invited.details == {"email": pseudonym.email}
    assert (accepted.by_email, accepted.by_id) == (pseudonym.name, None)
    assert reminded.subject == f"relance {pseudonym.email}"
    assert reminded.details["sent"] == [
        {"to": pseudonym.email, "count": 2},
        {"to": "autre@brest.fr", "count": 1},
    ]
    assert (other.details, other.entry_hash) == (
        {"email": "autre@brest.fr"},
        traces["entries"][4].entry_hash,
    )


def test_the_organisers_data_and_verify_log_show_no_address_after_deletion(client, traces):
    erase_account(traces["juror"])
    client.force_login(traces["organiser"])  # both factors (tests/conftest.py)

    page = client.get(reverse("accounts:my_data"))
    archive_response = client.get(reverse("accounts:my_data_archive"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(archive_response.streaming_content)))
    out = io.StringIO()
    call_command("verify_log", stdout=out)

    assert page.status_code == 200
    assert ADDRESS not in page.content.decode().lower()
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode().lower()
    assert '"action": "juror_invited"' in everything
    assert ADDRESS not in everything
    assert out.getvalue() == (
        "Journal intègre : 6 entrées vérifiées. 3 d'entre elles ont été expurgées de données "
        "personnelles et sont vérifiées d'après leur entrée « personal_data.redacted ».\n"
    )


def test_editing_a_redacted_entry_is_still_found(traces):
    erase_account(traces["juror"])
    invited = traces["entries"][1]

    ActivityEntry.objects.filter(pk=invited.pk).update(details={"email": "pirate@exemple.fr"})

    assert activity.verify() == activity.BrokenLink(invited.pk, "redacted")


def test_editing_the_redaction_entry_is_still_found(traces):
    erase_account(traces["juror"])
    redaction = ActivityEntry.objects.get(action=activity.REDACTION_ACTION)
    details = {**redaction.details, "pseudonym": "Quelqu'un d'autre"}

    ActivityEntry.objects.filter(pk=redaction.pk).update(details=details)

    assert activity.verify() == activity.BrokenLink(redaction.pk, "entry_hash")


def test_a_redaction_entry_may_not_vouch_for_an_entry_written_after_it(traces):
    erase_account(traces["juror"])
    later = activity.record(traces["edition"], "a", subject="après")
    redaction = ActivityEntry.objects.get(action=activity.REDACTION_ACTION)
    # A forged listing of the later entry, as if the redaction had covered it.
    forged = {**redaction.details["entries"], str(later.pk): "0" * 64}
    ActivityEntry.objects.filter(pk=later.pk).update(subject="changé")

    assert activity.redacted_digests().get(later.pk) is None
    ActivityEntry.objects.filter(pk=redaction.pk).update(
        details={**redaction.details, "entries": forged}
    )
    assert activity.redacted_digests().get(later.pk) is None
    assert activity.verify() == activity.BrokenLink(redaction.pk, "entry_hash")


def test_an_entry_naming_two_deleted_people_still_verifies(traces):
    erase_account(traces["juror"])
    erase_account(traces["organiser"])

    text = everything_in_the_log().lower()
    assert ADDRESS not in text
    assert "orga@interconnectes.fr" not in text
    assert activity.verify() is None
    assert ActivityEntry.objects.filter(action=activity.REDACTION_ACTION).count() == 2


def test_an_address_outside_ascii_is_redacted_too():
    edition = EditionFactory(year=2040)
    person = UserFactory(email="jérôme@exemple.fr")
    organiser = UserFactory(email="orga@interconnectes.fr", is_organiser=True)
    activity.record(edition, "juror_invited", by=organiser, subject="j", email="jérôme@exemple.fr")

    erase_account(person)

    assert "jérôme@exemple.fr" not in everything_in_the_log()
    assert "j\\u00e9r\\u00f4me@exemple.fr" not in everything_in_the_log()
    assert activity.verify() is None


def test_the_migration_redacts_accounts_deleted_before_it(traces):
    # An account deleted before the redaction existed: only its digest was kept.
    ErasedAccount.objects.create(
        email_digest=email_digest(ADDRESS), pseudonym="Compte supprimé 0badc0de"
    )
    traces["juror"].delete()
    hashes_before = list(ActivityEntry.objects.values_list("pk", "entry_hash"))

    redaction_migration.redact_erased_accounts(apps, None)

    assert ADDRESS not in everything_in_the_log().lower()
    assert "autre@brest.fr" in everything_in_the_log()
    assert activity.verify() is None
    assert list(ActivityEntry.objects.values_list("pk", "entry_hash"))[:5] == hashes_before
    accepted = ActivityEntry.objects.get(pk=traces["entries"][2].pk)
    assert accepted.by_email == "Compte supprimé 0badc0de"
    invited = ActivityEntry.objects.get(pk=traces["entries"][1].pk)
    assert invited.details == {"email": "compte-supprime-0badc0de@supprime.invalid"}


def test_the_migration_changes_nothing_without_deleted_accounts(traces):
    before = everything_in_the_log()

    redaction_migration.redact_erased_accounts(apps, None)

    assert everything_in_the_log() == before
