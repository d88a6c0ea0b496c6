"""Membership requests told to whoever decides: the daily digest, the counters, and who the
applicant waits for."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.enums import MembershipRole, MembershipState
from accounts.membership_notices import (
    confirmer_label,
    deciders_of,
    send_membership_digest,
)
from accounts.models import Membership
from health.models import JobRun
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ASKED = datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def request_of_brest(brest):
    membership = MembershipFactory(
        user__email="nouvel.agent@brest.fr",
        user__full_name="Nouvel Agent",
        organisation=brest,
        state=MembershipState.PENDING,
    )
    Membership.objects.filter(pk=membership.pk).update(created_at=ASKED)
    return membership


def test_organisers_decide_for_a_structure_without_managers(organiser, request_of_brest):
    assert deciders_of(request_of_brest) == [organiser]
    assert confirmer_label(request_of_brest) == (
        "l'équipe organisatrice du Label Territoire Innovant"
    )


def test_managers_decide_for_their_structure_not_the_organisers(organiser, request_of_brest, brest):
    manager = MembershipFactory(
        user__email="dsi@brest.fr",
        user__full_name="Claire Référente",
        organisation=brest,
        role=MembershipRole.MANAGER,
    ).user

    assert deciders_of(request_of_brest) == [manager]
    assert confirmer_label(request_of_brest) == (
        "le ou les référents de la structure (Claire Référente)"
    )


def test_digest_lists_each_pending_request_to_its_deciders(
    organiser, request_of_brest, brest, mailoutbox, django_capture_on_commit_callbacks
):
    MembershipFactory(organisation=brest, state=MembershipState.CONFIRMED)  # nothing to decide

    with django_capture_on_commit_callbacks(execute=True):
        counts = send_membership_digest()

    assert counts == {"deciders": 1, "requests": 1}
    [message] = mailoutbox
    assert message.to == ["organisatrice@interconnectes.fr"]
    assert message.subject == (
        "Label Territoire Innovant : 1 demande(s) de rattachement à confirmer"
    )
    assert message.body == (
        f"Bonjour {organiser.full_name},\n\n"
        "Une demande de rattachement attend votre décision :\n"
        "- Nouvel Agent (nouvel.agent@brest.fr) pour Commune de Brest, demandé le "
        "1er février 2027\n"
        "\n"
        "Tant que la demande n'est pas confirmée, la personne ne peut pas déposer de dossier "
        "pour sa structure. Pour confirmer ou refuser :\n"
        "http://127.0.0.1:8000/compte/rattachements/\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés\n"
    )


def test_digest_sends_nothing_when_nothing_waits(organiser, mailoutbox):
    MembershipFactory(state=MembershipState.CONFIRMED)

    assert send_membership_digest() == {"deciders": 0, "requests": 0}
    assert mailoutbox == []


def test_digest_command_records_its_daily_success(organiser, request_of_brest, capsys):
    call_command("send_membership_digest")

    assert capsys.readouterr().out == '{"deciders": 1, "requests": 1}\n'
    assert list(JobRun.objects.values_list("job", flat=True)) == ["send_membership_digest"]


def test_dashboard_counts_the_requests_waiting(organiser_client, request_of_brest):
    response = organiser_client.get("/organisation/")

    assert "1 demande de rattachement attend votre décision" not in response.content.decode()
    assert "Une demande de rattachement attend votre décision" in response.content.decode()


def test_dashboard_shows_no_counter_when_nothing_waits(organiser_client):
    response = organiser_client.get("/organisation/")

    assert "attend votre décision" not in response.content.decode()
    assert "attendent votre décision" not in response.content.decode()


def test_the_applicant_sees_who_will_confirm(client, request_of_brest):
    client.force_login(request_of_brest.user)

    response = client.get("/compte/")

    assert (
        "Confirmation attendue de l&#x27;équipe organisatrice du Label Territoire Innovant ; "
        "vous recevrez un courriel." in response.content.decode()
    )


def test_a_confirmed_member_sees_no_such_line(client, applicant):
    client.force_login(applicant)

    response = client.get("/compte/")

    assert "Confirmation attendue" not in response.content.decode()


def test_a_second_decider_gets_its_own_email(
    organiser, request_of_brest, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="second.organisateur@interconnectes.fr", is_organiser=True)

    with django_capture_on_commit_callbacks(execute=True):
        counts = send_membership_digest()

    assert counts == {"deciders": 2, "requests": 1}
    assert sorted(message.to[0] for message in mailoutbox) == [
        "organisatrice@interconnectes.fr",
        "second.organisateur@interconnectes.fr",
    ]


def test_my_dossiers_says_whose_confirmation_blocks_the_applicant(client, request_of_brest):
    client.force_login(request_of_brest.user)

    page = client.get("/candidatures/").content.decode()

    assert (
        "<p>Votre demande de rattachement à « Commune de Brest » attend la confirmation de "
        "l&#x27;équipe organisatrice du Label Territoire Innovant ; vous recevrez un courriel.</p>"
    ) in page
