"""The activity log's entries of accounts deleted before the redaction existed lose their address.

Only a digest of each deleted address was kept (accounts.ErasedAccount): every address an entry
holds is digested and looked up; those found are replaced by their pseudonym, as the deletion
does now (contests.redaction), and the chain still verifies.
"""

from django.db import migrations


def redact_erased_accounts(apps, schema_editor) -> None:
    from accounts.personal_data import email_digest, pseudonymous_address
    from contests.redaction import addresses_in, redact_address

    ActivityEntry = apps.get_model("contests", "ActivityEntry")
    ErasedAccount = apps.get_model("accounts", "ErasedAccount")
    pseudonyms = dict(ErasedAccount.objects.values_list("email_digest", "pseudonym"))
    if not pseudonyms:
        return
    found: dict[str, str] = {}
    for entry in ActivityEntry.objects.order_by("pk").iterator(chunk_size=2000):
        for address in addresses_in(entry):
            pseudonym = pseudonyms.get(email_digest(address))
            if pseudonym is not None:
                found[address] = pseudonym
    for address, pseudonym in sorted(found.items()):
        redact_address(
            address,
            author_label=pseudonym,
            replacement=pseudonymous_address(pseudonym),
            pseudonym=pseudonym,
            model=ActivityEntry,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sign_in_records_and_erased_accounts"),
        ("contests", "0011_distinctions_of_contests_and_editions"),
    ]

    operations = [migrations.RunPython(redact_erased_accounts, migrations.RunPython.noop)]
