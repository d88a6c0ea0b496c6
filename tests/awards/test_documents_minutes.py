"""The deliberation minutes: organisers only; a draft before validation; the log's fingerprint
at validation next to a fresh check of the chain."""

from django.test import Client

from contests.models import ActivityEntry

from .documents_setup import CHANGE_REASON, CONFLICT_REASON, build
from .test_documents_press_release import pdf_text

URL = "/organisation/concours/label-territoire-innovant/2028/deliberation/proces-verbal.pdf"


def test_minutes_of_a_validated_deliberation(db, organiser_client):
    setup = build()

    response = organiser_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="proces-verbal-label-territoire-innovant-2028.pdf"'
    )
    text = pdf_text(response.content)
    assert text.startswith(
        "Procès-verbal de délibération Label Territoire Innovant 2028 Tour délibéré Auditions "
        "Agrégation des notes moyenne pondérée, sévérité des jurés corrigée "
        "Jurés Claire Martin (DINUM), à la présidence du jury Inès Petit (dinum) "
        "Paul Durand (Banque des Territoires) "
        "Séances d'audition Séance 1 vendredi 10 mars 2028, 09 h 00 – 12 h 00 "
        "Jurés présents : Claire Martin (DINUM), à la présidence du jury ; "
        "Paul Durand (Banque des Territoires) "
        "09 h 00 LTI-2028-0001 Ambassad'Ondes, balade des ondes "
        "09 h 25 LTI-2028-0003 Capteurs de qualité de l'air "
        "Séance 2 samedi 11 mars 2028, 14 h 00 – 17 h 00 "
        "Jurés présents : Claire Martin (DINUM), à la présidence du jury ; Inès Petit (dinum) "
        "14 h 00 LTI-2028-0002 Guichet *unique* des associations"
    )
    # Per dossier: the conflict in force (not the dismissed one), the abstentions (assigned,
    # nothing sent; the juror in conflict is not counted twice), the change and its reason.
    assert (
        "LTI-2028-0001 – Ambassad'Ondes, balade des ondes Porté par Rennes et Rennes Métropole "
        "Thème Inclusion numérique Note et intervalle 4,250 [3,900 ; 4,600] Niveau proposé "
        "Or Niveau décidé Or Conflits d'intérêts "
        f"Inès Petit (dinum) : {CONFLICT_REASON} (À examiner) "
        "Abstentions Paul Durand (Banque des Territoires)"
    ) in text
    assert (
        "LTI-2028-0003 – Capteurs de qualité de l'air Porté par Nantes Thème Inclusion numérique "
        "Note et intervalle 2,000 Niveau proposé non labellisé Niveau décidé non labellisé "
        "Conflits d'intérêts aucun Abstentions aucune"
    ) in text
    assert (
        "LTI-2028-0002 – Guichet *unique* des associations Porté par Brest Thème Gestion des "
        "données Note et intervalle 3,100 Niveau proposé Bronze Niveau décidé Argent "
        f"Motif {CHANGE_REASON} Décidé par Claire Martin, le 20 mars 2028 à 17:45 "
        "Conflits d'intérêts aucun Abstentions Claire Martin (DINUM), à la présidence du jury"
    ) in text
    assert (
        "Validation Palmarès validé par Claire Martin le 20 mars 2028 à 18:30. "
        "Empreinte du journal d'activité à la validation : "
        f"{setup.deliberation.log_fingerprint} Cette empreinte figure dans le journal. "
        "Vérification du journal le "
    ) in text
    assert text.endswith(": la chaîne d'empreintes est intacte. 2 / 2")
    assert "ce procès-verbal est un projet" not in text


def test_minutes_report_an_edited_log(db, organiser_client):
    setup = build()
    entry = ActivityEntry.objects.get(entry_hash=setup.deliberation.log_fingerprint)
    ActivityEntry.objects.filter(pk=entry.pk).update(subject="autre chose")

    text = pdf_text(organiser_client.get(URL).content)

    assert "Cette empreinte figure dans le journal." in text
    assert (
        f": journal altéré à l'entrée n° {entry.pk} : son empreinte ne correspond plus à son "
        "contenu."
    ) in text


def test_minutes_before_validation_are_a_draft(db, organiser_client):
    build(validated=False)

    response = organiser_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="proces-verbal-label-territoire-innovant-2028-projet.pdf"'
    )
    text = pdf_text(response.content)
    assert text.startswith(
        "Projet Procès-verbal de délibération Label Territoire Innovant 2028 Délibération non "
        "validée : ce procès-verbal est un projet."
    )
    assert "Palmarès pas encore validé par la présidence du jury." in text
    assert "Empreinte du journal" not in text


def test_minutes_are_refused_to_the_jury_president(db):
    setup = build()
    client = Client()
    client.force_login(setup.president.user)

    assert client.get(URL).status_code == 403


def test_minutes_are_refused_to_a_juror_and_to_the_laureate(db, applicant_client):
    setup = build()
    client = Client()
    client.force_login(setup.juror.user)

    assert client.get(URL).status_code == 403
    assert applicant_client.get(URL).status_code == 403


def test_minutes_send_a_visitor_to_the_login_page(db, visitor):
    build()

    response = visitor.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_minutes_without_a_deliberation_are_not_found(db, organiser_client):
    assert organiser_client.get(URL).status_code == 404
