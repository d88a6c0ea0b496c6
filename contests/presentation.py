"""How a contest presents itself on public pages, documents, files and emails.

One place that names a contest's awarding organisation and picks the contest a public page
shows (`?concours=<slug>`, else settings.PUBLIC_PALMARES_CONTEST), so that no page, document or
file writes one contest's words for another.
"""

from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from .enums import STANDARD_LEVEL_LABELS
from .models import Contest, Level

CONTEST_PARAMETER = "concours"


def awarded_by(contest: Contest) -> str:
    """The organisation that awards `contest`, as its pages, documents, emails and open data
    name it: every one of them reads it here.

    The contest's own data (`Contest.awarder_name`, set on its organisers' page, as its emails
    sign); the setting DEFAULT_AWARDING_ORGANISATION (empty unless configured) when it names none.
    """
    return contest.awarder_name or settings.DEFAULT_AWARDING_ORGANISATION


def default_contest_slug() -> str:
    """The contest public pages show when the address names none (configuration)."""
    return settings.PUBLIC_PALMARES_CONTEST


def requested_contest_slug(query: Mapping[str, str]) -> str:
    """The contest a public page's query names (`?concours=<slug>`), else the default one."""
    return (query.get(CONTEST_PARAMETER) or "").strip() or default_contest_slug()


def contest_query(slug: str, prefix: str = "?") -> str:
    """The query that keeps a page on the contest `slug` ("" for the default contest)."""
    if slug == default_contest_slug():
        return ""
    return prefix + urlencode({CONTEST_PARAMETER: slug})


def level_line(level: Level) -> str:
    """A level as a certificate prints it: « niveau or » for a standard level, the level's own
    name otherwise (« Niveau 2 », never « niveau niveau 2 »)."""
    if level.code in STANDARD_LEVEL_LABELS:
        return _("niveau %(level)s") % {"level": level.label}
    return level.name
