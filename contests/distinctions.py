"""Distinctions an edition awards besides its levels (or alone): taken from its contest.

A contest lists its distinctions once (ContestDistinction, on its organisers' page); a new edition
copies them as it copies the default levels, and an edition created before they were listed takes
them later (`take_contest_distinctions`, from the edition's distinctions page). Copies, not
references: renaming a contest's distinction never rewrites a published year.
"""

from django.db import transaction

from .models import Contest, ContestDistinction, Distinction, Edition


def _copy(edition: Edition, rows) -> list[Distinction]:
    return Distinction.objects.bulk_create(
        Distinction(
            edition=edition,
            code=row.code,
            name=row.name,
            description=row.description,
            position=row.position,
        )
        for row in rows
    )


@transaction.atomic
def take_contest_distinctions(edition: Edition) -> list[Distinction]:
    """Copy into `edition` the contest's distinctions it does not have yet (by code or by name,
    the edition's own wording winning); returns those added, in the contest's order."""
    held = list(edition.distinctions.values_list("code", "name"))
    codes = {code for code, _name in held}
    names = {name.casefold() for _code, name in held}
    missing = [
        row
        for row in edition.contest.default_distinctions.all()
        if row.code not in codes and row.name.casefold() not in names
    ]
    return _copy(edition, missing)


def copy_distinctions(source: Edition, edition: Edition) -> list[Distinction]:
    """Next year's edition starts with this year's distinctions, as it does with its levels."""
    return _copy(edition, source.distinctions.all())


def contest_distinctions(contest: Contest) -> list[ContestDistinction]:
    return list(contest.default_distinctions.all())
