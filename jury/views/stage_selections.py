"""The regional selections a stage hosts, shown on the stage's public page.

The page is contests' (/evenements/<slug>/), which knows nothing of rounds: the jury adds this
section through contests.hooks (registered in jury/apps.py). Only published selections show, as
jury.domain.selection_publication gives them (titles and lead organisations, nothing else).
"""

from contests.enums import EventKind
from contests.hooks import EventSection
from contests.models import Event

from ..domain.selection_publication import published_selections
from ..models import Round

HOSTED_ROUNDS = Round.objects.select_related("edition__contest").order_by(
    "-edition__year", "edition__contest__name", "position", "name"
)


def stage_selections(event: Event) -> EventSection | None:
    """The section of a stage's page (None for another kind of event): each round the stage
    hosts with its published selection."""
    if event.kind != EventKind.STAGE:
        return None
    rounds = list(HOSTED_ROUNDS.filter(event=event))
    selections = published_selections(rounds)
    return EventSection(
        "jury/stage_selections.html",
        {"rounds": [(round_, selections.get(round_.pk, [])) for round_ in rounds]},
    )
