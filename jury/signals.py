"""Keep stored scores true to the criteria: recompute when a criterion or a round's list changes.

The project prefers direct calls to signals (docs/architecture.md); criteria are edited by
contests' generic formset (contests.views.editions.edition_rows) and the admin, which know
nothing of the jury, so a receiver here is the one place that catches every change of a weight,
of "éliminatoire", or of the criteria a round uses. Each recompute costs a fixed number of
queries (one when the edition has no dossier in a round yet).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from contests.models import Criterion

from .models import Round
from .scoring import recompute_edition, recompute_round


@receiver(post_save, sender=Criterion, dispatch_uid="jury_criterion_saved")
@receiver(post_delete, sender=Criterion, dispatch_uid="jury_criterion_deleted")
def criterion_changed(sender, instance: Criterion, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the rows are being restored, not changed
        return
    recompute_edition(instance.edition_id)


@receiver(m2m_changed, sender=Round.criteria.through, dispatch_uid="jury_round_criteria")
def round_criteria_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # criterion.rounds.add(...): the criterion's edition holds the rounds
        recompute_edition(instance.edition_id)
    else:
        recompute_round(instance)
