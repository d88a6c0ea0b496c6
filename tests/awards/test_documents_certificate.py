"""The certificate of a laureate: public once the results are, "not found" under embargo."""

import pytest
from django.core.management import call_command

from awards.models import Award
from contests.models import Contest
from tests.catalogue.builders import make_award, make_edition

from .documents_setup import GOLD_SLUG, build
from .test_documents_press_release import pdf_text


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://palmares.example"


def test_certificate_of_a_published_laureate(db, visitor):
    build()

    response = visitor.get(f"/projets/{GOLD_SLUG}/certificat.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="certificat-{GOLD_SLUG}.pdf"')
    assert pdf_text(response.content) == (
        "Certificat Label Territoire Innovant 2028 niveau or thème Inclusion numérique "
        "décerné à Rennes et Rennes Métropole pour le projet « Ambassad'Ondes, balade des "
        "ondes » Remis lors du Forum des Interconnectés 2028, à Lyon, du 5 au 6 avril 2028 "
        # The day of the publication on the platform, not the Forum's.
        "Fait le 21 mars 2028 Décerné par Les Interconnectés "
        f"Vérifier ce label : https://palmares.example/projets/{GOLD_SLUG}/verification/"
    )


def test_certificate_of_the_2024_gold_laureate_of_inclusion(db, visitor):
    call_command("import_palmares", "data/palmares.csv", verbosity=0)
    award = Award.objects.get(edition__year=2024, title__startswith="Inclusif, le jeu")

    response = visitor.get(f"/projets/{award.slug}/certificat.pdf")

    assert response.status_code == 200
    assert pdf_text(response.content).startswith(
        "Certificat Label Territoire Innovant 2024 niveau or thème Inclusion numérique "
        "décerné à Métropole de Lyon pour le projet « Inclusif, le jeu - Concevons nos "
        "services numériques pour tout le monde ! » Remis lors du Forum des Interconnectés "
        "2024, à Marseille, du 3 au 4 avril 2024 "
        # Published before the platform: dated as the press release dates it, the Forum's end.
        "Fait le 4 avril 2024 Décerné par Les Interconnectés Vérifier ce label"
    )


def test_certificate_leaves_out_an_unpublished_level_theme_and_forum(db, visitor):
    label = Contest.objects.get(slug="label-territoire-innovant")
    edition, _levels = make_edition(label, 2015, is_historical=True)
    award = make_award(edition, "Toulouse.fr", "Mairie de Toulouse")

    response = visitor.get(f"/projets/{award.slug}/certificat.pdf")

    assert pdf_text(response.content) == (
        "Certificat Label Territoire Innovant 2015 décerné à Mairie de Toulouse pour le projet "
        "« Toulouse.fr » Décerné par Les Interconnectés "
        f"Vérifier ce label : https://palmares.example/projets/{award.slug}/"
        "verification/"
    )


def test_certificate_under_embargo_is_not_found_even_for_its_laureate(
    db, visitor, applicant_client, organiser_client
):
    build(results_public=False)

    for client in (visitor, applicant_client, organiser_client):
        assert client.get(f"/projets/{GOLD_SLUG}/certificat.pdf").status_code == 404


def test_certificate_of_an_unknown_project_is_not_found(db, visitor):
    assert visitor.get("/projets/inconnu/certificat.pdf").status_code == 404
