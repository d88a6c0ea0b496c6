from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OrganisationMatch, OrganisationRole


class Award(models.Model):
    """A label awarded to a project in an edition (lauréat).

    Historical awards are imported from published palmarès and have no dossier; later ones come
    from a deliberation. Level and theme are null when the source did not publish them.
    """

    edition = models.ForeignKey("contests.Edition", models.PROTECT, related_name="awards")
    level = models.ForeignKey(
        "contests.Level", models.PROTECT, null=True, blank=True, related_name="awards"
    )
    theme = models.ForeignKey(
        "contests.Theme", models.PROTECT, null=True, blank=True, related_name="awards"
    )
    title = models.CharField(_("titre du projet"), max_length=300)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=140, unique=True)
    summary = models.TextField(_("résumé"), blank=True)
    notes = models.TextField(_("notes sur la source"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    organisations = models.ManyToManyField(
        "territories.Organisation", through="AwardOrganisation", related_name="awards"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("label décerné")
        verbose_name_plural = _("labels décernés")
        ordering = ["-edition__year", "level__rank", "title"]

    def __str__(self) -> str:
        return self.title


class AwardOrganisation(models.Model):
    award = models.ForeignKey(Award, models.CASCADE, related_name="award_organisations")
    organisation = models.ForeignKey(
        "territories.Organisation", models.PROTECT, related_name="award_organisations"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=OrganisationRole.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # The name exactly as the source published it, kept for transparency of the matching.
    published_name = models.CharField(_("nom publié"), max_length=200, blank=True)
    # How `organisation` was found for `published_name`: lets a page say « publié sous le nom
    # « Grand Lyon » ; aujourd'hui : Métropole de Lyon » for a successor.
    match = models.CharField(
        _("identification"),
        max_length=16,
        choices=OrganisationMatch.choices,
        default=OrganisationMatch.DECLARED,
    )

    class Meta:
        verbose_name = _("structure lauréate")
        verbose_name_plural = _("structures lauréates")
        ordering = ["award", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "organisation"], name="award_organisation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def published_under(self) -> str:
        """The name the palmarès published, when pages must show it beside the current name.

        Only for an alias or a successor whose published name differs from the referential's:
        a plain name match keeps the published spelling and needs no note.
        """
        renamed = self.match in {OrganisationMatch.ALIAS, OrganisationMatch.SUCCESSOR}
        if renamed and self.published_name and self.published_name != self.organisation.name:
            return self.published_name
        return ""
