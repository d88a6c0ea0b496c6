"""The legal page says what the organisers set (LEGAL_…, RETENTION_…_DAYS) and `check --deploy`
warns while one of them is missing."""

from django.core.checks import run_checks
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

LEGAL = {
    "LEGAL_PUBLISHER_ADDRESS": "12 rue de la Mairie, 35000 Rennes",
    "LEGAL_PUBLISHER_ID": "W353012345",
    "LEGAL_PUBLICATION_DIRECTOR": "Camille Martin, présidente",
    "LEGAL_CONTROLLER": "Association Les Interconnectés, 12 rue de la Mairie, 35000 Rennes",
    "LEGAL_CONTACT": "dpo@interconnectes.example",
    "LEGAL_HOST": "Hébergeur SAS, 1 quai du Port, 13000 Marseille, 04 00 00 00 00",
    "LEGAL_BASIS": "Intérêt légitime de l'association à organiser le label.",
}


def test_legal_page_is_filled_from_the_settings(db, visitor, settings):
    for name, value in LEGAL.items():
        setattr(settings, name, value)
    settings.RETENTION_SIGN_IN_DAYS = 90

    response = visitor.get(reverse("catalogue:legal"))

    assertNotContains(response, "à compléter par l'association")
    for value in ["W353012345", "Camille Martin, présidente", "Hébergeur SAS, 1 quai du Port"]:
        assertContains(response, value)
    assertContains(
        response,
        '<a href="mailto:dpo@interconnectes.example">dpo@interconnectes.example</a>',
        count=2,
        html=True,
    )
    assertContains(response, "Intérêt légitime de l&#x27;association à organiser le label.")
    assertContains(response, "historique des connexions (date et adresse IP) : 90 jours ;")
    assertContains(
        response,
        "dossiers non labellisés : pièces jointes, vidéo, coordonnées et textes longs effacés "
        "1095 jours",
    )


def test_legal_page_states_the_default_retention_periods(db, visitor):
    response = visitor.get(reverse("catalogue:legal"))

    assertContains(response, "commentaires des jurés : effacés 730 jours après")
    assertContains(response, "historique des connexions (date et adresse IP) : 180 jours ;")
    assertContains(response, "supprimés 30 jours après l'inscription.")


def test_check_deploy_warns_while_a_legal_setting_is_missing(settings):
    for name, value in LEGAL.items():
        setattr(settings, name, value)
    settings.LEGAL_HOST = ""

    warnings = run_checks(include_deployment_checks=True, tags=["legal"])

    assert [(w.id, w.msg) for w in warnings] == [
        ("catalogue.W001", "The legal page is incomplete: LEGAL_HOST not set.")
    ]


def test_check_deploy_is_quiet_once_the_legal_page_is_filled(settings):
    for name, value in LEGAL.items():
        setattr(settings, name, value)

    assert run_checks(include_deployment_checks=True, tags=["legal"]) == []


def test_plain_check_does_not_ask_for_the_legal_page(settings):
    settings.LEGAL_HOST = ""

    assert run_checks(include_deployment_checks=False, tags=["legal"]) == []
