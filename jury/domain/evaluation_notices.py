"""What a juror is told around their evaluation (issue 15, item 6): what the edition's
elimination rule does with an « Insuffisant », and when the other jurors' scores become
visible. French sentences, ready to show."""

from django.utils import timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from contests.content_language import in_content_language
from contests.domain import current_phase
from contests.enums import EliminationRule
from contests.models import Criterion, Edition
from palmares.dates import long_date


def elimination_notice(edition: Edition, criteria: list[Criterion]) -> str:
    """The edition's rule in one sentence, naming the round's eliminatory criteria."""
    eliminatory = [c.name for c in criteria if c.eliminatory]
    if not eliminatory:
        return gettext(
            "Aucun critère de ce tour n'est éliminatoire : « Insuffisant » compte comme 0 dans "
            "la note du dossier."
        )
    names = _quoted(eliminatory)
    rule = {
        EliminationRule.ANY: gettext(
            "Règle de l'édition : un seul « Insuffisant » sur un critère éliminatoire (%(names)s) "
            "élimine le dossier, quelles que soient ses autres notes."
        ),
        EliminationRule.MAJORITY: gettext(
            "Règle de l'édition : le dossier est éliminé quand la majorité des jurés jugent un "
            "même critère éliminatoire (%(names)s) insuffisant."
        ),
        EliminationRule.ALL: gettext(
            "Règle de l'édition : le dossier est éliminé quand tous les jurés jugent un même "
            "critère éliminatoire (%(names)s) insuffisant."
        ),
    }[edition.elimination_rule]
    return mark_safe(conditional_escape(rule) % {"names": names})


def eliminating_now(edition: Edition, criteria: list[Criterion], values: dict[int, str]) -> str:
    """Under the « any » rule, the evaluation about to be sent eliminates the dossier by itself
    when it judges an eliminatory criterion insufficient: say so before it is sent."""
    from .evaluations import INSUFFICIENT

    if edition.elimination_rule != EliminationRule.ANY:
        return ""
    names = [c.name for c in criteria if c.eliminatory and values.get(c.pk) == INSUFFICIENT]
    if not names:
        return ""
    notice = gettext(
        "Vous jugez %(names)s insuffisant : une fois envoyée, votre évaluation élimine le "
        "dossier, et votre commentaire sur ce critère est transmis mot pour mot au candidat."
    )
    return mark_safe(conditional_escape(notice) % {"names": _quoted(names)})


def _quoted(names: list[str]) -> SafeString:
    """« name », « name »: the criteria's names, escaped and marked with the content's language
    (they are the organisers' words, in French on an English page)."""
    return format_html_join(", ", "« {} »", ((in_content_language(name),) for name in names))


def other_scores_notice(edition: Edition, *, submitted: bool, now=None) -> str:
    """When the other jurors' scores become visible to this juror."""
    now = now or timezone.now()
    phase = current_phase(edition, now)
    if phase is not None and phase.may_see_other_scores:
        when = ""
    else:
        upcoming = sorted(
            (p for p in edition.phases.all() if p.starts_at > now and p.may_see_other_scores),
            key=lambda p: p.starts_at,
        )
        if upcoming:
            when = gettext("à partir du %(date)s (phase « %(phase)s »)") % {
                "date": long_date(timezone.localtime(upcoming[0].starts_at)),
                "phase": upcoming[0].get_kind_display(),
            }
        else:
            when = gettext("quand les organisateurs ouvriront la délibération")
    if not submitted and when:
        return gettext(
            "Les notes des autres jurés vous seront visibles une fois votre évaluation envoyée, "
            "%(when)s."
        ) % {"when": when}
    if not submitted:
        return gettext(
            "Les notes des autres jurés vous seront visibles une fois votre évaluation envoyée."
        )
    if when:
        return gettext("Les notes des autres jurés vous seront visibles %(when)s.") % {"when": when}
    return ""
