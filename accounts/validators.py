"""Checks on the email domains organisers verify for a structure (shared by forms and domain)."""

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.utils.translation import gettext_lazy as _

# Addresses anyone can open: verifying one of these for a structure would let every user of
# the provider join it without anyone checking. The list holds the providers French agents use
# most; an organiser who needs another one refused can still confirm people one by one.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "bbox.fr",
        "free.fr",
        "gmail.com",
        "gmx.com",
        "gmx.fr",
        "googlemail.com",
        "hotmail.com",
        "hotmail.fr",
        "icloud.com",
        "laposte.net",
        "live.com",
        "live.fr",
        "me.com",
        "msn.com",
        "neuf.fr",
        "orange.fr",
        "outlook.com",
        "outlook.fr",
        "proton.me",
        "protonmail.com",
        "sfr.fr",
        "wanadoo.fr",
        "yahoo.com",
        "yahoo.fr",
    }
)

_domain_name = DomainNameValidator(
    message=_("« %(value)s » n'est pas un nom de domaine (exemple : ville-epernay.fr).")
)


def normalise_domain(value: str) -> str:
    """What an organiser typed, as stored: "@Ville-Epernay.FR " → "ville-epernay.fr"."""
    return value.strip().lstrip("@").rstrip(".").lower()


def validate_verifiable_domain(value: str) -> None:
    """A normalised domain that may be verified for a structure: a real name, not a webmail."""
    _domain_name(value)  # also refuses a name without a top-level domain ("localhost")
    if value in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            _(
                "« %(value)s » est une messagerie ouverte à tous : n'importe qui pourrait s'y "
                "créer une adresse. Seul le domaine propre à la structure peut être vérifié."
            ),
            code="public_mail_domain",
            params={"value": value},
        )
