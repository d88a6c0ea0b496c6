"""Structures by their full official name."""

import pytest

from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.official_names import official_name


@pytest.mark.parametrize(
    ("kind", "name", "code", "expected"),
    [
        ("commune", "Brest", "29019", "Commune de Brest"),
        ("commune", "Le Mans", "72181", "Commune du Mans"),
        ("commune", "Les Sables-d'Olonne", "85194", "Commune des Sables-d'Olonne"),
        ("commune", "Angers", "49007", "Commune d'Angers"),
        ("commune", "La Rochelle", "17300", "Commune de La Rochelle"),
        ("departement", "Finistère", "29", "Département du Finistère"),
        ("departement", "Haute-Garonne", "31", "Département de la Haute-Garonne"),
        ("departement", "Ain", "01", "Département de l'Ain"),
        ("departement", "Bouches-du-Rhône", "13", "Département des Bouches-du-Rhône"),
        ("departement", "Ille-et-Vilaine", "35", "Département d'Ille-et-Vilaine"),
        ("departement", "Maine-et-Loire", "49", "Département de Maine-et-Loire"),
        ("region", "Bretagne", "53", "Région Bretagne"),
        ("communaute_agglomeration", "Rennes Métropole", None, "Rennes Métropole"),
    ],
)
def test_official_names(kind, name, code, expected):
    assert official_name(kind, name, code) == expected


@pytest.mark.django_db
def test_the_referential_bodies_say_their_official_name(brest):
    finistere = Organisation.objects.get(kind=OrganisationKind.DEPARTEMENT, insee_code="29")

    assert (brest.official_name, finistere.official_name) == (
        "Commune de Brest",
        "Département du Finistère",
    )
