from django.apps import apps

from contests.models import Contest

seed = __import__("contests.migrations.0002_seed_contests", fromlist=["seed_contests"])


def test_migration_seeded_the_two_contests(db):
    contests = Contest.objects.order_by("slug").values_list("slug", "name", "applicant_kinds")

    assert list(contests) == [
        (
            "label-territoire-innovant",
            "Label Territoire Innovant",
            "Collectivités : communes, intercommunalités, départements, régions, syndicats mixtes, "
            "parcs naturels régionaux, offices de tourisme.",
        ),
        ("start-up-interconnectee", "Start-up Interconnectée", "Start-up."),
    ]
    assert Contest.objects.get(slug="label-territoire-innovant").description == (
        "Le Label « Territoire Innovant » est un concours destiné aux collectivités, géré par "
        "l'association Les Interconnectés. Il identifie les initiatives mobilisant les "
        "technologies numériques et des pratiques innovantes au service des territoires et de "
        "leurs habitants. Les projets distingués reçoivent un label bronze, argent ou or."
    )


def test_seeding_again_changes_nothing(db):
    Contest.objects.filter(slug="start-up-interconnectee").update(description="Revue à la main.")

    seed.seed_contests(apps, None)

    assert Contest.objects.count() == 2
    assert Contest.objects.get(slug="start-up-interconnectee").description == "Revue à la main."
