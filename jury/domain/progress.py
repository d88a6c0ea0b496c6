"""How far a round's evaluations are: those sent out of those expected, and the dossiers waiting.

Promotions rank a round's dossiers on the evaluations sent, and publication concludes the
dossiers on them: both pages warn while expected evaluations are missing (« 10 évaluations
envoyées sur 12 »), before anyone ranks or publishes. Expected: the assignments of the round's
accepted jurors to its dossiers still in the selection (withdrawn and ineligible ones left out),
except where the juror is in conflict with the dossier — declared or detected in any round of
the edition, since a conflict follows the dossier (the same person is recognised by email).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from applications.enums import ApplicationState

from ..enums import EvaluationState, JurorState
from ..models import Assignment, Conflict, Round

SHOWN_REFERENCES = 10  # a long list of waiting dossiers is cut: the progress page has them all


@dataclass(frozen=True)
class EvaluationProgress:
    round: Round
    sent: int
    expected: int
    waiting: list[str] = field(default_factory=list)  # dossiers with one not sent, by reference

    @property
    def complete(self) -> bool:
        return self.sent >= self.expected

    def message(self) -> str:
        """« Tour « Bretagne » : 10 évaluations envoyées sur 12 ; en attente : LTI-…, LTI-…. »"""
        sent = ngettext(
            "%(sent)d évaluation envoyée sur %(expected)d",
            "%(sent)d évaluations envoyées sur %(expected)d",
            self.sent,
        ) % {"sent": self.sent, "expected": self.expected}
        shown = ", ".join(self.waiting[:SHOWN_REFERENCES])
        hidden = len(self.waiting) - SHOWN_REFERENCES
        if hidden > 0:
            shown += ngettext(" et %(count)d autre", " et %(count)d autres", hidden) % {
                "count": hidden
            }
        return gettext("Tour « %(round)s » : %(sent)s ; en attente : %(waiting)s.") % {
            "round": self.round.name,
            "sent": sent,
            "waiting": shown,
        }


def evaluation_progress(round_: Round) -> EvaluationProgress:
    """The round's evaluations sent and expected (rule: module docstring), in two queries."""
    conflicts = {
        (email.casefold(), application_id)
        for email, application_id in Conflict.objects.effective()
        .filter(member__edition_id=round_.edition_id)
        .order_by()  # a set: the model's ordering would join the edition and its contest
        .values_list("member__email", "application_id")
    }
    assignments = (
        Assignment.objects.filter(juror__round=round_, juror__state=JurorState.ACCEPTED)
        .exclude(application__state__in=ApplicationState.dropped_out())
        .values_list(
            "juror__email", "application_id", "application__reference", "evaluation__state"
        )
        # Unordered: sorting 5,800 assignments cost the database more than reading them; the
        # few dossiers waiting are sorted below (references are ASCII: same order as SQL's).
        .order_by()
    )
    sent = expected = 0
    waiting: set[str] = set()
    for email, application_id, reference, state in assignments:
        if (email.casefold(), application_id) in conflicts:
            continue
        expected += 1
        if state == EvaluationState.SUBMITTED:
            sent += 1
        else:
            waiting.add(reference)
    return EvaluationProgress(round_, sent, expected, sorted(waiting))
