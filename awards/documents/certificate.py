"""The certificate of one laureate: the label, its level, distinctions and theme, who it was
given to, for which project, when and where the Forum handed it out, and its date. A PDF, in
French."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.distinctions import award_distinctions, distinction_names
from awards.models import Award
from contests.presentation import awarded_by, level_line

from .pdf import DOCUMENT_LANGUAGE, render_pdf
from .text import award_links, forum_dates, join_names, laureate_names, long_date

TEMPLATE = "awards/documents/certificate.html"


@dataclass(frozen=True)
class Certificate:
    label: str  # « Label Territoire Innovant 2024 »
    awarded_by: str  # « Décerné par l'association … »
    level: str  # « niveau or », « Niveau 2 », or ""
    distinctions: str  # « Prix spécial du jury, coup de cœur », or ""
    theme: str  # « thème Inclusion numérique », or ""
    laureates: str
    title: str
    forum: str  # « Remis au Forum des Interconnectés 2024, à Marseille, du 3 au 4 avril 2024 »
    dated: str  # « Fait le 4 avril 2024 », or "" when the day is not known
    verification_url: str


def certificate_filename(award: Award) -> str:
    return f"certificat-{award.slug}.pdf"


def with_certificate_content(awards: QuerySet[Award]) -> QuerySet[Award]:
    """`awards` with everything a certificate prints, in three queries."""
    return awards.select_related(
        "edition__contest",
        "edition__forum",
        "edition__deliberation",
        "level",
        "theme",
        "application__lead_organisation",
    ).prefetch_related(award_links(), "distinctions")


def forum_line(award: Award) -> str:
    forum = award.edition.forum
    if forum is None:
        return ""
    where = [_("à %(city)s") % {"city": forum.city} if forum.city else "", forum_dates(forum)]
    details = ", ".join(part for part in where if part)
    if details:
        return _("Remis lors du %(forum)s, %(details)s") % {"forum": forum.name, "details": details}
    return _("Remis lors du %(forum)s") % {"forum": forum.name}


def certificate_day(award: Award) -> date | None:
    """The day the label was given: its publication on the platform, else (a palmarès published
    before the platform) the Forum's last day, as the press release dates it; None if unknown."""
    deliberation = getattr(award.edition, "deliberation", None)
    if award.application_id and deliberation is not None and deliberation.published_at:
        return timezone.localdate(deliberation.published_at)
    forum = award.edition.forum
    return (forum.ends_on or forum.starts_on) if forum else None


def build_certificate(award: Award) -> Certificate:
    """Reads `award` with its edition (contest, Forum), level, theme and `award_links()`."""
    edition = award.edition
    path = reverse("catalogue:badge_verify", kwargs={"slug": award.slug})
    day = certificate_day(award)
    return Certificate(
        label=f"{edition.contest.name} {edition.year}",
        awarded_by=_("Décerné par %(organisation)s")
        % {"organisation": awarded_by(edition.contest)},
        level=level_line(award.level) if award.level else "",
        distinctions=distinction_names(award_distinctions(award)),
        theme=_("thème %(theme)s") % {"theme": award.theme.name} if award.theme else "",
        laureates=join_names(laureate_names(award)),
        title=award.title,
        forum=forum_line(award),
        dated=_("Fait le %(day)s") % {"day": long_date(day)} if day else "",
        verification_url=settings.SITE_URL + path,
    )


def render_certificate_pdf(award: Award) -> bytes:
    """The certificate of `award` (read as `with_certificate_content` gives it), in French."""
    with translation.override(DOCUMENT_LANGUAGE):
        certificate = build_certificate(award)
    return render_pdf(TEMPLATE, {"certificate": certificate})
