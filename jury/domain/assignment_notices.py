"""Jurors told by email when dossiers of a round are given to them or taken away.

One email per juror and change (a whole solver run is one change), through the outbox, so a
mail server's trouble never reaches the page that made the change and a rolled-back change
sends nothing. Only accepted jurors are written to (the others have no dossier to evaluate).
Given dossiers are named with their title (the juror may read them); taken ones by reference.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from notifications.outbox import email_kind, queue_email

from ..enums import JurorState
from ..models import Juror

ASSIGNMENT_EMAIL = email_kind("jury.assignment", _("Dossiers confiés aux jurés"))

# {juror: (dossiers given, dossiers taken away)}
Changes = Mapping[Juror, tuple[Iterable[Application], Iterable[Application]]]


def _body(juror: Juror, given: list[Application], taken: list[Application]) -> str:
    round_ = juror.round
    edition = round_.edition
    lines = [
        gettext("Bonjour %(name)s,") % {"name": juror.full_name},
        "",
        gettext(
            "Les dossiers que vous évaluez pour « %(round)s » (%(contest)s %(year)s) ont changé."
        )
        % {"round": round_.name, "contest": edition.contest.name, "year": edition.year},
    ]
    if given:
        lines += [
            "",
            ngettext(
                "Ce dossier vous est confié :",
                "Ces %(count)s dossiers vous sont confiés :",
                len(given),
            )
            % {"count": len(given)},
            *(f"- {application.reference} – {application.title}" for application in given),
        ]
    if taken:
        lines += [
            "",
            ngettext(
                "Ce dossier ne vous est plus confié :",
                "Ces %(count)s dossiers ne vous sont plus confiés :",
                len(taken),
            )
            % {"count": len(taken)},
            *(f"- {application.reference}" for application in taken),
        ]
    url = settings.SITE_URL + reverse(
        "jury:juror_round", args=[edition.contest.slug, edition.year, round_.slug]
    )
    lines += [
        "",
        gettext("Vos dossiers à évaluer : %(url)s") % {"url": url},
        "",
        round_.edition.contest.signature,
    ]
    return "\n".join(lines)


def notify_assignment_changes(changes: Changes) -> int:
    """Queue one email per accepted juror whose dossiers changed; return how many."""
    sent = 0
    for juror, (given_rows, taken_rows) in changes.items():
        given = sorted(given_rows, key=lambda application: application.reference)
        taken = sorted(taken_rows, key=lambda application: application.reference)
        if not (given or taken) or juror.state != JurorState.ACCEPTED:
            continue
        edition = juror.round.edition
        subject = gettext("Vos dossiers à évaluer : %(round)s") % {"round": juror.round.name}
        queue_email(
            EmailMessage(
                subject, _body(juror, given, taken), settings.DEFAULT_FROM_EMAIL, [juror.email]
            ),
            kind=ASSIGNMENT_EMAIL,
            context=str(edition),
        )
        sent += 1
    return sent
