import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from territories.validators import luhn_is_valid, normalise_siren, validate_siren

DATA_DIR = Path(settings.TERRITORIES_DATA_DIR)


def package_sirens() -> list[str]:
    communes = json.loads((DATA_DIR / "communes.json").read_text("utf-8"))
    epcis = json.loads((DATA_DIR / "epci.json").read_text("utf-8"))
    return [c["siren"] for c in communes if c.get("siren")] + [e["code"] for e in epcis]


def test_every_siren_of_the_package_is_valid():
    sirens = package_sirens()

    refused = [siren for siren in sirens if not luhn_is_valid(siren)]

    assert len(sirens) > 36_000
    assert refused == []
    validate_siren("243 500 139")  # Rennes Métropole, typed with spaces


def test_normalise_siren_drops_spaces():
    assert normalise_siren(" 200 067\t213 ") == "200067213"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "200067214",
            "Le numéro SIREN « 200067214 » n'est pas valide (clé de contrôle incorrecte).",
        ),
        (
            "20006721",
            "Un numéro SIREN compte exactement 9 chiffres (vous avez saisi « 20006721 »).",
        ),
        (
            "2000672130",
            "Un numéro SIREN compte exactement 9 chiffres (vous avez saisi « 2000672130 »).",
        ),
        (
            "20006721A",
            "Un numéro SIREN compte exactement 9 chiffres (vous avez saisi « 20006721A »).",
        ),
    ],
)
def test_invalid_siren_is_refused_with_french_message(value, message):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)

    assert error.value.messages == [message]
