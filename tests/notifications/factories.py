"""One factory per model of the outbox."""

from datetime import timedelta

import factory
from django.utils import timezone

from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """An email the mail server refused five times: failed, waiting for an organiser."""

    class Meta:
        model = OutgoingEmail

    kind = "jury.eligibility"
    context = "Label Territoire Innovant 2026"
    from_email = "Palmarès <ne-pas-repondre@palmares.localhost>"
    to = factory.Sequence(lambda n: [f"agent{n}@rennes.fr"])
    subject = factory.Sequence(lambda n: f"Votre dossier LTI-2026-{n + 1:04d} n'est pas recevable")
    body = "Bonjour,\n\nLe texte."
    status = EmailStatus.FAILED
    attempts = 5
    max_attempts = 5
    last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
    last_attempt_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
