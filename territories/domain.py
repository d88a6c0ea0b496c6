"""Queries and the one state change of the referential that every later feature builds on.

Régions, départements, communes and EPCI are written by the importer only (territories/importer.py);
the one change users make is adding a body that is not in the referential (`create_organisation`).
The search, shared by every page that looks a structure up, lives in territories/search.py.
"""

import logging

from django.db.models import QuerySet
from django.utils.text import slugify

from .enums import OrganisationKind, population_band
from .models import Organisation
from .search import query_problem, search_organisations
from .suggestions import NoMatch, explain_no_match
from .validators import normalise_siren, validate_siren

__all__ = [
    "NoMatch",
    "communes_of",
    "create_organisation",
    "departement_of",
    "epci_of",
    "explain_no_match",
    "free_slug",
    "population_band",
    "query_problem",
    "record_outside_referential",
    "region_of",
    "search_organisations",
]

activity = logging.getLogger("activity")

# Path segments of territories/urls.py that a slug must not shadow.
RESERVED_SLUGS = frozenset({"nouvelle"})


def epci_of(commune: Organisation) -> Organisation | None:
    """The EPCI à fiscalité propre a commune belongs to; None for a commune outside any EPCI
    (Île-de-Sein, Ouessant…), for a commune that left the referential, and for anything that is
    not a commune."""
    if commune.kind != OrganisationKind.COMMUNE:
        return None
    return commune.epci


def communes_of(epci: Organisation) -> QuerySet[Organisation]:
    """The current member communes of an EPCI, by name. Empty for anything that is not an EPCI."""
    return Organisation.objects.filter(epci=epci, kind=OrganisationKind.COMMUNE).order_by(
        "search_name", "insee_code"
    )


def departement_of(organisation: Organisation) -> Organisation | None:
    """The département an organisation lies in.

    A département is its own; a région spans several, so None; an EPCI has the one holding most of
    its population (stored by the importer); a commune has its own; a body added by hand has the
    one given when it was created, if any.
    """
    if organisation.kind == OrganisationKind.DEPARTEMENT:
        return organisation
    if organisation.kind == OrganisationKind.REGION:
        return None
    return organisation.departement


def region_of(organisation: Organisation) -> Organisation | None:
    """The région an organisation lies in; a région is its own."""
    if organisation.kind == OrganisationKind.REGION:
        return organisation
    if organisation.region_id is not None:
        return organisation.region
    # Bodies created before their région was derived: the département still knows it.
    departement = departement_of(organisation)
    return departement.region if departement is not None else None


def create_organisation(
    *,
    kind: str,
    name: str,
    siren: str,
    departement: Organisation | None = None,
    commune: Organisation | None = None,
    website: str = "",
    by,
    listed: bool = True,
) -> Organisation:
    """Add a body that is not in the official referential (syndicat, parc, association…).

    Steps: check the kind is one organisers may add and the SIREN is valid; derive the
    département and région from the commune (or else from the département) given; pick a free
    slug from the name; save with `from_referential=False`; log who created it ("activity").
    A SIREN already used by another organisation raises django's IntegrityError: forms check it
    first to give a readable message. `listed` False keeps it out of the public referential
    until someone trusted vouches for it (a declared company, accounts.companies).
    """
    if kind not in {value for value, _label in OrganisationKind.added_kinds()}:
        raise ValueError(f"{kind!r} comes from the referential and cannot be added by hand.")
    siren = normalise_siren(siren)
    validate_siren(siren)
    if commune is not None:
        departement = commune.departement
    region = departement.region if departement is not None else None
    organisation = Organisation.objects.create(
        kind=kind,
        name=name.strip(),
        slug=free_slug(name),
        siren=siren,
        departement=departement,
        region=region,
        website=website,
        from_referential=False,
        listed=listed,
    )
    activity.info(
        "organisation %s (%s, SIREN %s) created by user %s",
        organisation.slug,
        organisation.kind,
        organisation.siren,
        getattr(by, "pk", None),
    )
    return organisation


def record_outside_referential(
    *,
    name: str,
    kind: str,
    by=None,
    departement: Organisation | None = None,
    region: Organisation | None = None,
) -> Organisation:
    """Record a structure a published palmarès names and the referential does not hold (an
    association, a national public agency, a syndicat mixte…), with no SIREN known.

    Steps: check the kind is one organisers may add (OrganisationKind.added_kinds); pick a free
    slug from the name; save with `from_referential=False` and listed (whoever records it, an
    organiser or the import of a published palmarès, vouches for a name already public); log
    who recorded it ("activity"; None: a management command).
    """
    if kind not in {value for value, _label in OrganisationKind.added_kinds()}:
        raise ValueError(f"{kind!r} comes from the referential and cannot be added by hand.")
    organisation = Organisation.objects.create(
        kind=kind,
        name=name.strip(),
        slug=free_slug(name),
        departement=departement,
        region=region if region is not None else getattr(departement, "region", None),
        from_referential=False,
        listed=True,
    )
    activity.info(
        "organisation %s (%s) recorded outside the referential by user %s",
        organisation.slug,
        organisation.kind,
        getattr(by, "pk", None),
    )
    return organisation


def free_slug(name: str) -> str:
    """A slug for the name that no organisation uses yet ("syndicat-x", then "syndicat-x-2"…)."""
    base = slugify(name)[:100] or "structure"
    taken = RESERVED_SLUGS | set(
        Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate
