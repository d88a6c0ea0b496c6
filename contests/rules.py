"""Who may do what with contests and editions, and what an edition's current phase allows.

Phase predicates take the edition as the rules object and read its current phase's capability
flags; other apps combine them with their own (`is_applicant_member & phase_allows_applying`).
"""

import rules

from accounts.rules import is_organiser

from .domain import edition_allows, results_are_public
from .models import Contest, ContestOrganiser, Edition


def _edition_allows(capability: str):
    def predicate(user, edition) -> bool:
        return edition is not None and edition_allows(edition, capability)

    return predicate


phase_allows_applying = rules.predicate(_edition_allows("may_apply"), name="phase_allows_applying")
phase_allows_scoring = rules.predicate(_edition_allows("may_score"), name="phase_allows_scoring")
phase_allows_seeing_other_scores = rules.predicate(
    _edition_allows("may_see_other_scores"), name="phase_allows_seeing_other_scores"
)
phase_allows_publishing = rules.predicate(
    _edition_allows("may_publish"), name="phase_allows_publishing"
)


@rules.predicate
def edition_results_are_public(user, edition) -> bool:
    return edition is not None and results_are_public(edition)


_CONTESTS_CACHE = "_organised_contest_ids"


def kept_to_contest_ids(user) -> frozenset[int]:
    """The contests an organiser is kept to (ContestOrganiser rows); empty: every contest.

    Cached on the user object, which lives for one request, like accounts' memberships.
    """
    if not (user and user.is_authenticated):
        return frozenset()
    ids = getattr(user, _CONTESTS_CACHE, None)
    if ids is None:
        ids = frozenset(
            ContestOrganiser.objects.filter(user=user).values_list("contest", flat=True)
        )
        setattr(user, _CONTESTS_CACHE, ids)
    return ids


def contest_id_of(obj) -> int | None:
    """The contest an object belongs to: a contest, an edition, or anything with an edition
    (a dossier, a round…) or a round; None when it cannot be told."""
    if isinstance(obj, Contest):
        return obj.pk
    if isinstance(obj, Edition):
        return obj.contest_id
    for attribute in ("edition", "round", "application", "deliberation"):
        related = getattr(obj, attribute, None)
        if related is not None and related is not obj:
            return contest_id_of(related)
    return None


@rules.predicate
def is_global_organiser(user) -> bool:
    """An organiser kept to no contest: organises every contest."""
    return is_organiser(user) and not kept_to_contest_ids(user)


@rules.predicate
def is_contest_organiser(user, obj) -> bool:
    """An organiser of the contest of `obj` (a contest, an edition, a dossier, a round…).

    A global organiser organises every contest. An organiser kept to some contests organises
    those only; for an object whose contest cannot be told (or none: list pages), being an
    organiser is enough, and the page shows only their contests.
    """
    if not is_organiser(user):
        return False
    kept = kept_to_contest_ids(user)
    if not kept:
        return True
    contest_id = contest_id_of(obj)
    return contest_id is None or contest_id in kept


# The whole access policy of the organiser pages: organisers only (a superuser is the technical
# admin, with no domain power: accounts.models.User.has_perm), and an organiser kept to some
# contests only for those (ContestOrganiser).
rules.add_perm("contests.view_dashboard", is_organiser)
rules.add_perm("contests.create_contest", is_organiser)
rules.add_perm("contests.edit_contest", is_contest_organiser)
# Who is kept to a contest is decided by an organiser of every contest.
rules.add_perm("contests.manage_contest_organisers", is_global_organiser)
rules.add_perm("contests.create_edition", is_contest_organiser)
rules.add_perm("contests.manage_edition", is_contest_organiser)
rules.add_perm("contests.copy_edition", is_contest_organiser)
# Events are public once saved and span contests: only organisers create or change them.
rules.add_perm("contests.manage_events", is_organiser)
# The outbox (notifications): organisers see the emails not delivered yet and send them again.
rules.add_perm("contests.view_outbox", is_organiser)
rules.add_perm("contests.resend_email", is_organiser)
