"""A mail server down never breaks a page: the action is saved, its email waits in the outbox,
and reaches the server exactly once when it is back (retry, or an organiser's « Renvoyer »).

The server is a real aiosmtpd on loopback, first stopped (connections refused), then started.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.enums import ApplicationState
from contests.models import Contest
from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail
from notifications.outbox import retry_due_emails
from tests.conftest import PASSWORD
from tests.factories import ApplicationFactory, EditionFactory

pytestmark = pytest.mark.django_db

ELIGIBILITY = reverse(
    "jury:eligibility", kwargs={"contest_slug": "label-territoire-innovant", "year": 2026}
)
REASON = "Le projet n'est pas porté par une collectivité."
SUBJECT = "Votre dossier LTI-2026-0001 n'est pas recevable"


@pytest.fixture
def dossier(rennes, applicant):
    """A submitted dossier of Rennes, whose agent (agent@rennes.fr) is told the decision."""
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    return ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet numérique",
        lead_organisation=rennes,
        state=ApplicationState.SUBMITTED,
    )


def declare_ineligible(client, capture):
    with capture(execute=True):
        return client.post(
            ELIGIBILITY,
            {
                "reference": "LTI-2026-0001",
                "LTI-2026-0001-decision": "ineligible",
                "LTI-2026-0001-reason": REASON,
            },
        )


def subjects(server) -> list[tuple[list[str], str]]:
    return [(d.rcpt_tos, d.message["Subject"]) for d in server.deliveries]


def test_an_eligibility_decision_during_an_outage_is_saved_and_mailed_once_back(
    organiser_client, dossier, mail_server, django_capture_on_commit_callbacks
):
    response = declare_ineligible(organiser_client, django_capture_on_commit_callbacks)

    assert (response.status_code, response["Location"]) == (302, ELIGIBILITY)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.eligibility.reason) == (ApplicationState.INELIGIBLE, REASON)
    waiting = OutgoingEmail.objects.get()
    assert (waiting.kind, waiting.to, waiting.subject, waiting.status, waiting.attempts) == (
        "jury.eligibility",
        ["agent@rennes.fr"],
        SUBJECT,
        EmailStatus.QUEUED,
        1,
    )
    assert waiting.last_error.startswith("ConnectionRefusedError")

    mail_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        retried = retry_due_emails(timezone.now() + timedelta(minutes=2))
        retry_due_emails(timezone.now() + timedelta(days=1))

    waiting.refresh_from_db()
    assert (retried, waiting.status) == (1, EmailStatus.SENT)
    assert subjects(mail_server) == [(["agent@rennes.fr"], SUBJECT)]
    assert f"Motif : {REASON}" in mail_server.deliveries[0].message.get_content()


def test_an_organiser_resends_the_decision_once_the_server_is_back(
    organiser_client, dossier, mail_server, django_capture_on_commit_callbacks
):
    declare_ineligible(organiser_client, django_capture_on_commit_callbacks)
    waiting = OutgoingEmail.objects.get()
    listed = organiser_client.get(reverse("contests:outbox"))
    mail_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("contests:outbox_resend", kwargs={"reference": waiting.reference})
        )
        organiser_client.post(reverse("contests:outbox_resend_all"))  # nothing left to resend

    assert [email.subject for email, _kind in listed.context["rows"]] == [SUBJECT]
    assert (response.status_code, response["Location"]) == (302, reverse("contests:outbox"))
    assert subjects(mail_server) == [(["agent@rennes.fr"], SUBJECT)]
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_a_sign_up_during_an_outage_creates_the_account_and_its_link_arrives_later(
    visitor, organiser_client, mail_server, django_capture_on_commit_callbacks
):
    form = {
        "email": "nouvelle.agente@quimper.fr",
        "full_name": "Nouvelle Agente",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(reverse("accounts:signup"), form)

    assert (response.status_code, response["Location"]) == (302, "/compte/inscription/envoyee/")
    user = User.objects.get(email="nouvelle.agente@quimper.fr")
    waiting = OutgoingEmail.objects.get()
    assert (waiting.kind, waiting.status, waiting.attempts) == (
        "accounts.email_confirmation",
        EmailStatus.QUEUED,
        1,
    )

    mail_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(reverse("contests:outbox_resend_all"))

    assert subjects(mail_server) == [
        (
            ["nouvelle.agente@quimper.fr"],
            "Label Territoire Innovant : confirmez votre adresse électronique",
        )
    ]
    body = mail_server.deliveries[0].message.get_content()
    link = re.search(r"http://testserver(/compte/confirmation/\S+)", body).group(1)
    assert visitor.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
