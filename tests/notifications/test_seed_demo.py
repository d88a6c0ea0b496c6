"""`seed_demo --stage jury` with no mail server: the demo is built, its emails wait in the outbox
(issue 15: the eligibility emails, sent from the request's commit, used to crash it)."""

from collections import Counter

import pytest
from django.core.management import call_command

from applications.enums import ApplicationState
from applications.models import Application
from notifications.models import OutgoingEmail
from tests.notifications.conftest import unused_port

pytestmark = pytest.mark.django_db


def test_the_jury_stage_is_seeded_without_a_mail_server(
    settings, capsys, django_capture_on_commit_callbacks
):
    call_command("seed_demo", stage="applications", year=2028)
    settings.MAILERS = {  # EMAIL_URL=smtp://127.0.0.1:<a closed port>
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": unused_port(), "timeout": 5},
        }
    }

    # Its transactions commit, as on a real database: every email is attempted, and refused.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stage="jury", year=2028)

    assert capsys.readouterr().out.splitlines()[-1] == (
        "Sélection régionale en cours : 7 dossiers, 10 jurés, 21 affectations, "
        "12 évaluations envoyées."
    )
    ineligible = Application.objects.filter(state=ApplicationState.INELIGIBLE)
    assert ineligible.count() == 2
    emails = OutgoingEmail.objects.all()
    # Every eligibility decision is told, either way (issue 14); co-porteurs added while the
    # dossiers were drafted were told during the first stage, whose commits the test never runs.
    assert Counter((e.kind, e.status, e.attempts) for e in emails) == {
        ("applications.partner_added", "queued", 0): 4,
        ("jury.eligibility", "queued", 1): 35,
        # Each juror is told of the dossiers the demo's assignment gives them.
        ("jury.assignment", "queued", 1): 10,
    }
    attempted = [e for e in emails if e.attempts]
    assert all(e.last_error.startswith("ConnectionRefusedError") for e in attempted)
