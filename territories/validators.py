from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_is_valid(digits: str) -> bool:
    """The Luhn checksum that every SIREN satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siren(value: str) -> str:
    """Drop the spaces people type in a SIREN ("217 500 016")."""
    return "".join(value.split())


def validate_siren(value: str) -> None:
    siren = normalise_siren(value)
    if len(siren) != 9 or not siren.isdigit():
        raise ValidationError(
            _("Un numéro SIREN compte exactement 9 chiffres (vous avez saisi « %(value)s »)."),
            code="siren_format",
            params={"value": value},
        )
    if not luhn_is_valid(siren):
        raise ValidationError(
            _("Le numéro SIREN « %(value)s » n'est pas valide (clé de contrôle incorrecte)."),
            code="siren_checksum",
            params={"value": value},
        )
