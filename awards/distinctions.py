"""How an award's distinctions read on its pages, badge, documents and emails.

The names are the contest's own (contests.Distinction); nothing here names one.
"""

from collections.abc import Iterable

from django.utils.text import capfirst
from django.utils.translation import gettext

from contests.models import Distinction

from .models import Award


def distinction_names(distinctions: Iterable[Distinction]) -> str:
    """« Prix spécial du jury, coup de cœur »: in the edition's order, joined for running text."""
    names = [distinction.name for distinction in distinctions]
    return ", ".join([capfirst(names[0]), *names[1:]]) if names else ""


def award_distinctions(award: Award) -> list[Distinction]:
    """The award's distinctions in the edition's order (prefetched `distinctions` are used)."""
    return sorted(award.distinctions.all(), key=lambda d: (d.position, d.name))


def award_wording(award: Award) -> str:
    """What the award is, in one phrase: « Label or », « Label or et prix spécial du jury »,
    « Prix spécial du jury » for a distinction alone, "" when nothing was published."""
    level = capfirst(award.level.distinction) if award.level else ""
    names = distinction_names(award_distinctions(award))
    if level and names:
        return gettext("%(level)s et %(distinctions)s") % {
            "level": level,
            "distinctions": names[0].lower() + names[1:],
        }
    return level or names
