"""The database cache's table (settings.CACHES without REDIS_URL), so that `migrate` alone sets
up a site whose rate limits every process shares. `createcachetable` skips a table that exists,
and does nothing when the cache is Redis or memory."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
