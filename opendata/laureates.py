"""The JSON form of an award in the public API (docs/architecture.md, "Public contract").

Unknown values are null, never invented: an award without a published level has "level": null,
an organisation outside the referential has null codes.
"""

from typing import TypedDict

from django.urls import reverse

from awards.distinctions import award_distinctions
from awards.models import Award, AwardOrganisation
from catalogue.search.indexing import region_code


class OrganisationData(TypedDict):
    name: str
    kind: str
    siren: str | None
    insee_code: str | None
    region_code: str | None


class DistinctionData(TypedDict):
    code: str
    name: str


class LaureateData(TypedDict):
    id: str
    contest: str
    year: int
    level: str | None
    distinctions: list[DistinctionData]
    theme: str | None
    title: str
    organisations: list[OrganisationData]
    url: str


def laureate_data(award: Award, base_url: str) -> LaureateData:
    """An award with its edition, level, theme, distinctions and organisations (with région)
    loaded. An award without distinctions has an empty list; without a level, "level": null
    (a distinction alone, or a level never published)."""
    return {
        "id": award.slug,
        "contest": award.edition.contest.slug,
        "year": award.edition.year,
        "level": award.level.code if award.level else None,
        "distinctions": [
            {"code": distinction.code, "name": distinction.name}
            for distinction in award_distinctions(award)
        ],
        "theme": award.theme.name if award.theme else None,
        "title": award.title,
        "organisations": [organisation_data(link) for link in award.award_organisations.all()],
        "url": base_url + reverse("catalogue:project", kwargs={"slug": award.slug}),
    }


def organisation_data(link: AwardOrganisation) -> OrganisationData:
    organisation = link.organisation
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "siren": organisation.siren or None,
        "insee_code": organisation.insee_code or None,
        "region_code": region_code(organisation) or None,
    }
