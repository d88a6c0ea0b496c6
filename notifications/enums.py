from django.db import models
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    """An outgoing email's life: queued → sending → sent, or back to queued for a later attempt,
    or failed once its attempts are spent (an organiser may queue it again)."""

    QUEUED = "queued", pgettext_lazy("courriel", "en attente")
    SENDING = "sending", pgettext_lazy("courriel", "en cours d'envoi")
    SENT = "sent", pgettext_lazy("courriel", "envoyé")
    FAILED = "failed", pgettext_lazy("courriel", "en échec")
