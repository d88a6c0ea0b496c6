from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperienceShare(models.Model):
    """The laureate's « retour d'expérience », written by the laureate's members."""

    award = models.OneToOneField(
        "awards.Award", models.CASCADE, related_name="experience", verbose_name=_("label")
    )
    outcomes = models.TextField(_("résultats obtenus"), blank=True)
    costs = models.TextField(_("coûts et moyens"), blank=True)
    lessons = models.TextField(_("enseignements"), blank=True)
    reused_by = models.TextField(_("qui l'a réutilisé"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")

    def __str__(self) -> str:
        return str(self.award)


class ExperienceRequest(models.Model):
    """An agent asks a laureate to share its experience; relayed without exposing addresses."""

    award = models.ForeignKey("awards.Award", models.CASCADE, related_name="experience_requests")
    # Public, random token used in URLs (the laureate answers from the platform).
    token = models.CharField(max_length=32, unique=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    requester_organisation = models.ForeignKey(
        "territories.Organisation", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de partage d'expérience")
        verbose_name_plural = _("demandes de partage d'expérience")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.award} ← {self.requester}"


# The search index's models live with the search code (catalogue/search/); Django finds them here.
from .search.models import SearchDocument, SearchIndexState  # noqa: E402, F401
