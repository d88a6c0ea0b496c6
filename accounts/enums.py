from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Référent de la structure")


class MembershipState(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    CONFIRMED = "confirmed", _("Confirmée")
    REJECTED = "rejected", _("Refusée")


class MembershipRequestOutcome(models.TextChoices):
    """What became of a request to join a structure (domain.request_membership says it)."""

    CONFIRMED_BY_DOMAIN = "confirmed_by_domain", _("Confirmé : domaine vérifié")
    PENDING = "pending", _("En attente de confirmation")
    # The address's domain is verified for the structure, but the address itself is not yet
    # confirmed: the request waits for it (domain.mark_email_confirmed then confirms it).
    PENDING_EMAIL_UNCONFIRMED = "pending_email_unconfirmed", _("En attente : adresse à confirmer")
    ALREADY_REQUESTED = "already_requested", _("Déjà demandé")
