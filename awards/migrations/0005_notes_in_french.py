"""The imported notes were written in English, and the organisers' and public pages show them in
the French interface: put them in French, as data/editions.csv and data/palmares.csv now are.
Only notes still exactly as imported change; reversing puts the English back."""

from django.db import migrations

# (English as imported, French)
EDITION_NOTES = (
    (
        "about 100 dossiers; 40 shortlisted; labels handed out at Lyon's Hôtel de Ville",
        ("une centaine de dossiers ; 40 présélectionnés ; labels remis à l'Hôtel de Ville de Lyon"),
    ),
    (
        (
            "about a hundred dossiers; regional juries auditioned candidates in 7 cities in "
            "June and July; finalists competed at the Forum; 900 participants expected"
        ),
        (
            "une centaine de dossiers ; des jurys régionaux ont auditionné les candidats dans"
            " 7 villes en juin et juillet ; les finalistes se sont départagés au Forum ; 900 "
            "participants attendus"
        ),
    ),
    (
        "gold label handed out on 3 December",
        "label or remis le 3 décembre",
    ),
    (
        "25 finalists chosen during the IntercoTOUR",
        "25 finalistes choisis pendant l'IntercoTOUR",
    ),
    (
        (
            "criteria: innovation, users, partnership, pooling/interoperability, return on "
            "investment"
        ),
        (
            "critères : innovation, usagers, partenariat, mutualisation et interopérabilité, "
            "retour sur investissement"
        ),
    ),
    (
        "the Forum was held fully online",
        "le Forum s'est tenu entièrement en ligne",
    ),
    (
        (
            "first Forum outside Lyon; 4 of the 7 gold labels went to Brittany; each of the 6"
            " criteria can be eliminatory; shortlisted collectivités pitch to the jury in "
            "under 10 minutes, pitches published online"
        ),
        (
            "premier Forum hors de Lyon ; 4 des 7 labels or sont allés à la Bretagne ; chacun"
            " des 6 critères peut être éliminatoire ; les collectivités présélectionnées "
            "présentent leur projet au jury en moins de 10 minutes, présentations publiées en"
            " ligne"
        ),
    ),
    (
        (
            "jury auditioned candidates in four video-conference sessions; held at the Palais"
            " du Pharo at the invitation of Métropole Aix-Marseille-Provence"
        ),
        (
            "le jury a auditionné les candidats en quatre séances de visioconférence ; Forum "
            "tenu au Palais du Pharo à l'invitation de la Métropole Aix-Marseille-Provence"
        ),
    ),
)

AWARD_NOTES = (
    (
        "the source names the SIVU without its full name",
        "la source nomme le SIVU sans son nom complet",
    ),
    (
        "the source writes both 'Terre de France' and 'Terres de France'",
        "la source écrit à la fois « Terre de France » et « Terres de France »",
    ),
    (
        "the source writes 'Comité départemental du tourisme 35'",
        "la source écrit « Comité départemental du tourisme 35 »",
    ),
    (
        ("the source also names '500 destinations en Rhône-Alpes et PACA' with this laureate"),
        ("la source nomme aussi « 500 destinations en Rhône-Alpes et PACA » avec ce lauréat"),
    ),
    (
        "run with the association La Mêlée",
        "mené avec l'association La Mêlée",
    ),
    (
        "exact title and level not given by the source",
        "titre exact et niveau non donnés par la source",
    ),
    (
        "digital library of the museum's works with Gallica",
        "bibliothèque numérique des œuvres du musée avec Gallica",
    ),
    (
        "title paraphrased by the source",
        "titre paraphrasé par la source",
    ),
    (
        "open-source; built with LittoMatique",
        "libre ; construit avec LittoMatique",
    ),
    (
        "open-source tool published on GitHub",
        "outil libre publié sur GitHub",
    ),
    (
        ("level inferred: the source lists seven gold laureates; the source spells it 'Marenne'"),
        "niveau déduit : la source cite sept lauréats or ; la source écrit « Marenne »",
    ),
    (
        "level inferred: the source lists seven gold laureates",
        "niveau déduit : la source cite sept lauréats or",
    ),
    (
        "with its member communes",
        "avec ses communes membres",
    ),
)


def _replace(model, pairs) -> None:
    for before, after in pairs:
        model.objects.filter(notes=before).update(notes=after)


def to_french(apps, schema_editor):
    _replace(apps.get_model("contests", "Edition"), EDITION_NOTES)
    _replace(apps.get_model("awards", "Award"), AWARD_NOTES)


def to_english(apps, schema_editor):
    _replace(apps.get_model("contests", "Edition"), [(f, e) for e, f in EDITION_NOTES])
    _replace(apps.get_model("awards", "Award"), [(f, e) for e, f in AWARD_NOTES])


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_publication_by_and_unexamined_decisions"),
        ("contests", "0008_contest_article_and_organiser"),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
