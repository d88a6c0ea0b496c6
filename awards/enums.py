from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationRole(models.TextChoices):
    LEAD = "lead", _("Porteur")
    PARTNER = "partner", _("Co-porteur")
