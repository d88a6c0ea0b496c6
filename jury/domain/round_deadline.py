"""A round's end date (`Round.ends_on`) closes its scoring: after that day, no evaluation of the
round is saved or sent, whatever the edition's phase says. The organisers may extend it; every
extension goes to the activity log, like the other transitions.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from contests import activity
from palmares.dates import long_date

from ..models import Round


class ExtensionRefused(Exception):
    """A refused extension; `message` is French, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def scoring_ended(round_: Round, today: date | None = None) -> bool:
    """The round's end date has passed (the end date itself is still open, all day long)."""
    if round_.ends_on is None:
        return False
    return (today or timezone.localdate()) > round_.ends_on


def ended_message(round_: Round) -> str:
    return gettext(
        "Les évaluations du tour « %(round)s » sont closes depuis la fin du %(date)s : rien "
        "n'a été enregistré. Si vous avez besoin de plus de temps, demandez aux organisateurs "
        "de prolonger le tour."
    ) % {"round": round_.name, "date": long_date(round_.ends_on)}


@transaction.atomic
def extend_scoring(round_: Round, until: date, *, by, today: date | None = None) -> Round:
    """Move the round's end of scoring to `until`.

    Guard: `until` is today or later and after the current end (an extension never shortens:
    that is the settings page's business). Effects: `ends_on` saved; one activity entry
    `jury.round_scoring_extended` with the previous and the new date.
    """
    today = today or timezone.localdate()
    if until < today:
        raise ExtensionRefused(
            gettext("Choisissez une date à partir d'aujourd'hui (%(today)s).")
            % {"today": long_date(today)}
        )
    if round_.ends_on is not None and until <= round_.ends_on:
        raise ExtensionRefused(
            gettext("Choisissez une date après la fin actuelle des évaluations (%(date)s).")
            % {"date": long_date(round_.ends_on)}
        )
    before = round_.ends_on
    round_.ends_on = until
    round_.save(update_fields=["ends_on"])
    activity.record(
        round_.edition,
        "jury.round_scoring_extended",
        by=by,
        subject=round_.slug,
        before=before.isoformat() if before else None,
        after=until.isoformat(),
    )
    return round_
