from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    REGIONAL = "regional", _("Sélection régionale")
    NATIONAL = "national", _("Jury national")
    # The shortlisted dossiers pitch to the jury in sessions (jury.models.auditions).
    AUDITION = "audition", _("Auditions")


class PromotionRule(models.TextChoices):
    """How a round decides which of its dossiers go on to the next round."""

    TOP_N = "top_n", _("Les N premiers de chaque thème")
    THRESHOLD = "threshold", _("Les dossiers dont la note atteint un seuil")
    MANUAL = "manual", _("Au choix des organisateurs")


class PromotionState(models.TextChoices):
    STAGED = "staged", _("Proposée")
    APPLIED = "applied", _("Appliquée")


class JurorState(models.TextChoices):
    INVITED = "invited", _("Invité")
    ACCEPTED = "accepted", _("A accepté")
    DECLINED = "declined", _("A décliné")


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Déclaré par le juré")
    DETECTED = "detected", _("Détecté d'après le référentiel")


class ConflictReason(models.TextChoices):
    """Why a juror is in conflict with a dossier; the detected ones come from the referential."""

    DECLARED = "declared", _("Déclaration du juré")
    LEAD = "lead", _("L'institution du juré porte le dossier")
    PARTNER = "partner", _("L'institution du juré est co-porteuse du dossier")
    SAME_TERRITORY = "same_territory", _("Même territoire")
    COMMUNE_EPCI = "commune_epci", _("Une commune et son intercommunalité")
    WITHIN_DEPARTEMENT = "within_departement", _("Le département englobe l'autre structure")
    WITHIN_REGION = "within_region", _("La région englobe l'autre structure")


class ConflictStatus(models.TextChoices):
    """A declared conflict is in force at once; a detected one until an organiser dismisses it."""

    IN_FORCE = "in_force", _("À examiner")
    CONFIRMED = "confirmed", _("Confirmé")
    DISMISSED = "dismissed", _("Écarté")

    @classmethod
    def effective(cls) -> frozenset["ConflictStatus"]:
        """Statuses that keep the juror away from the dossier."""
        return frozenset({cls.IN_FORCE, cls.CONFIRMED})


class AssignmentSource(models.TextChoices):
    SOLVER = "solver", _("Affectation optimale")
    MANUAL = "manual", _("Ajout manuel")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Envoyée")
