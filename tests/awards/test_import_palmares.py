"""import_palmares against the project's real data files, and against edited copies of them."""

import shutil
from collections import Counter
from datetime import date

from awards.models import Award, AwardOrganisation
from contests.models import Contest, Criterion, Edition, Event, Level, Theme
from territories.models import Organisation

from ..factories import AwardOrganisationFactory
from .palmares import (
    MATCHED_AS_SUCCESSOR,
    PALMARES,
    UNMATCHED,
    award,
    edit_line,
    identifications_of,
    organisations_of,
    run_import,
)


def test_real_files_import_every_row(db):
    report, output = run_import(str(PALMARES))

    assert report == {
        "rows": 60,
        "awards": 60,
        "editions": 10,
        "organisations_matched": 52,
        "matched_as_successor": MATCHED_AS_SUCCESSOR,
        "unmatched": UNMATCHED,
        "match_rate": 0.852,
        # 10 editions, 9 Forums, 14 themes, 30 levels, 6 criteria, 9 unverified organisations,
        # 60 awards and 69 award-organisation links (the contest comes from a migration).
        "created": 207,
        "updated": 0,
    }
    assert "Palmarès importé. Créés : 207 ; modifiés : 0." in output
    assert Award.objects.count() == 60
    assert AwardOrganisation.objects.count() == 69
    label = Contest.objects.get(slug="label-territoire-innovant")
    assert list(label.editions.order_by("year").values_list("year", "is_historical")) == [
        (year, True) for year in (2010, 2013, 2015, 2017, 2018, 2020, 2021, 2022, 2023, 2024)
    ]


def test_awards_per_year_and_level_are_those_of_the_file(db):
    run_import(str(PALMARES))

    counts = Counter(Award.objects.values_list("edition__year", "level__code"))

    assert counts == {
        (2013, "bronze"): 7,
        (2013, "argent"): 10,
        (2013, "or"): 9,
        (2015, "or"): 1,
        (2015, None): 1,  # "exact title and level not given by the source"
        (2018, "or"): 1,
        (2018, "argent"): 1,
        (2018, "bronze"): 1,
        (2022, "or"): 7,
        (2023, "bronze"): 1,
        (2024, "or"): 5,
        (2024, "argent"): 6,
        (2024, "bronze"): 10,
    }


def test_2024_edition_has_its_forum_funnel_themes_levels_and_criteria(db):
    run_import(str(PALMARES))

    edition = Edition.objects.select_related("forum").get(year=2024)

    forum = edition.forum
    assert (forum.slug, forum.name, forum.kind, forum.city) == (
        "forum-des-interconnectes-2024",
        "Forum des Interconnectés 2024",
        "forum",
        "Marseille",
    )
    assert (forum.starts_on, forum.ends_on, forum.participants) == (
        date(2024, 4, 3),
        date(2024, 4, 4),
        1130,
    )
    assert (
        edition.applications_count,
        edition.auditioned_count,
        edition.laureates_count,
        edition.gold_count,
        edition.criteria_count,
        edition.source,
    ) == (45, 28, 21, 5, 6, "001_6466509cd23b1dfb.txt")
    assert list(edition.themes.values_list("position", "slug", "name")) == [
        (1, "inclusion-numerique", "Inclusion numérique"),
        (2, "participation-citoyenne", "Participation citoyenne"),
        (3, "service-usagers-accessibilite", "Service usagers & accessibilité"),
        (4, "modernisation-du-service-public", "Modernisation du service public"),
        (5, "gestion-des-donnees", "Gestion des données"),
        (6, "territoire-intelligent-et-responsable", "Territoire intelligent et responsable"),
    ]
    assert list(edition.levels.values_list("code", "name", "rank")) == [
        ("or", "Or", 1),
        ("argent", "Argent", 2),
        ("bronze", "Bronze", 3),
    ]
    assert list(edition.criteria.values_list("position", "name", "eliminatory")) == [
        (1, "L'innovation", True),
        (2, "La prise en compte des usagers", True),
        (3, "La reproductibilité", True),
        (4, "La mutualisation / interopérabilité", True),
        (5, "L'utilité / efficacité", True),
        (6, "Sobriété numérique / impact climatique", True),
    ]


def test_edition_without_published_figures_keeps_them_null(db):
    run_import(str(PALMARES))

    edition = Edition.objects.get(year=2021)

    assert (edition.forum, edition.applications_count, edition.laureates_count) == (
        None,
        None,
        None,
    )
    assert (edition.gold_count, edition.criteria_count) == (None, None)
    assert edition.notes == "le Forum s'est tenu entièrement en ligne"
    assert (edition.themes.count(), edition.criteria.count()) == (0, 0)
    assert Criterion.objects.count() == 6  # only 2024's source lists criteria


def test_award_keeps_level_theme_title_notes_source_and_a_stable_slug(db):
    run_import(str(PALMARES))

    inclusif = award("Inclusif, le jeu - Concevons nos services numériques pour tout le monde !")
    rennes = award("Projet numérique autour des cimetières")

    assert (inclusif.slug, inclusif.level.code, inclusif.theme.slug, inclusif.source) == (
        "2024-inclusif-le-jeu-concevons-nos-services-numeriques-pour-tout-le-monde",
        "or",
        "inclusion-numerique",
        "001_6466509cd23b1dfb.txt",
    )
    assert (rennes.slug, rennes.level, rennes.theme) == (
        "2015-projet-numerique-autour-des-cimetieres",
        None,
        None,
    )
    assert rennes.notes == "titre exact et niveau non donnés par la source"
    long_one = award(
        "Création d'un réseau d'ambassadeurs de la donnée en interne de la CA Porte du Hainaut"
    )
    assert long_one.slug == (
        "2024-creation-dun-reseau-dambassadeurs-de-la-donnee-en-interne-de-la-ca-porte-du"
    )


def test_first_organisation_is_lead_and_the_others_partners(db):
    run_import(str(PALMARES))

    assert organisations_of(
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"
    ) == [
        ("Ville de Rennes", "lead", "commune", "35238"),
        ("Rennes Métropole", "partner", "metropole", "243500139"),
    ]
    assert organisations_of("« Ma culture numérique »") == [
        ("Communauté d'agglomération du Sicoval", "lead", "communaute_agglomeration", "243100633"),
        ("Département de la Haute-Garonne", "partner", "departement", "31"),
    ]
    assert organisations_of("Sites semi-mutualisés entre l'Agglo et des communes membres") == [
        ("Épernay Agglo Champagne", "lead", "communaute_agglomeration", "200067684"),
        ("Ville d'Épernay", "partner", "commune", "51230"),
    ]
    assert organisations_of("Brest Créative") == [("Ville de Brest", "lead", "commune", "29019")]


def test_each_link_records_how_its_organisation_was_identified(db):
    run_import(str(PALMARES))

    assert identifications_of("Brest Créative") == [("Ville de Brest", "name", "commune", "29019")]
    assert identifications_of("TANGO&SCAN") == [
        ("Communauté urbaine de Strasbourg", "alias", "metropole", "246700488")
    ]
    assert identifications_of("Grand Lyon SmartData") == [
        ("Grand Lyon", "successor", "metropole", "200046977")
    ]
    assert identifications_of("Collectivités bretonnes 100 % démat' en 2024") == [
        ("Mégalis Bretagne", "unverified", "other", None)
    ]
    assert AwardOrganisation.objects.filter(match="declared").count() == 0


def test_merged_bodies_are_linked_to_their_successor(db):
    run_import(str(PALMARES))

    saint_quentin = (
        "Faire du territoire Saint-Quentinois une référence en termes d'innovation et de "
        "robonumérique"
    )
    titles = ("Grand Lyon SmartData", "DIVA", "Quartier Numérique de la Gare de Saint-Omer")
    titles += ("Amboisie", saint_quentin, "Sitra")

    assert [identifications_of(title) for title in titles] == [
        [("Grand Lyon", "successor", "metropole", "200046977")],
        [("Lille Métropole", "successor", "metropole", "200093201")],
        [
            (
                "Communauté d'agglomération de Saint-Omer",
                "successor",
                "communaute_agglomeration",
                "200069037",
            )
        ],
        [("Valence Agglo", "successor", "communaute_agglomeration", "200068781")],
        [
            (
                "Communauté d'agglomération de Saint-Quentin",
                "successor",
                "communaute_agglomeration",
                "200071892",
            )
        ],
        [("Région Rhône-Alpes", "successor", "region", "84")],
    ]
    assert AwardOrganisation.objects.filter(match="successor").count() == 6
    # The merged body itself is not created: the published name stays on the link.
    assert not Organisation.objects.filter(name="Grand Lyon").exists()


def test_second_run_restores_how_an_organisation_was_identified(db):
    run_import(str(PALMARES))
    award("Sitra").award_organisations.update(match="declared")

    report, _ = run_import(str(PALMARES))

    assert (report["created"], report["updated"]) == (0, 1)
    assert identifications_of("Sitra") == [("Région Rhône-Alpes", "successor", "region", "84")]


def test_link_created_outside_the_import_is_declared(db):
    link = AwardOrganisationFactory()

    assert link.match == "declared"


def test_unmatched_names_are_kept_as_unverified_organisations(db):
    run_import(str(PALMARES))

    unverified = Organisation.objects.filter(from_referential=False)

    assert sorted(unverified.values_list("name", "kind")) == sorted(
        [
            ("SIVU", "syndicat"),
            ("Syndicat mixte des transports collectifs de l'Oise", "syndicat"),
            ("Communauté d'agglomération Terres de France", "other"),
            ("Office du tourisme de Mulhouse", "office_tourisme"),
            ("Comité départemental du tourisme d'Ille-et-Vilaine", "office_tourisme"),
            ("Mégalis Bretagne", "other"),
            ("Parc naturel régional du Haut-Jura", "parc_naturel_regional"),
            ("Hub du Sud", "other"),
            ("Syndicat Anjou Numérique", "syndicat"),
        ]
    )
    megalis = Organisation.objects.get(name="Mégalis Bretagne")
    assert sorted(megalis.awards.values_list("edition__year", flat=True)) == [2022, 2024]


def test_unverified_organisation_added_by_hand_is_reused(db):
    hub = Organisation.objects.create(
        kind="association", name="HUB DU SUD", slug="hub-du-sud", from_referential=False
    )

    report, _ = run_import(str(PALMARES))

    assert report["created"] == 206
    partner = award("La Fabrique de l'Inclusion Numérique AMP").award_organisations.get(position=1)
    assert (partner.organisation, partner.published_name) == (hub, "Hub du Sud")


def test_second_run_creates_and_changes_nothing(db):
    run_import(str(PALMARES))
    counts = [
        model.objects.count() for model in (Award, Edition, Event, Theme, Level, Organisation)
    ]

    report, output = run_import(str(PALMARES))

    assert (report["created"], report["updated"], report["unmatched"]) == (0, 0, UNMATCHED)
    assert report["matched_as_successor"] == MATCHED_AS_SUCCESSOR
    assert "Palmarès déjà à jour : rien n'a été créé ni modifié." in output
    assert [
        model.objects.count() for model in (Award, Edition, Event, Theme, Level, Organisation)
    ] == counts


def test_second_run_updates_what_the_files_changed(db, data_copy):
    run_import(str(data_copy / "palmares.csv"))
    # Line 58: Région Occitanie, argent → or; line 11 of editions.csv: 2024 participants.
    edit_line(data_copy / "palmares.csv", 58, "2024,argent,", "2024,or,")
    edit_line(data_copy / "editions.csv", 11, ",1130,", ",1131,")
    edit_line(data_copy / "palmares.csv", 52, "Ville d'Épernay", "Ville d'Épernay | Hub du Sud")

    report, _ = run_import(str(data_copy / "palmares.csv"))

    assert (report["created"], report["updated"]) == (0, 3)
    occitanie = award("Démarche vers un numérique humain, responsable et souverain")
    assert occitanie.level.code == "or"
    assert Event.objects.get(slug="forum-des-interconnectes-2024").participants == 1131
    assert [
        name
        for name, *_ in organisations_of(
            "Sites semi-mutualisés entre l'Agglo et des communes membres"
        )
    ] == ["Épernay Agglo Champagne", "Ville d'Épernay", "Hub du Sud"]


def test_editions_file_defaults_to_the_one_beside_the_palmares(db, tmp_path):
    shutil.copy(PALMARES, tmp_path / "palmares.csv")

    report, _ = run_import(str(tmp_path / "palmares.csv"))

    assert report["editions"] == 6  # the years of the palmarès alone, without their figures
    assert list(
        Edition.objects.order_by("year").values_list("year", "forum", "laureates_count")
    ) == [(year, None, None) for year in (2013, 2015, 2018, 2022, 2023, 2024)]
    assert list(Theme.objects.filter(edition__year=2024).values_list("slug", flat=True))[:2] == [
        "inclusion-numerique",
        "participation-citoyenne",
    ]


def test_colliding_slugs_get_a_suffix(db, tmp_path):
    title = "Un très long titre de projet " * 4
    (tmp_path / "palmares.csv").write_text(
        "year,level,theme,organisations,project_title,notes,source\n"
        f"2024,or,,Ville de Brest,{title}A,,\n"
        f"2024,or,,Ville de Brest,{title}B,,\n",
        encoding="utf-8",
    )

    run_import(str(tmp_path / "palmares.csv"))

    assert sorted(Award.objects.values_list("slug", flat=True)) == [
        "2024-un-tres-long-titre-de-projet-un-tres-long-titre-de-projet-un-tres-long",
        "2024-un-tres-long-titre-de-projet-un-tres-long-titre-de-projet-un-tres-long-2",
    ]


def test_match_table_is_printed_on_request(db):
    _, output = run_import(str(PALMARES), "--matches")

    lines = output.splitlines()
    assert lines[0] == "Grand Lyon → Métropole de Lyon [metropole 200046977] (successor)"
    assert lines[1] == "Mairie de Toulouse → Toulouse [commune 31555] (name)"
    assert lines[4] == "SIVU → non rapprochée (not_found)"
    assert len(lines) == 61 + 2


def test_palmares_alone_leaves_the_figures_already_imported(db, tmp_path):
    run_import(str(PALMARES))
    shutil.copy(PALMARES, tmp_path / "palmares.csv")

    report, _ = run_import(str(tmp_path / "palmares.csv"))

    assert (report["created"], report["updated"]) == (0, 0)
    edition = Edition.objects.get(year=2024)
    assert (edition.forum.slug, edition.laureates_count) == ("forum-des-interconnectes-2024", 21)
