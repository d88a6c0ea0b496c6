"""Who may do what in a deliberation: the whole access policy of the awards pages.

- Organisers open the deliberation of an edition and re-stage its proposals.
- The board: organisers and the accepted jurors of the deliberated round.
- A decision is changed, with a reason, by organisers and the round's jurors, never by someone
  in conflict with its dossier or with another dossier of its theme. Its distinctions (which no
  rule proposes) are decided by the organisers and the jury president only, on the same terms.
- Validation (which freezes the palmarès): the jury president of the deliberated round only —
  not the organisers, who run the deliberation but do not decide it.
- Publication and the minutes: organisers.

Conflicts of interest: an organiser who is also a juror in conflict with a dossier is a juror
in conflict for that dossier's jury data. Everyone in conflict (`jury.rules.
conflicted_application_ids`) gets the same `ConflictScreen` on every page and document of the
deliberation — the board and its what-if, the decision and validation pages, the minutes, the
results export:

- the dossier itself is absent (no row, no reference, no score, interval, rank or level); its
  decision page answers 404, as if it did not exist;
- its theme is veiled. Levels have quotas per theme (`Level.max_per_theme`), so every level of a
  theme depends on every score in it: « Argent » proposed for a dossier above the threshold of
  « Or » tells that a hidden dossier took the only « Or ». In a veiled theme the viewer sees
  which dossiers compete, and their scores (a score says nothing of another dossier's), but no
  rank, no proposed or decided level, no what-if, and may not change those decisions; the pages
  say why in one sentence. A theme is veiled by the conflict alone, whether or not the dossier
  reached the deliberated round, and is shown even with no other dossier in it, so that neither
  a theme vanishing nor one appearing tells how far the dossier went;
- counts (the what-if's « n dossiers changeraient ») are counted over what the viewer sees;
- what acts on the whole palmarès is left to someone without a conflict in the edition: opening
  the deliberation (its method decides every level), re-staging the proposals (its message
  counts every decision), and the publication page (its preview counts the levels per theme)
  until the results are public.

What it leaves: once the palmarès is public every level is, so the veiled theme's scores (shown
here and on the jury's pages) bound the hidden dossier's score by then; and the severity
correction is fitted over every dossier of the round, a coupling no page shows per juror.
"""

from dataclasses import dataclass

import rules

from contests.rules import edition_results_are_public, is_contest_organiser
from jury.rules import conflicted_application_ids, is_round_juror, is_round_president


@dataclass(frozen=True)
class ConflictScreen:
    """What one viewer may not see of an edition's jury data (module docstring)."""

    hidden: frozenset[int] = frozenset()  # dossiers in conflict: absent
    veiled_themes: frozenset[int | None] = frozenset()  # their themes here (None: no theme)

    @property
    def in_edition(self) -> bool:
        """The viewer is in conflict with at least one dossier of the edition."""
        return bool(self.veiled_themes)

    def hides(self, application_id: int) -> bool:
        return application_id in self.hidden

    def veils(self, theme_id: int | None) -> bool:
        return theme_id in self.veiled_themes


NO_SCREEN = ConflictScreen()


def conflict_screen(user, edition_id: int) -> ConflictScreen:
    """The screen of `user` (None: the domain, which sees everything) on an edition; one query,
    and none for someone in conflict with nothing."""
    hidden = conflicted_application_ids(user) if user is not None else frozenset()
    if not hidden:
        return NO_SCREEN
    from applications.models import Application  # a model: imported when the apps are ready

    themes = Application.objects.filter(pk__in=hidden, edition_id=edition_id).values_list(
        "theme_id", flat=True
    )
    return ConflictScreen(hidden, frozenset(themes))


@rules.predicate
def is_deliberation_juror(user, deliberation) -> bool:
    """An accepted juror of the deliberated round."""
    return deliberation is not None and is_round_juror(user, deliberation.round)


@rules.predicate
def is_deliberation_president(user, deliberation) -> bool:
    return deliberation is not None and is_round_president(user, deliberation.round)


@rules.predicate
def has_conflict_in_deliberation(user, deliberation) -> bool:
    return deliberation is not None and conflict_screen(user, deliberation.edition_id).in_edition


@rules.predicate
def has_conflict_in_edition(user, edition) -> bool:
    return edition is not None and conflict_screen(user, edition.pk).in_edition


# Predicates on a Decision.
@rules.predicate
def is_decision_juror(user, decision) -> bool:
    return decision is not None and is_deliberation_juror(user, decision.deliberation)


@rules.predicate
def is_decision_president(user, decision) -> bool:
    return decision is not None and is_deliberation_president(user, decision.deliberation)


@rules.predicate
def decision_in_conflict(user, decision) -> bool:
    return decision is not None and decision.application_id in conflicted_application_ids(user)


@rules.predicate
def decision_in_veiled_theme(user, decision) -> bool:
    """Another dossier of the decision's theme is in conflict with the user (quotas per theme
    make its level depend on theirs)."""
    if decision is None or not conflicted_application_ids(user):
        return False
    screen = conflict_screen(user, decision.deliberation.edition_id)
    return screen.veils(decision.application.theme_id)


# On an Edition (there is no deliberation yet).
rules.add_perm("awards.open_deliberation", is_contest_organiser & ~has_conflict_in_edition)
# On a Deliberation. Whether it is still open (not validated) is the domain's check: the page
# then says so in French rather than answering a bare refusal.
rules.add_perm("awards.view_board", is_contest_organiser | is_deliberation_juror)
rules.add_perm("awards.stage_decisions", is_contest_organiser & ~has_conflict_in_deliberation)
rules.add_perm("awards.validate_deliberation", is_deliberation_president)
# On a Decision.
rules.add_perm(
    "awards.amend_decision",
    (is_contest_organiser | is_decision_juror) & ~decision_in_conflict & ~decision_in_veiled_theme,
)
# Distinctions: no rule proposes them, so they are the president's or the organisers' call,
# never an ordinary juror's, and never on a dossier or theme the viewer is in conflict with.
rules.add_perm(
    "awards.decide_distinctions",
    (is_contest_organiser | is_decision_president)
    & ~decision_in_conflict
    & ~decision_in_veiled_theme,
)
# Publication (awards.views.publication, on the Edition) and the deliberation minutes
# (awards.views.documents, on the Deliberation, screened by awards.documents.minutes).
rules.add_perm(
    "awards.publish_results",
    is_contest_organiser & (edition_results_are_public | ~has_conflict_in_edition),
)
rules.add_perm("awards.view_minutes", is_contest_organiser)
