"""What every organiser page of a round starts with: the round, checked, and its context."""

from django.db.models import QuerySet
from django.http import HttpRequest

from palmares.permissions import get_object_or_404_with_perm

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


def round_context(round_: Round, **extra) -> dict:
    return {"round": round_, "edition": round_.edition, "contest": round_.edition.contest, **extra}
