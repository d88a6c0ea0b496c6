"""What the legal page says of the publisher, the controller and the retention of personal
data: the organisers' settings (LEGAL_…, RETENTION_…_DAYS), never invented. While one is
empty the page says « à compléter » and `check --deploy` warns (catalogue.checks)."""

from django.conf import settings

# The settings the organisers must fill in, with the part of the page each one fills.
LEGAL_SETTINGS = [
    "LEGAL_PUBLISHER_ADDRESS",
    "LEGAL_PUBLISHER_ID",
    "LEGAL_PUBLICATION_DIRECTOR",
    "LEGAL_CONTROLLER",
    "LEGAL_CONTACT",
    "LEGAL_HOST",
    "LEGAL_BASIS",
]


def missing_legal_settings() -> list[str]:
    return [name for name in LEGAL_SETTINGS if not str(getattr(settings, name, "")).strip()]


def legal_context() -> dict[str, object]:
    context: dict[str, object] = {
        name.removeprefix("LEGAL_").lower(): str(getattr(settings, name, "")).strip()
        for name in LEGAL_SETTINGS
    }
    context["retention_days"] = {
        "dossiers": settings.RETENTION_DOSSIER_DAYS,
        "juror_comments": settings.RETENTION_JUROR_COMMENT_DAYS,
        "sign_ins": settings.RETENTION_SIGN_IN_DAYS,
        "unconfirmed_accounts": settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS,
    }
    return context
