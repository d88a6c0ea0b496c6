import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import EmailStatus


class OutgoingEmail(models.Model):
    """One email of the platform, kept until it is delivered so that nothing is lost when the
    mail server is down: what to send, and how its attempts went.

    Once sent, its text and attachments are erased (notifications.outbox): they often carry
    links that act as passwords (confirmation, password reset, jury invitation).
    """

    # Public code used in URLs (an organiser's « Renvoyer »), never the database id.
    reference = models.UUIDField(_("référence"), default=uuid.uuid4, unique=True, editable=False)
    # What the email is about, as a code the sending app registered ("jury.eligibility").
    kind = models.CharField(_("type"), max_length=64)
    # A free label shown to organisers, e.g. the edition the email is about.
    context = models.CharField(_("contexte"), max_length=200, blank=True)
    from_email = models.CharField(_("expéditeur"), max_length=254)
    to = models.JSONField(_("destinataires"), default=list)
    cc = models.JSONField(_("copie"), default=list, blank=True)
    bcc = models.JSONField(_("copie cachée"), default=list, blank=True)
    reply_to = models.JSONField(_("réponse à"), default=list, blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    subject = models.TextField(_("objet"))
    body = models.TextField(_("texte"), blank=True)
    html_body = models.TextField(_("version HTML"), blank=True)

    status = models.CharField(
        _("état"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # The attempt after which a failure is final; « Renvoyer » grants a fresh series.
    max_attempts = models.PositiveSmallIntegerField(_("tentatives permises"))
    # The last failure, as the mail server or the network told it (never a password).
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    @property
    def error_summary(self) -> str:
        """The last error in words an organiser can act on; the raw text stays beside it for
        whoever runs the server."""
        kind = self.last_error.split(":", 1)[0]
        for kinds, summary in ERROR_SUMMARIES:
            if kind in kinds:
                return str(summary)
        return str(_("le serveur de messagerie a refusé ou interrompu l'envoi")) if kind else ""


# Exception names (notifications.outbox.describe_error writes "Name: message") → what they mean.
ERROR_SUMMARIES = [
    (
        {"ConnectionRefusedError", "SMTPConnectError", "SMTPServerDisconnected", "gaierror"},
        _("le serveur de messagerie est injoignable ; un nouvel essai suivra"),
    ),
    ({"TimeoutError", "timeout"}, _("le serveur de messagerie n'a pas répondu à temps")),
    ({"SMTPAuthenticationError"}, _("le serveur de messagerie refuse les identifiants du site")),
    (
        {"SMTPRecipientsRefused"},
        _("le serveur de messagerie refuse l'adresse du destinataire : vérifiez-la"),
    ),
    ({"SMTPSenderRefused"}, _("le serveur de messagerie refuse l'adresse d'expédition du site")),
]


class OutgoingAttachment(models.Model):
    """A file sent with an email (a PDF receipt, an .ics invitation), kept for the retries.

    `raw_part` attachments are whole MIME parts, kept as bytes because their headers matter
    (« text/calendar; method=REQUEST »); the others are a file name, a type and the content.
    """

    email = models.ForeignKey(
        OutgoingEmail, models.CASCADE, related_name="attachments", verbose_name=_("courriel")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    filename = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    mimetype = models.CharField(_("type"), max_length=127)
    content = models.BinaryField(_("contenu"))
    raw_part = models.BooleanField(_("partie MIME entière"), default=False)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["email", "position"]
        constraints = [
            models.UniqueConstraint(fields=["email", "position"], name="unique_attachment_position")
        ]

    def __str__(self) -> str:
        return self.filename or self.mimetype
