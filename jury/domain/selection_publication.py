"""Making a regional round's selection public on the page of the IntercoTOUR stage hosting it.

A round's selection is the dossiers it promoted to its next round (promotions applied, see
jury/domain/rounds.py). Until organisers publish it, who goes through stays with them and the
jury: the stage's public page says only that the selection will be published. Publishing is one
date on the round (`selection_published_at`); withdrawing clears it. Both are logged.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.enums import ApplicationState
from contests import activity
from contests.enums import EventKind

from ..enums import PromotionState
from ..models import Promotion, Round
from .rounds import RoundRefused


@dataclass(frozen=True)
class SelectedDossier:
    """What the public sees of a promoted dossier: its title and its lead organisation."""

    title: str
    lead_organisation: str


def _refusal(round_: Round) -> str | None:
    """Why the round's selection cannot be published now, in French; None when it can."""
    if round_.event_id is None or round_.event.kind != EventKind.STAGE:
        return gettext(
            "Ce tour n'est accueilli par aucune étape régionale : choisissez l'étape dans les "
            "paramètres du tour avant de publier sa sélection."
        )
    if round_.selection_published_at is not None:
        return gettext("La sélection de ce tour est déjà publiée.")
    states = set(round_.promotions.values_list("state", flat=True))
    if PromotionState.APPLIED not in states:
        return gettext(
            "Les promotions de ce tour ne sont pas encore appliquées : la sélection est vide. "
            "Appliquez-les avant de la publier."
        )
    if PromotionState.STAGED in states:
        return gettext(
            "Des promotions sont proposées sans être appliquées : appliquez-les ou retirez-les "
            "avant de publier la sélection."
        )
    return None


@transaction.atomic
def publish_selection(round_: Round, *, by) -> Round:
    """Publish the round's selection on its stage's page.

    Effects: guards (a stage hosts the round, not yet published, promotions applied and none
    left staged; else RoundRefused with the French reason); `selection_published_at` set to now;
    one activity entry `round.selection_published` with the stage and the promoted references.
    """
    round_ = Round.objects.select_for_update(of=("self",)).select_related("event").get(pk=round_.pk)
    refusal = _refusal(round_)
    if refusal:
        raise RoundRefused(refusal)
    round_.selection_published_at = timezone.now()
    round_.save(update_fields=["selection_published_at"])
    activity.record(
        round_.edition,
        "round.selection_published",
        by=by,
        subject=round_.slug,
        event=round_.event.slug,
        promoted=sorted(
            round_.promotions.filter(state=PromotionState.APPLIED).values_list(
                "application__reference", flat=True
            )
        ),
    )
    return round_


@transaction.atomic
def withdraw_selection(round_: Round, *, by) -> Round:
    """Take the round's selection off its stage's page.

    Effects: guard (published, else RoundRefused); `selection_published_at` cleared; one
    activity entry `round.selection_withdrawn` with the publication date it ends.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.selection_published_at is None:
        raise RoundRefused(gettext("La sélection de ce tour n'est pas publiée."))
    published_at = round_.selection_published_at
    round_.selection_published_at = None
    round_.save(update_fields=["selection_published_at"])
    activity.record(
        round_.edition,
        "round.selection_withdrawn",
        by=by,
        subject=round_.slug,
        published_at=published_at.isoformat(),
    )
    return round_


def published_selections(rounds: Iterable[Round]) -> dict[int, list[SelectedDossier]]:
    """The public selection of each published round, by round id, in one query.

    Only applied promotions of rounds whose selection is published; a dossier withdrawn by its
    applicants since is left out (they took it back from the contest). Only titles and lead
    organisations leave this function: no score, no reference, nothing of other dossiers.
    """
    published = [round_.pk for round_ in rounds if round_.selection_published_at is not None]
    selections: dict[int, list[SelectedDossier]] = defaultdict(list)
    if not published:
        return selections
    promotions = (
        Promotion.objects.filter(round_id__in=published, state=PromotionState.APPLIED)
        .exclude(application__state=ApplicationState.WITHDRAWN)
        .select_related("application__lead_organisation")
        .order_by("application__title", "application__reference")
    )
    for promotion in promotions:
        application = promotion.application
        selections[promotion.round_id].append(
            SelectedDossier(
                title=application.title or gettext("(sans titre)"),
                lead_organisation=application.lead_organisation.name,
            )
        )
    return selections
