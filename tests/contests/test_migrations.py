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
    # 0002's description, extended by 0008 with what the home page said of the Label.
    description = Contest.objects.get(slug="label-territoire-innovant").description
    assert description.startswith(
        "Le Label « Territoire Innovant » est un concours destiné aux collectivités. Il "
        "identifie les initiatives mobilisant les technologies numériques et pratiques "
        "innovantes au service des territoires et de leurs habitants. Il est géré par "
        "l'association Les Interconnectés, en partenariat avec la Banque des Territoires et "
        "Intercommunalités de France.\n\nLe label repose sur des valeurs qui sont aussi ses six "
        "critères d'attribution"
    )
    assert description.count("\n\n") == 4


def test_seeding_again_changes_nothing(db):
    Contest.objects.filter(slug="start-up-interconnectee").update(description="Revue à la main.")

    seed.seed_contests(apps, None)

    assert Contest.objects.count() == 2
    assert Contest.objects.get(slug="start-up-interconnectee").description == "Revue à la main."
