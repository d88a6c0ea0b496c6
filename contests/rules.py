"""Who may do what with contests and editions, and what an edition's current phase allows.

Phase predicates take the edition as the rules object and read its current phase's capability
flags; other apps combine them with their own (`is_applicant_member & phase_allows_applying`).
"""

import rules

from accounts.rules import is_organiser

from .domain import edition_allows, results_are_public


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


# The whole access policy of the organiser pages: organisers only (a superuser is the technical
# admin, with no domain power: accounts.models.User.has_perm).
rules.add_perm("contests.view_dashboard", is_organiser)
rules.add_perm("contests.create_edition", is_organiser)
rules.add_perm("contests.manage_edition", is_organiser)
rules.add_perm("contests.copy_edition", is_organiser)
# Events are public once saved: only organisers create or change them.
rules.add_perm("contests.manage_events", is_organiser)
# The outbox (notifications): organisers see the emails not delivered yet and send them again.
rules.add_perm("contests.view_outbox", is_organiser)
rules.add_perm("contests.resend_email", is_organiser)
