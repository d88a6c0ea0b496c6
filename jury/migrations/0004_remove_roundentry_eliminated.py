"""An elimination has one home: its reasons (`RoundEntry.elimination`); the flag goes.

jury.scoring always wrote the two together, so the flag is `elimination != []` on every row.
The migration checks it rather than assume it (a row that disagrees would silently change
its elimination), and going back fills the flag in again from the reasons.
"""

from django.db import migrations


def check_flag_matches_reasons(apps, schema_editor):
    RoundEntry = apps.get_model("jury", "RoundEntry")
    disagreeing = [
        f"{entry.application.reference} ({entry.round.name})"
        for entry in RoundEntry.objects.select_related("application", "round").iterator()
        if entry.eliminated != bool(entry.elimination)
    ]
    if disagreeing:
        raise RuntimeError(
            "RoundEntry.eliminated disagrees with its reasons for: "
            + ", ".join(disagreeing)
            + ". Recompute these rounds' scores (jury.scoring.recompute_round), then migrate."
        )


def fill_flag_from_reasons(apps, schema_editor):
    RoundEntry = apps.get_model("jury", "RoundEntry")
    eliminated = [entry.pk for entry in RoundEntry.objects.only("elimination") if entry.elimination]
    RoundEntry.objects.filter(pk__in=eliminated).update(eliminated=True)


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0003_round_selection_published_at"),
    ]

    operations = [
        migrations.RunPython(check_flag_matches_reasons, fill_flag_from_reasons),
        migrations.RemoveField(
            model_name="roundentry",
            name="eliminated",
        ),
    ]
