"""« Qui l'a déjà fait ? »: the ranking on a judged set from the real palmarès, and the page."""

import pytest
from django.urls import reverse

from catalogue.similar import who_did_it
from territories.models import Organisation

from .builders import make_award, make_edition

pytestmark = pytest.mark.django_db

# Needs typed by an agent, with the project a person who knows the palmarès would point to.
# Asked for the Ville de Rennes unless said otherwise; the expected projects are all from the
# real 2024 palmarès (data/palmares.csv).
JUDGED = [
    (
        "sensibiliser les entreprises au numérique responsable",
        "Parcours de sensibilisation au numérique responsable à destination des entreprises, "
        "collectivités et administrations",
    ),
    (
        "des capteurs pour suivre la qualité de l'air",
        "Surveillance de la qualité de l'air extérieur à Antony",
    ),
    (
        "créer un réseau d'ambassadeurs de la donnée parmi nos agents",
        "Création d'un réseau d'ambassadeurs de la donnée en interne de la CA Porte du Hainaut",
    ),
    (
        "automatiser la publication de nos données publiques en open data",
        "Collec-Data – Automatiser la chaîne de publication des données publiques des "
        "collectivités bretonnes",
    ),
    ("passer nos bureaux en flex office", "Le Flex Office à la mode NORKING"),
    (
        "rendre notre site web accessible aux personnes en situation de handicap",
        "Soumettre le site web de la Ville au regard des usagers valides et en situation de "
        "handicap",
    ),
    (
        "lutter contre le non-recours aux droits sociaux",
        "Favoriser l'accès aux droits au Pays de La Châtaigneraie - Territoire Zéro Non Recours",
    ),
    (
        "organiser une convention citoyenne sur l'intelligence artificielle",
        "Convention citoyenne « Montpellier à l'heure de l'IA - Quelle intelligence "
        "artificielle pour le territoire et ses habitants »",
    ),
    (
        "un jeu pour concevoir des services numériques inclusifs",
        "Inclusif, le jeu - Concevons nos services numériques pour tout le monde !",
    ),
    (
        "évaluer notre plan d'actions de médiation numérique",
        "Diagnostic et évaluation du plan d'actions médiation numérique",
    ),
    (
        "mutualiser les sites internet de l'agglomération et des communes membres",
        "Sites semi-mutualisés entre l'Agglo et des communes membres",
    ),
    (
        "une plateforme participative pour les habitants",
        "Plateforme numérique participative de territoire",
    ),
]


@pytest.mark.parametrize(("need", "expected"), JUDGED, ids=[need for need, _ in JUDGED])
def test_judged_need_finds_the_expected_laureate_first(imported_palmares, rennes, need, expected):
    suggestions = who_did_it(rennes, need)

    assert suggestions[0].award.title == expected


def test_judged_set_for_brest_finds_the_rennes_balade(imported_palmares, brest):
    suggestions = who_did_it(
        brest, "une balade urbaine pour expliquer les ondes électromagnétiques"
    )

    assert suggestions[0].award.title == (
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"
    )


# Three 2024 projects match "numérique responsable" equally: kind, then population, decide.
RESPONSABLE = {
    "angers": "Plan d'actions pour un numérique plus responsable",
    "rouen": "Parcours de sensibilisation au numérique responsable à destination des "
    "entreprises, collectivités et administrations",
    "occitanie": "Démarche vers un numérique humain, responsable et souverain",
}


def test_equal_topics_rank_a_region_first_for_a_region(imported_palmares):
    bretagne = Organisation.objects.get(kind="region", insee_code="53")

    suggestions = who_did_it(bretagne, "numérique responsable")

    # Then Rouen (501,000) is nearer than Angers (309,000) to Bretagne (3.4 million).
    assert [s.award.title for s in suggestions[:3]] == [
        RESPONSABLE["occitanie"],
        RESPONSABLE["rouen"],
        RESPONSABLE["angers"],
    ]


def test_equal_topics_rank_the_closest_intercommunality_first(imported_palmares):
    lisieux = Organisation.objects.get(kind="communaute_agglomeration", siren="200069532")

    suggestions = who_did_it(lisieux, "numérique responsable")

    # Angers (309,000) is nearer than Rouen (501,000) to Lisieux Normandie (73,000).
    assert [s.award.title for s in suggestions[:3]] == [
        RESPONSABLE["angers"],
        RESPONSABLE["rouen"],
        RESPONSABLE["occitanie"],
    ]


def test_reason_names_kind_populations_theme_and_shared_words(imported_palmares, rennes):
    [suggestion] = who_did_it(rennes, "mesurer la qualité de l'air")

    assert suggestion.reason(rennes) == (
        "même type : commune ; 64\xa0000 hab. contre 231\xa0000 ; "
        "thème Territoire intelligent et responsable ; en commun : « qualité », « air »"
    )


def test_reason_of_another_kind_says_its_kind(imported_palmares, rennes):
    suggestion = who_did_it(rennes, "ambassadeurs de la donnée")[0]

    assert suggestion.reason(rennes) == (
        "type : communauté d'agglomération ; 158\xa0000 hab. contre 231\xa0000 ; "
        "thème Gestion des données ; en commun : « ambassadeurs », « donnée »"
    )


def test_accents_and_plurals_do_not_matter(imported_palmares, rennes):
    with_accents = [s.award.title for s in who_did_it(rennes, "Données")]

    assert [s.award.title for s in who_did_it(rennes, "donnee")] == with_accents
    assert len(with_accents) == 2


def test_need_without_meaningful_words_finds_nothing(imported_palmares, rennes):
    assert who_did_it(rennes, "nous voulons faire un projet pour les") == []


def test_embargoed_award_is_never_suggested(imported_palmares, embargoed_award, rennes):
    assert who_did_it(rennes, "projet sous embargo") == []


# The page


def search(client, **params):
    return client.get(reverse("catalogue:who_did_it"), params)


def titles(response) -> list[str]:
    return [suggestion.award.title for suggestion, _reason in response.context["suggestions"]]


def test_page_defaults_to_the_agent_s_own_organisation(applicant_client, imported_palmares):
    response = search(applicant_client, besoin="qualité de l'air", structure="")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Pour : <strong>Rennes</strong>" in content
    assert titles(response) == ["Surveillance de la qualité de l'air extérieur à Antony"]
    assert (
        "même type : commune ; 64\xa0000 hab. contre 231\xa0000 ; thème Territoire intelligent "
        "et responsable ; en commun : « qualité », « air »"
    ) in content


def test_page_works_for_any_organisation_chosen_by_code(visitor, imported_palmares):
    response = search(visitor, besoin="qualité de l'air", structure="29019")

    assert "Pour : <strong>Brest</strong>" in response.content.decode()
    assert titles(response) == ["Surveillance de la qualité de l'air extérieur à Antony"]


def test_page_offers_the_other_organisations_of_the_same_name(visitor, imported_palmares):
    response = search(visitor, besoin="qualité de l'air", structure="Saint-Denis")

    content = response.content.decode()
    assert response.context["form"].chosen.insee_code == "97411"  # the most populous first
    assert (
        "?besoin=qualit%C3%A9%20de%20l%27air&amp;structure=Saint-Denis"
        "&amp;organisation=saint-denis-93066"
    ) in content


def test_page_keeps_the_organisation_picked_among_the_others(visitor, imported_palmares):
    response = search(
        visitor,
        besoin="qualité de l'air",
        structure="Saint-Denis",
        organisation="saint-denis-93066",
    )

    assert response.context["form"].chosen.insee_code == "93066"


def test_page_without_an_organisation_asks_for_one(visitor, imported_palmares):
    response = search(visitor, besoin="qualité de l'air", structure="")

    assert response.context["form"].errors == {
        "structure": ["Indiquez une structure : son nom ou son code (INSEE, SIREN, code postal)."]
    }
    assert 'value="qualité de l&#x27;air"' in response.content.decode()


def test_page_with_an_unknown_organisation_says_so(visitor, imported_palmares):
    response = search(visitor, besoin="qualité de l'air", structure="Zzyzx")

    assert response.context["form"].errors == {
        "structure": [
            "Aucune structure ne correspond à « Zzyzx ». Essayez une autre orthographe, un code "
            "INSEE, un numéro SIREN ou un code postal."
        ]
    }
    assert 'value="Zzyzx"' in response.content.decode()


def test_page_without_a_need_asks_for_one(applicant_client, imported_palmares):
    response = search(applicant_client, besoin="", structure="")

    assert response.context["form"].errors == {"besoin": ["Ce champ est obligatoire."]}


def test_page_with_a_need_nobody_shares_says_so(visitor, imported_palmares):
    response = search(visitor, besoin="téléphérique", structure="35238")

    assert "Aucun projet labellisé ne partage de mots avec ce besoin." in (
        response.content.decode()
    )


def test_page_before_searching_shows_only_the_form(visitor, imported_palmares):
    response = search(visitor)

    assert response.context["form"].is_bound is False
    assert "projet proche" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_results(
    visitor, label, rennes, count, django_assert_num_queries
):
    edition, _levels = make_edition(label, 2024, is_historical=True)
    for number in range(count):
        make_award(edition, f"Capteurs de qualité de l'air {number}", f"Ville {number}")

    # The organisation searched, the public awards, their organisations.
    with django_assert_num_queries(3):
        response = search(visitor, besoin="qualité de l'air", structure="35238")

    assert len(titles(response)) == count
