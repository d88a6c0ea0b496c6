"""The organisers' page of undelivered emails (notifications' outbox), its « Renvoyer » and
« Tout renvoyer » buttons, and the count on the organisers' dashboard."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail
from tests.factories import UserFactory
from tests.jury.factories import JurorFactory
from tests.notifications.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db

OUTBOX = reverse("contests:outbox")
RESEND_ALL = reverse("contests:outbox_resend_all")
DASHBOARD = reverse("contests:dashboard")
NOTICE = "n'ont pas pu être remis."


def resend_url(email: OutgoingEmail) -> str:
    return reverse("contests:outbox_resend", kwargs={"reference": email.reference})


@pytest.fixture
def juror_client() -> Client:
    client = Client()
    client.force_login(JurorFactory(user=UserFactory(email="jure@exemple.org")).user)
    return client


@pytest.fixture
def emails():
    """One failed, one waiting for its second attempt, one sent, one not tried yet."""
    failed = OutgoingEmailFactory(
        to=["agent@rennes.fr"], subject="Votre dossier LTI-2026-0001 n'est pas recevable"
    )
    retrying = OutgoingEmailFactory(
        kind="accounts.email_confirmation",
        context="",
        to=["nouvelle@quimper.fr"],
        subject="Confirmez votre adresse électronique sur Palmarès",
        status=EmailStatus.QUEUED,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=1),
    )
    OutgoingEmailFactory(status=EmailStatus.SENT, attempts=1, last_error="")
    OutgoingEmailFactory(status=EmailStatus.QUEUED, attempts=0, last_error="")
    return failed, retrying


# ------------------------------------------------------------------------------ the list


def test_organiser_sees_the_emails_not_delivered_with_their_error(organiser_client, emails):
    failed, retrying = emails

    response = organiser_client.get(OUTBOX)

    assert [
        (email.subject, kind, email.recipients, email.attempts)
        for email, kind in response.context["rows"]
    ] == [
        (
            "Confirmez votre adresse électronique sur Palmarès",
            "Confirmation d'adresse",
            ["nouvelle@quimper.fr"],
            1,
        ),
        (
            "Votre dossier LTI-2026-0001 n'est pas recevable",
            "Décision de recevabilité",
            ["agent@rennes.fr"],
            5,
        ),
    ]
    assertContains(response, '<h2 id="courriels">2 courriels non remis</h2>', html=True)
    # What it means for the organiser, then the raw error for whoever runs the server.
    assertContains(
        response,
        "<td>Le serveur de messagerie est injoignable ; un nouvel essai suivra<br>"
        '<span class="muted"><code>ConnectionRefusedError: [Errno 111] Connection refused'
        "</code></span></td>",
        count=2,
        html=True,
    )
    assertContains(response, "<td>en échec</td>", count=1, html=True)
    assertContains(response, "nouvel essai le", count=1)
    assertContains(response, f'action="{resend_url(failed)}"')
    assertContains(response, f'action="{resend_url(retrying)}"')
    assertContains(response, f'action="{RESEND_ALL}"')
    assertNotContains(response, "Bonjour,")  # the text is never shown: its links are secrets


def test_the_page_says_when_every_email_was_delivered(organiser_client):
    response = organiser_client.get(OUTBOX)

    assertContains(
        response,
        '<p role="status">Aucun courriel en échec ni en attente d\'un nouvel essai.</p>',
        html=True,
    )
    assertNotContains(response, RESEND_ALL)


def test_visitor_is_sent_to_log_in(visitor, emails):
    response = visitor.get(OUTBOX)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('accounts:login')}?next={OUTBOX}",
    )


def test_applicant_may_not_see_the_page(applicant_client, emails):
    assert applicant_client.get(OUTBOX).status_code == 403


def test_juror_may_not_see_the_page(juror_client, emails):
    assert juror_client.get(OUTBOX).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_queries_for_one_or_three_emails(
    organiser_client, django_assert_num_queries, count
):
    OutgoingEmailFactory.create_batch(count)

    # session, user, count (paginator), the emails
    with django_assert_num_queries(4):
        response = organiser_client.get(OUTBOX)

    assert len(response.context["rows"]) == count


# -------------------------------------------------------------------------------- resend


def test_organiser_may_resend_one_email(
    organiser_client, emails, django_capture_on_commit_callbacks
):
    failed, retrying = emails

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(resend_url(failed), follow=True)

    failed.refresh_from_db()
    retrying.refresh_from_db()
    assert (failed.status, failed.attempts, retrying.status) == (
        EmailStatus.SENT,
        6,
        EmailStatus.QUEUED,
    )
    assert [message.subject for message in mail.outbox] == [
        "Votre dossier LTI-2026-0001 n'est pas recevable"
    ]
    assertContains(
        response,
        "Le courriel « Votre dossier LTI-2026-0001 n&#x27;est pas recevable » est renvoyé.",
    )


def test_resending_an_email_delivered_meanwhile_says_so(organiser_client, emails):
    sent = OutgoingEmail.objects.get(status=EmailStatus.SENT)

    response = organiser_client.post(resend_url(sent), follow=True)

    assertContains(response, "Ce courriel a été remis entre-temps : rien à renvoyer.")


def test_an_unknown_email_is_not_found(organiser_client):
    url = reverse(
        "contests:outbox_resend", kwargs={"reference": "00000000-0000-0000-0000-000000000000"}
    )

    assert organiser_client.post(url).status_code == 404


def test_applicant_may_not_resend(applicant_client, emails):
    failed, _retrying = emails

    response = applicant_client.post(resend_url(failed))

    failed.refresh_from_db()
    assert (response.status_code, failed.status, mail.outbox) == (403, EmailStatus.FAILED, [])


def test_juror_may_not_resend(juror_client, emails):
    failed, _retrying = emails

    response = juror_client.post(resend_url(failed))

    failed.refresh_from_db()
    assert (response.status_code, failed.status) == (403, EmailStatus.FAILED)


def test_organiser_may_resend_everything_not_delivered(
    organiser_client, emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(RESEND_ALL)
    response = organiser_client.get(OUTBOX)

    assert sorted(message.subject for message in mail.outbox) == [
        "Confirmez votre adresse électronique sur Palmarès",
        "Votre dossier LTI-2026-0001 n'est pas recevable",
    ]
    assertContains(response, "2 courriels sont renvoyés.")
    assertContains(response, "Aucun courriel en échec ni en attente d'un nouvel essai.")


def test_resending_everything_when_nothing_waits_says_so(organiser_client):
    response = organiser_client.post(RESEND_ALL, follow=True)

    assertContains(response, "Aucun courriel n&#x27;attend d&#x27;être renvoyé.")


def test_applicant_may_not_resend_everything(applicant_client, emails):
    response = applicant_client.post(RESEND_ALL)

    assert (response.status_code, OutgoingEmail.objects.filter(status="failed").count()) == (403, 1)


def test_resending_is_a_post(organiser_client, emails):
    failed, _retrying = emails

    assert (
        organiser_client.get(resend_url(failed)).status_code,
        organiser_client.get(RESEND_ALL).status_code,
    ) == (405, 405)


# ----------------------------------------------------------------------------- dashboard


def test_the_dashboard_counts_the_emails_not_delivered(organiser_client, emails):
    response = organiser_client.get(DASHBOARD)

    assertContains(
        response,
        '<div class="message message-warning" role="status"><p>2 courriels n\'ont pas pu être '
        f'remis. <a href="{OUTBOX}">Voir les courriels non remis et les renvoyer</a></p></div>',
        html=True,
    )


def test_the_dashboard_says_nothing_when_every_email_was_delivered(organiser_client):
    OutgoingEmailFactory(status=EmailStatus.SENT, attempts=1, last_error="")

    response = organiser_client.get(DASHBOARD)

    assertNotContains(response, NOTICE)


@pytest.mark.parametrize(
    ("last_error", "summary"),
    [
        (
            "SMTPRecipientsRefused: {'x@y.fr': (550, b'No such user')}",
            "le serveur de messagerie refuse l'adresse du destinataire : vérifiez-la",
        ),
        ("TimeoutError: timed out", "le serveur de messagerie n'a pas répondu à temps"),
        (
            "SMTPDataError: (554, b'Spam')",
            "le serveur de messagerie a refusé ou interrompu l'envoi",
        ),
        ("", ""),
    ],
)
def test_each_error_is_told_in_words_an_organiser_can_act_on(db, last_error, summary):
    assert OutgoingEmailFactory(last_error=last_error).error_summary == summary
