"""The referential's queries, on the real imported data."""

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from territories.domain import (
    communes_of,
    create_organisation,
    departement_of,
    epci_of,
    population_band,
    region_of,
    search_organisations,
)
from territories.enums import OrganisationKind, PopulationBand
from territories.models import Organisation
from territories.validators import luhn_is_valid

from ..factories import OrganisationFactory


def commune(insee_code: str) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code=insee_code)


def epci(siren: str) -> Organisation:
    return Organisation.objects.epcis().get(siren=siren)


def departement(code: str) -> Organisation:
    return Organisation.objects.get(kind="departement", insee_code=code)


def region(code: str) -> Organisation:
    return Organisation.objects.get(kind="region", insee_code=code)


def valid_siren(prefix: str) -> str:
    """The 9-digit SIREN with these 8 first digits and a correct Luhn key."""
    return next(prefix + key for key in "0123456789" if luhn_is_valid(prefix + key))


# --- EPCI, département, région -------------------------------------------------------------


@pytest.mark.parametrize(
    ("insee_code", "epci_name", "kind"),
    [
        ("31555", "Toulouse Métropole", OrganisationKind.METROPOLE),
        ("35238", "Rennes Métropole", OrganisationKind.METROPOLE),
        ("69123", "Métropole de Lyon", OrganisationKind.METROPOLE),
        (
            "51230",
            "CA Epernay, Coteaux et Plaine de Champagne",
            OrganisationKind.COMMUNAUTE_AGGLOMERATION,
        ),
    ],
)
def test_epci_of_commune_is_its_epci(db, insee_code, epci_name, kind):
    found = epci_of(commune(insee_code))

    assert (found.name, found.kind) == (epci_name, kind)


def test_epci_of_commune_outside_any_epci_is_none(db):
    assert epci_of(commune("29083")) is None  # Île-de-Sein


def test_epci_of_non_commune_is_none(db):
    assert epci_of(departement("35")) is None


def test_communes_of_rennes_metropole_are_its_package_members(db):
    package = json.loads((Path(settings.TERRITORIES_DATA_DIR) / "epci.json").read_text("utf-8"))
    members = next(e["membres"] for e in package if e["code"] == "243500139")

    communes = communes_of(epci("243500139"))

    assert communes.count() == len(members) == 43
    assert set(communes.values_list("insee_code", flat=True)) == {m["code"] for m in members}
    assert communes.first().name == "Acigné"  # by name


def test_communes_of_non_epci_is_empty(db):
    assert communes_of(departement("35")).count() == 0


def test_departement_of_each_kind(db):
    haute_garonne = departement("31")

    assert departement_of(epci("243100518")) == haute_garonne  # Toulouse Métropole
    assert departement_of(commune("31555")) == haute_garonne  # Toulouse
    assert departement_of(haute_garonne) == haute_garonne
    assert departement_of(region("76")) is None


def test_region_of_each_kind(db):
    occitanie = region("76")

    assert region_of(departement("31")) == occitanie
    assert region_of(epci("243100518")) == occitanie
    assert region_of(commune("31555")) == occitanie
    assert region_of(occitanie) == occitanie
    assert occitanie.name == "Occitanie"


def test_departement_and_region_of_hand_added_body(db):
    association = OrganisationFactory(departement=departement("35"))
    without_place = OrganisationFactory()

    assert departement_of(association).name == "Ille-et-Vilaine"
    # Its région was not stored: the département still knows it.
    assert region_of(association).name == "Bretagne"
    assert (departement_of(without_place), region_of(without_place)) == (None, None)


def test_population_band_is_reexported(db):
    assert population_band(commune("35238").population) == PopulationBand.FROM_200K
    assert population_band(None) is None


# --- search ------------------------------------------------------------------------------


def codes(results) -> list[str]:
    return [o.insee_code or o.siren for o in results]


def test_search_without_accents_finds_epernay_first(db):
    results = list(search_organisations("epernay"))

    assert [o.name for o in results] == [
        "Épernay",
        "Épernay-sous-Gevrey",
        "CA Epernay, Coteaux et Plaine de Champagne",
    ]


def test_search_is_case_and_accent_insensitive(db):
    assert codes(search_organisations("ÉPERNAY"))[0] == "51230"
    assert codes(search_organisations("Marcq-en-Barœul")) == ["59378"]


def test_search_by_postcode(db):
    package = json.loads((Path(settings.TERRITORIES_DATA_DIR) / "communes.json").read_text("utf-8"))
    expected = {
        c["code"]
        for c in package
        if c["type"] == "commune-actuelle" and "51200" in c.get("codesPostaux", [])
    }

    results = codes(search_organisations("51200"))

    assert expected == {"51230"}
    # Épernay by its postcode, then Cuis, whose INSEE code is 51200 (smaller population).
    assert results == ["51230", "51200"]


def test_search_by_siren_with_spaces(db):
    assert [o.name for o in search_organisations("200 067 213")] == ["CU du Grand Reims"]


def test_search_by_insee_code(db):
    assert [o.name for o in search_organisations("35238")] == ["Rennes"]
    assert [o.name for o in search_organisations("2a004")] == ["Ajaccio"]
    assert [o.name for o in search_organisations("35")] == ["Ille-et-Vilaine"]


def test_search_with_every_word_in_any_order(db):
    assert [o.name for o in search_organisations("metropole rennes")] == ["Rennes Métropole"]


def test_search_ranks_word_starts_before_inner_matches(db):
    results = [o.name for o in search_organisations("rennes", limit=None)]

    assert results[:2] == ["Rennes", "Rennes Métropole"]
    assert "Rennes-le-Château" in results
    assert "Brennes" not in results[:3]


@pytest.mark.parametrize("query", ["xqzwvk", "!!!", "", "   ", "000000000"])
def test_search_nonsense_finds_nothing(db, query):
    assert list(search_organisations(query)) == []


def test_search_limit(db):
    assert len(search_organisations("saint")) == 20
    assert len(search_organisations("saint", limit=5)) == 5
    assert search_organisations("saint", limit=None).count() > 4000


# --- create_organisation -----------------------------------------------------------------


def test_create_organisation_from_commune_derives_departement_and_region(db, organiser, caplog):
    siren = valid_siren("12345678")

    with caplog.at_level(logging.INFO, logger="activity"):
        syndicat = create_organisation(
            kind=OrganisationKind.SYNDICAT,
            name="  Syndicat mixte  Mégalis Bretagne ",
            siren=f"{siren[:3]} {siren[3:6]} {siren[6:]}",
            commune=commune("35238"),
            website="https://megalis.bretagne.bzh",
            by=organiser,
        )

    syndicat.refresh_from_db()
    assert (syndicat.name, syndicat.slug, syndicat.siren) == (
        "Syndicat mixte  Mégalis Bretagne",
        "syndicat-mixte-megalis-bretagne",
        siren,
    )
    assert (syndicat.departement.insee_code, syndicat.region.insee_code) == ("35", "53")
    assert syndicat.from_referential is False
    assert [r.getMessage() for r in caplog.records if r.name == "activity"] == [
        f"organisation syndicat-mixte-megalis-bretagne (syndicat, SIREN {siren}) "
        f"created by user {organiser.pk}"
    ]


def test_create_organisation_from_departement(db, organiser):
    parc = create_organisation(
        kind=OrganisationKind.PARC_NATUREL_REGIONAL,
        name="Parc naturel régional d'Armorique",
        siren=valid_siren("25290001"),
        departement=departement("29"),
        by=organiser,
    )

    assert (parc.departement.name, parc.region.name) == ("Finistère", "Bretagne")


def test_create_organisation_gives_unique_slugs(db, organiser):
    first = create_organisation(
        kind="association", name="Nouvelle", siren=valid_siren("11111111"), by=organiser
    )
    second = create_organisation(
        kind="association", name="Nouvelle", siren=valid_siren("22222222"), by=organiser
    )

    # "nouvelle" is the path of the creation page.
    assert (first.slug, second.slug) == ("nouvelle-2", "nouvelle-3")


def test_create_organisation_refuses_referential_kind(db, organiser):
    with pytest.raises(ValueError, match="comes from the referential"):
        create_organisation(
            kind=OrganisationKind.COMMUNE, name="X", siren=valid_siren("33333333"), by=organiser
        )


def test_create_organisation_refuses_invalid_siren(db, organiser):
    with pytest.raises(ValidationError) as error:
        create_organisation(kind="association", name="X", siren="123456789", by=organiser)

    assert error.value.messages == [
        "Le numéro SIREN « 123456789 » n'est pas valide (clé de contrôle incorrecte)."
    ]
    assert not Organisation.objects.filter(name="X").exists()
