"""Seed the two contests of Les Interconnectés. Idempotent: get_or_create by slug.

Descriptions come from data/sources/000_0e6205d9245edeb0.txt and 001_6466509cd23b1dfb.txt. The
start-up contest is only named there (« Label des start-up interconnectés »), so its description
says no more than that.
"""

from django.db import migrations

CONTESTS = [
    {
        "slug": "label-territoire-innovant",
        "name": "Label Territoire Innovant",
        "description": (
            "Le Label « Territoire Innovant » est un concours destiné aux collectivités, géré par "
            "l'association Les Interconnectés. Il identifie les initiatives mobilisant les "
            "technologies numériques et des pratiques innovantes au service des territoires et de "
            "leurs habitants. Les projets distingués reçoivent un label bronze, argent ou or."
        ),
        "applicant_kinds": (
            "Collectivités : communes, intercommunalités, départements, régions, syndicats mixtes, "
            "parcs naturels régionaux, offices de tourisme."
        ),
    },
    {
        "slug": "start-up-interconnectee",
        "name": "Start-up Interconnectée",
        "description": (
            "Le label des start-up interconnectées est décerné à des start-up par l'association "
            "Les Interconnectés."
        ),
        "applicant_kinds": "Start-up.",
    },
]


def seed_contests(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    for contest in CONTESTS:
        fields = dict(contest)
        slug = fields.pop("slug")
        Contest.objects.get_or_create(slug=slug, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: editions and awards may point at them by then.
        migrations.RunPython(seed_contests, migrations.RunPython.noop),
    ]
