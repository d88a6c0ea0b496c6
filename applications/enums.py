from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    """The lifecycle of a dossier (DESIGN.md). Every change goes through
    `applications.domain.set_application_state`."""

    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    REOPENED = "reopened", _("Rouvert pour modification")
    WITHDRAWN = "withdrawn", _("Retiré")
    INELIGIBLE = "ineligible", _("Irrecevable")
    ELIMINATED = "eliminated", _("Éliminé")
    SHORTLISTED = "shortlisted", _("Retenu pour l'audition")
    AUDITIONED = "auditioned", _("Auditionné")
    AWARDED = "awarded", _("Labellisé")
    NOT_AWARDED = "not_awarded", _("Non labellisé")

    @classmethod
    def editable(cls) -> frozenset["ApplicationState"]:
        """States in which the applicants may change the dossier."""
        return frozenset({cls.DRAFT, cls.REOPENED})

    @classmethod
    def withdrawable(cls) -> frozenset["ApplicationState"]:
        """States from which the applicants may withdraw (until deliberation)."""
        return frozenset({cls.DRAFT, cls.SUBMITTED, cls.REOPENED, cls.SHORTLISTED, cls.AUDITIONED})

    @classmethod
    def submitted_states(cls) -> frozenset["ApplicationState"]:
        """Dossiers that count as received by the organisers."""
        return frozenset(
            {
                cls.SUBMITTED,
                cls.INELIGIBLE,
                cls.ELIMINATED,
                cls.SHORTLISTED,
                cls.AUDITIONED,
                cls.AWARDED,
                cls.NOT_AWARDED,
            }
        )


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("Idée")
    PILOT = "pilot", _("Expérimentation")
    DEPLOYED = "deployed", _("Déployé")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    SINGLE_CHOICE = "single_choice", _("Choix unique")
    MULTIPLE_CHOICE = "multiple_choice", _("Choix multiple")
    NUMBER = "number", _("Nombre")
    FILE = "file", _("Fichier")


class QuestionVisibility(models.TextChoices):
    JURY = "jury", _("Visible du jury seulement")
    PUBLISHED = "published", _("Publiée avec le label")


class VideoKind(models.TextChoices):
    NONE = "", _("Pas de vidéo")
    UPLOAD = "upload", _("Fichier déposé")
    LINK = "link", _("Lien")
