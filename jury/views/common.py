"""What every organiser page of a round starts with: the round, checked, and its context."""

from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.access import get_object_or_404_with_perm

from ..models import Round

# The organiser pages of a round live under this prefix (after the edition's pages).
ROUND_PATH = "organisation/concours/<slug:contest_slug>/<int:year>/tours/<slug:round_slug>/"
ROUNDS = Round.objects.select_related("edition__contest")


def round_with_perm(
    request: HttpRequest,
    perm: str,
    contest_slug: str,
    year: int,
    round_slug: str,
    rounds: QuerySet[Round] = ROUNDS,
) -> Round:
    """The round the URL names: 404 if unknown, 403 for anyone without `perm` on it.

    Views pass their permission by name (`jury.manage_selection`, `jury.manage_auditions`…),
    so that each says in its own body who may use it.
    """
    return get_object_or_404_with_perm(
        request,
        perm,
        rounds,
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )


def organiser_round(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> Round:
    """The round of an organiser page of the selection (`jury.manage_selection`).

    Only jury/exports.py still uses this name: the organiser exports are moving to
    opendata/exports (issue 18); views call `round_with_perm` with their permission.
    """
    return round_with_perm(request, "jury.manage_selection", contest_slug, year, round_slug)


def round_context(round_: Round, **extra) -> dict:
    return {"round": round_, "edition": round_.edition, "contest": round_.edition.contest, **extra}
