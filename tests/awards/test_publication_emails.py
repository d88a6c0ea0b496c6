"""awards.publication: the result emails, sent after the publication commits."""

import pytest
from django.core import mail

from awards.models import Deliberation
from awards.publication import publish

from .publication_setup import (
    BREST_REASON,
    LAUREATE_SLUG,
    LAUREATE_TITLE,
    QUIMPER_COMMENT,
    SOBRIETY,
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def messages_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_each_applicant_gets_one_email_after_commit(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(setup.deliberation, by=organiser)
    assert mail.outbox == []  # nothing before the commit

    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        for callback in callbacks:
            callback()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "agent@brest.fr",
        "agent@nantes.fr",
        "agent@quimper.fr",
        "agent@rennes.fr",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_laureate_email_gives_the_level_and_the_project_page(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    [message] = messages_to("agent@rennes.fr")
    assert message.subject == (
        f"Label Territoire Innovant 2028 : le projet « {LAUREATE_TITLE} » est lauréat"
    )
    assert message.body == (
        "Bonjour,\n\n"
        "Le jury du Label Territoire Innovant 2028 a décerné le label or au projet "
        f"« {LAUREATE_TITLE} » (dossier LTI-2028-0001).\n\n"
        "Félicitations ! Le projet est au palmarès : "
        f"http://127.0.0.1:8000/projets/{LAUREATE_SLUG}/\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )


def test_not_labelled_email_gives_the_jury_s_reason(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    [message] = messages_to("agent@brest.fr")
    assert message.subject == (
        "Label Territoire Innovant 2028 : résultat du projet "
        "« Capteurs de qualité de l'air dans les écoles »"
    )
    assert message.body == (
        "Bonjour,\n\n"
        "Le jury du Label Territoire Innovant 2028 n'a pas labellisé le projet "
        "« Capteurs de qualité de l'air dans les écoles » (dossier LTI-2028-0003).\n\n"
        f"Motifs :\n- {BREST_REASON}\n\n"
        "Merci pour votre candidature.\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )


def test_eliminated_email_gives_the_insufficient_criterion_and_comments(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    [message] = messages_to("agent@quimper.fr")
    assert f"Motifs :\n- Critère « {SOBRIETY} » jugé insuffisant : {QUIMPER_COMMENT}\n" in (
        message.body
    )


def test_reasons_are_left_out_when_the_edition_says_so(
    setup, organiser, django_capture_on_commit_callbacks
):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(send_reasons=False)

    with django_capture_on_commit_callbacks(execute=True):
        publish(setup.deliberation, by=organiser)

    [message] = messages_to("agent@brest.fr")
    assert message.body == (
        "Bonjour,\n\n"
        "Le jury du Label Territoire Innovant 2028 n'a pas labellisé le projet "
        "« Capteurs de qualité de l'air dans les écoles » (dossier LTI-2028-0003).\n\n"
        "Merci pour votre candidature.\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )
    assert "Motifs" not in messages_to("agent@quimper.fr")[0].body
