"""System checks of the accounts app."""

from django.core.checks import Warning, register


@register("security")
def superusers_are_not_organisers(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """A superuser is the technical administrator; it should not also run contests.

    Nothing breaks if it does (domain permissions never come from `is_superuser`), but one
    account holding both roles makes the technical admin a way around the organisers' trail.
    Reads the database, so it runs only when the check is given one (`check --database default`,
    `migrate`).
    """
    if not databases:
        return []
    from django.db import connections

    from .models import User  # the app registry is ready when checks run

    emails = []
    for alias in databases:
        # `migrate` runs the checks before it creates the tables: nothing to read yet.
        if User._meta.db_table not in connections[alias].introspection.table_names():
            continue
        emails += (
            User.objects.using(alias)
            .filter(is_superuser=True, is_organiser=True)
            .order_by("email")
            .values_list("email", flat=True)[:10]
        )
    if not emails:
        return []
    return [
        Warning(
            f"Superuser account(s) also organiser: {', '.join(emails)}.",
            hint=(
                "Keep the technical administration (superuser) and the organisers' role on "
                "separate accounts: untick « organisateur » or « superuser » in the admin."
            ),
            id="accounts.W001",
        )
    ]
