from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationRole(models.TextChoices):
    LEAD = "lead", _("Porteur")
    PARTNER = "partner", _("Co-porteur")


class OrganisationMatch(models.TextChoices):
    """How an award's organisation was identified in the referential, shown beside its name."""

    NAME = "name", _("Rapprochée du référentiel par son nom")
    ALIAS = "alias", _("Ancien nom ou nom d'usage de la même structure")
    # The published body merged into this one: pages name both, never as the same body.
    SUCCESSOR = "successor", _("Structure qui lui a succédé")
    UNVERIFIED = "unverified", _("Non vérifiée (hors référentiel)")
    # Chosen from the referential by the applicant (awards that come from a dossier).
    DECLARED = "declared", _("Choisie dans le référentiel")


class ScoreMethod(models.TextChoices):
    MEAN = "mean", _("Moyenne pondérée")
    MEDIAN = "median", _("Médiane")


class DeliberationState(models.TextChoices):
    """Open while the jury deliberates; validated (frozen) by the president; then published."""

    OPEN = "open", _("En cours")
    VALIDATED = "validated", _("Validée par la présidence du jury")
    PUBLISHED = "published", _("Publiée")


class UnexaminedOutcome(models.TextChoices):
    """What publication makes of a dossier still in competition that no round examined, as the
    organisers decide it; the values are the dossier states it then gets."""

    NOT_AWARDED = "not_awarded", _("Non labellisé")
    INELIGIBLE = "ineligible", _("Irrecevable")
