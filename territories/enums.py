from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What a public body (or other organisation) is. The first seven come from the referential."""

    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    COMMUNE = "commune", _("Commune")
    METROPOLE = "metropole", _("Métropole")
    COMMUNAUTE_URBAINE = "communaute_urbaine", _("Communauté urbaine")
    COMMUNAUTE_AGGLOMERATION = "communaute_agglomeration", _("Communauté d'agglomération")
    COMMUNAUTE_COMMUNES = "communaute_communes", _("Communauté de communes")
    SYNDICAT = "syndicat", _("Syndicat mixte ou intercommunal")
    PARC_NATUREL_REGIONAL = "parc_naturel_regional", _("Parc naturel régional")
    OFFICE_TOURISME = "office_tourisme", _("Office ou comité de tourisme")
    ETABLISSEMENT_PUBLIC = "etablissement_public", _("Établissement public")
    ASSOCIATION = "association", _("Association")
    STARTUP = "startup", _("Start-up ou entreprise")
    OTHER = "other", _("Autre structure")

    @classmethod
    def epci_kinds(cls) -> frozenset["OrganisationKind"]:
        return frozenset(
            {
                cls.METROPOLE,
                cls.COMMUNAUTE_URBAINE,
                cls.COMMUNAUTE_AGGLOMERATION,
                cls.COMMUNAUTE_COMMUNES,
            }
        )

    @classmethod
    def referential_kinds(cls) -> frozenset["OrganisationKind"]:
        return cls.epci_kinds() | {cls.REGION, cls.DEPARTEMENT, cls.COMMUNE}

    @classmethod
    def added_kinds(cls) -> list[tuple[str, str]]:
        """Kinds an organiser may create by hand (not from the referential)."""
        return [(k.value, k.label) for k in cls if k not in cls.referential_kinds()]


# The EPCI "type" of @etalab/decoupage-administratif → our kind. MET69 is the Métropole de Lyon,
# a collectivité à statut particulier that the package lists with the EPCI.
EPCI_TYPES = {
    "METRO": OrganisationKind.METROPOLE,
    "MET69": OrganisationKind.METROPOLE,
    "CU": OrganisationKind.COMMUNAUTE_URBAINE,
    "CA": OrganisationKind.COMMUNAUTE_AGGLOMERATION,
    "CC": OrganisationKind.COMMUNAUTE_COMMUNES,
}


class PopulationBand(models.TextChoices):
    """Population bands used for facets and comparisons (bounds are inclusive lower bounds)."""

    UNDER_2K = "lt2k", _("Moins de 2 000 habitants")
    FROM_2K = "2k-10k", _("De 2 000 à 9 999 habitants")
    FROM_10K = "10k-50k", _("De 10 000 à 49 999 habitants")
    FROM_50K = "50k-200k", _("De 50 000 à 199 999 habitants")
    FROM_200K = "200k-1m", _("De 200 000 à 999 999 habitants")
    FROM_1M = "1m+", _("1 million d'habitants et plus")

    @property
    def bounds(self) -> tuple[int, int | None]:
        return POPULATION_BAND_BOUNDS[self]


POPULATION_BAND_BOUNDS: dict[PopulationBand, tuple[int, int | None]] = {
    PopulationBand.UNDER_2K: (0, 2_000),
    PopulationBand.FROM_2K: (2_000, 10_000),
    PopulationBand.FROM_10K: (10_000, 50_000),
    PopulationBand.FROM_50K: (50_000, 200_000),
    PopulationBand.FROM_200K: (200_000, 1_000_000),
    PopulationBand.FROM_1M: (1_000_000, None),
}


def population_band(population: int | None) -> PopulationBand | None:
    """The band a population falls in; None when the population is unknown."""
    if population is None:
        return None
    for band, (low, high) in POPULATION_BAND_BOUNDS.items():
        if population >= low and (high is None or population < high):
            return band
    raise ValueError(population)  # unreachable: the bands cover every non-negative number
