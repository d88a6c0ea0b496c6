from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Référent de la structure")


class MembershipState(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    CONFIRMED = "confirmed", _("Confirmée")
    REJECTED = "rejected", _("Refusée")
