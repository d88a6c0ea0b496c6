"""Who may do what in a deliberation: the whole access policy of the awards pages.

- Organisers open the deliberation of an edition and re-stage its proposals.
- The board: organisers and the accepted jurors of the deliberated round. Rows of the dossiers
  a user is in conflict with are left out by the board itself
  (`jury.rules.conflicted_application_ids`), as on every jury page.
- A decision is changed, with a reason, by organisers and the round's jurors, never by someone
  in conflict with its dossier (an organiser who is also a juror in conflict included).
- Validation (which freezes the palmarès): the jury president of the deliberated round only —
  not the organisers, who run the deliberation but do not decide it.
- Publication and the minutes: organisers.
"""

import rules

from accounts.rules import is_organiser
from jury.rules import conflicted_application_ids, is_round_juror, is_round_president


@rules.predicate
def is_deliberation_juror(user, deliberation) -> bool:
    """An accepted juror of the deliberated round."""
    return deliberation is not None and is_round_juror(user, deliberation.round)


@rules.predicate
def is_deliberation_president(user, deliberation) -> bool:
    return deliberation is not None and is_round_president(user, deliberation.round)


# Predicates on a Decision.
@rules.predicate
def is_decision_juror(user, decision) -> bool:
    return decision is not None and is_deliberation_juror(user, decision.deliberation)


@rules.predicate
def decision_in_conflict(user, decision) -> bool:
    return decision is not None and decision.application_id in conflicted_application_ids(user)


# On an Edition (there is no deliberation yet).
rules.add_perm("awards.open_deliberation", is_organiser)
# On a Deliberation. Whether it is still open (not validated) is the domain's check: the page
# then says so in French rather than answering a bare refusal.
rules.add_perm("awards.view_board", is_organiser | is_deliberation_juror)
rules.add_perm("awards.stage_decisions", is_organiser)
rules.add_perm("awards.validate_deliberation", is_deliberation_president)
# On a Decision.
rules.add_perm("awards.amend_decision", (is_organiser | is_decision_juror) & ~decision_in_conflict)
# Publication (awards.views.publication) and the deliberation minutes (awards.views.documents,
# checked on the Deliberation): organisers only.
rules.add_perm("awards.publish_results", is_organiser)
rules.add_perm("awards.view_minutes", is_organiser)
