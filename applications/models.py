from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import ApplicationState, ProjectStage, QuestionKind, QuestionVisibility, VideoKind


def private_upload_path(instance: models.Model, filename: str) -> str:
    """Uploads live under MEDIA_ROOT (never under the static tree), named by random token.

    The original name is kept in the row; the stored name tells nothing about the content.
    """
    import secrets

    application = getattr(instance, "application", instance)
    return f"applications/{application.reference}/{secrets.token_hex(16)}"


class Application(models.Model):
    """A dossier (candidature) of a lead organisation, possibly with partners, for an edition."""

    edition = models.ForeignKey(
        "contests.Edition", models.PROTECT, related_name="applications", verbose_name=_("édition")
    )
    # Public, stable code used in URLs ("LTI-2026-0042"), never the database id.
    reference = models.CharField(_("référence"), max_length=32, unique=True)
    lead_organisation = models.ForeignKey(
        "territories.Organisation",
        models.PROTECT,
        related_name="led_applications",
        verbose_name=_("structure porteuse"),
    )
    partners = models.ManyToManyField(
        "territories.Organisation",
        through="ApplicationPartner",
        related_name="partner_applications",
        verbose_name=_("co-porteurs"),
    )
    # Empty once its author deleted their account: the dossier stays with its structure.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    state = models.CharField(
        _("état"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    # Optimistic locking: every save of the content increments it; a save based on an older
    # version is refused instead of overwriting someone else's changes.
    version = models.PositiveIntegerField(default=1)

    theme = models.ForeignKey(
        "contests.Theme",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("thème"),
    )
    title = models.CharField(_("titre du projet"), max_length=200, blank=True)
    summary = models.TextField(_("résumé"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    project_stage = models.CharField(
        _("stade du projet"), max_length=16, choices=ProjectStage.choices, blank=True
    )
    started_on = models.DateField(_("début du projet"), null=True, blank=True)
    deployed_on = models.DateField(_("mise en service"), null=True, blank=True)
    budget_euros = models.DecimalField(
        _("budget (euros)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding = models.TextField(_("financements"), blank=True)
    audience = models.TextField(_("publics ou services touchés"), blank=True)
    indicators = models.TextField(_("indicateurs"), blank=True)
    repository_url = models.URLField(_("dépôt du code source"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    contact_name = models.CharField(_("personne à contacter"), max_length=150, blank=True)
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    # Set when organisers reopen a submitted dossier: it may be submitted again until then.
    reopened_until = models.DateTimeField(_("à redéposer avant le"), null=True, blank=True)

    video_kind = models.CharField(
        _("vidéo de présentation"), max_length=8, choices=VideoKind.choices, blank=True
    )
    video_url = models.URLField(_("lien vers la vidéo"), blank=True)
    video_file = models.FileField(
        _("fichier vidéo"), upload_to=private_upload_path, blank=True, max_length=300
    )
    video_original_name = models.CharField(max_length=255, blank=True)
    # Measured by ffprobe for an upload; null for a link ("duration not checked").
    video_duration_seconds = models.FloatField(null=True, blank=True)

    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    # SHA-256 of the submitted content, printed on the receipt.
    submitted_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When its files and contact details were removed at the end of their retention period
    # (applications.retention); the rest stays for the edition's figures.
    purged_at = models.DateTimeField(_("données purgées le"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["edition", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title or _('(sans titre)')}"


class ApplicationPartner(models.Model):
    """A partner organisation (co-porteur); its confirmed members may read and edit the dossier."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="application_partners"
    )
    organisation = models.ForeignKey(
        "territories.Organisation", models.PROTECT, related_name="application_partnerships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("co-porteur")
        verbose_name_plural = _("co-porteurs")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="application_partner_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class CriterionAnswer(models.Model):
    """What the applicants say of their project against one criterion of the edition."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="criterion_answers")
    criterion = models.ForeignKey("contests.Criterion", models.PROTECT, related_name="answers")
    text = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("réponse à un critère")
        verbose_name_plural = _("réponses aux critères")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} / {self.criterion}"


class Question(models.Model):
    """An extra question of an edition, defined by the organisers."""

    edition = models.ForeignKey("contests.Edition", models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("aide"), blank=True)
    kind = models.CharField(_("type de réponse"), max_length=16, choices=QuestionKind.choices)
    # One choice per line, for single and multiple choice questions.
    choices = models.TextField(_("choix proposés"), blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    visibility = models.CharField(
        _("visibilité"),
        max_length=16,
        choices=QuestionVisibility.choices,
        default=QuestionVisibility.JURY,
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("question complémentaire")
        verbose_name_plural = _("questions complémentaires")
        ordering = ["edition", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Answer(models.Model):
    """An answer to an extra question: text, a number, choices (one per line) or a file."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)
    file = models.FileField(upload_to=private_upload_path, blank=True, max_length=300)
    file_original_name = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} / {self.question}"


class Attachment(models.Model):
    """A PDF or image attached to a dossier, its type checked from its content."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="attachments")
    # Public, random token used in download URLs.
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=private_upload_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Transition(models.Model):
    """The activity log of a dossier's workflow: who moved it, when, from which state, why."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ApplicationState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("changement d'état")
        verbose_name_plural = _("changements d'état")
        ordering = ["application", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_state=models.F("to_state")), name="transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.from_state or '∅'} → {self.to_state}"


# Organisers' emails to applicants (applications/mailing.py).


class Mailing(models.Model):
    """A templated email an organiser sent to the applicants of a filtered list of dossiers.

    The filters are kept as they were in the list's query string, so the record says which
    dossiers were aimed at; `sent_at` and the counts are filled in when the task has sent it.
    """

    edition = models.ForeignKey(
        "contests.Edition", models.CASCADE, related_name="mailings", verbose_name=_("édition")
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    applications_count = models.PositiveIntegerField(_("dossiers"), default=0)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)

    class Meta:
        verbose_name = _("courriel aux candidats")
        verbose_name_plural = _("courriels aux candidats")
        ordering = ["edition", "-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class ReminderSent(models.Model):
    """A deadline reminder sent for a dossier, so that a reminder is never sent twice."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="reminders_sent", verbose_name=_("dossier")
    )
    # The `--days` of the run that sent it: a 7-day and a 1-day reminder are two reminders.
    days_before = models.PositiveSmallIntegerField(_("jours avant la date limite"))
    sent_at = models.DateTimeField(_("envoyé le"))
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["application", "days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "days_before"], name="reminder_sent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} J-{self.days_before}"
