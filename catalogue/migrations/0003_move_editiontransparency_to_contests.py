"""EditionTransparency now belongs to contests (contests 0007): state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_search_index"),
        ("contests", "0007_editiontransparency"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EditionTransparency")],
            database_operations=[],
        ),
    ]
