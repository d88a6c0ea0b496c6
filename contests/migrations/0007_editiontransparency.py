"""EditionTransparency moves from catalogue to contests: state only, its table stays as it is
(`catalogue_editiontransparency`, created by catalogue 0001; catalogue 0003 drops it from
catalogue's state)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0006_contest_lead_kinds_event_theme"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EditionTransparency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "jury_institutions",
                            models.TextField(
                                blank=True,
                                help_text="Une par ligne.",
                                verbose_name="institutions représentées au jury",
                            ),
                        ),
                        (
                            "elimination_rule",
                            models.TextField(blank=True, verbose_name="règle d'élimination"),
                        ),
                        (
                            "normalisation_method",
                            models.TextField(
                                blank=True, verbose_name="méthode de normalisation des notes"
                            ),
                        ),
                        (
                            "conflicts_handled",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="conflits d'intérêts traités"
                            ),
                        ),
                        (
                            "score_distribution",
                            models.JSONField(
                                blank=True, null=True, verbose_name="distribution des notes"
                            ),
                        ),
                        ("published", models.BooleanField(default=False, verbose_name="publiée")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "edition",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transparency",
                                to="contests.edition",
                                verbose_name="édition",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "page de transparence",
                        "verbose_name_plural": "pages de transparence",
                        "db_table": "catalogue_editiontransparency",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
