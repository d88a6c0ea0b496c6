"""What every organiser page of a round starts with: the round, checked, and its context."""

from django.http import HttpRequest

from palmares.permissions import get_object_or_404_with_perm

from ..models import Round

# The organiser pages of a round live under this prefix (after the edition's pages).
ROUND_PATH = "organisation/concours/<slug:contest_slug>/<int:year>/tours/<slug:round_slug>/"
ROUNDS = Round.objects.select_related("edition__contest")


def organiser_round(
    request: HttpRequest,
    contest_slug: str,
    year: int,
    round_slug: str,
    perm: str = "jury.manage_selection",
) -> Round:
    """The round of an organiser page: 404 if unknown, 403 for anyone without `perm`."""
    return get_object_or_404_with_perm(
        request,
        perm,
        ROUNDS,
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )


def round_context(round_: Round, **extra) -> dict:
    return {"round": round_, "edition": round_.edition, "contest": round_.edition.contest, **extra}
