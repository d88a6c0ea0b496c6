"""The press release of an edition's results, in the shape of the 2024 one (seed 001).

Built from the edition's awards, so it serves the imported history (2024 from data/palmares.csv)
as well as editions deliberated on the platform. Every figure is the published one or one the
platform can count; a figure nobody knows is left out, never guessed.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import ApplicationState
from applications.models import Application
from awards.models import Deliberation
from contests.models import Edition, EditionTransparency
from contests.presentation import awarded_by
from jury.enums import JurorState, RoundKind
from jury.models import AuditionSession, Juror

from ..distinctions import award_distinctions, distinction_names
from ..grouping import group_awards
from .pdf import DOCUMENT_LANGUAGE, render_pdf
from .text import edition_awards, forum_dates, join_names, laureate_names, long_date

PDF_TEMPLATE = "awards/documents/press_release_pdf.html"


@dataclass(frozen=True)
class Laureate:
    names: str  # « Ville de Rennes et Rennes Métropole »
    title: str
    slug: str
    distinctions: str = ""  # « Prix spécial du jury », or ""


@dataclass(frozen=True)
class LevelSection:
    heading: str  # « Label or », « Niveau non publié »
    code: str
    laureates: list[Laureate]


@dataclass(frozen=True)
class ThemeSection:
    heading: str  # the theme's name; empty when the edition published no themes
    levels: list[LevelSection]


@dataclass(frozen=True)
class Figures:
    """Headline figures; None where unknown."""

    presented: int | None
    auditioned: int | None
    labelled: int | None


@dataclass(frozen=True)
class PressRelease:
    edition: Edition
    dateline: str  # « 4 avril 2024 à Marseille », or ""
    title: str
    forum: str  # one sentence on the Forum, or ""
    figures: Figures
    figures_sentence: str  # « 45 projets présentés, 28 ont été auditionnés et 21 … », or ""
    criteria: list[str]
    jury: str  # one sentence naming the jury's institutions, or ""
    themes: list[ThemeSection]
    awarded_by: str = ""  # « Le Label … est décerné par … »

    @property
    def laureates_count(self) -> int:
        return sum(len(level.laureates) for theme in self.themes for level in theme.levels)


def _audition_round_ids(edition: Edition) -> list[int]:
    return list(edition.rounds.filter(kind=RoundKind.AUDITION).values_list("pk", flat=True))


def headline_figures(edition: Edition, awards_count: int) -> Figures:
    """Dossiers presented, auditioned, labelled: the edition's published figures first.

    An edition run on the platform counts what it did not publish: dossiers received, dossiers
    that reached the auditions (if it held any), awards. A historical one has no dossiers here,
    so an unpublished figure stays unknown (only its awards are counted).
    """
    presented, auditioned = edition.applications_count, edition.auditioned_count
    if not edition.is_historical:
        applications = Application.objects.filter(edition=edition)
        if presented is None:
            presented = applications.filter(state__in=ApplicationState.submitted_states()).count()
        if auditioned is None and _audition_round_ids(edition):
            # An awarded dossier went through the auditions (workflow.ALLOWED_TRANSITIONS);
            # one not labelled afterwards keeps the trace in its transitions.
            auditioned = (
                applications.filter(
                    Q(state__in=ApplicationState.reached_auditions())
                    | Q(transitions__to_state=ApplicationState.AUDITIONED)
                )
                .distinct()
                .count()
            )
    labelled = edition.laureates_count
    if labelled is None and (awards_count or not edition.is_historical):
        labelled = awards_count
    return Figures(presented=presented, auditioned=auditioned, labelled=labelled)


def figures_sentence(figures: Figures) -> str:
    """« 45 projets présentés, 28 ont été auditionnés et 21 ont été labellisés. »

    The first figure known names the projects; the next ones refer back to them.
    """
    parts: list[str] = []
    if figures.presented is not None:
        count = figures.presented
        text = ngettext("%(count)s projet présenté", "%(count)s projets présentés", count)
        parts.append(text % {"count": count})
    if figures.auditioned is not None:
        count = figures.auditioned
        if parts:
            text = ngettext("%(count)s a été auditionné", "%(count)s ont été auditionnés", count)
        else:
            text = ngettext(
                "%(count)s projet a été auditionné", "%(count)s projets ont été auditionnés", count
            )
        parts.append(text % {"count": count})
    if figures.labelled is not None:
        count = figures.labelled
        if parts:
            text = ngettext("%(count)s a été labellisé", "%(count)s ont été labellisés", count)
        else:
            text = ngettext(
                "%(count)s projet a été labellisé", "%(count)s projets ont été labellisés", count
            )
        parts.append(text % {"count": count})
    return join_names(parts) + "." if parts else ""


def forum_sentence(edition: Edition) -> str:
    """Where and when the Forum was held and how many came, as far as it is known.

    Forums are named « Forum … » (contests.Event of kind forum), hence « Le %(forum)s ».
    """
    forum = edition.forum
    if forum is None:
        return ""
    held = [forum_dates(forum)]
    if forum.city:
        held.append(_("à %(city)s") % {"city": forum.city})
    if forum.venue:
        held.append(_("(%(venue)s)") % {"venue": forum.venue})
    held = [part for part in held if part]
    participants = forum.participants
    values = {"forum": forum.name, "held": " ".join(held), "count": participants}
    if held and participants is not None:
        text = ngettext(
            "Le %(forum)s s'est tenu %(held)s et a réuni %(count)s participant.",
            "Le %(forum)s s'est tenu %(held)s et a réuni %(count)s participants.",
            participants,
        )
    elif held:
        text = _("Le %(forum)s s'est tenu %(held)s.")
    elif participants is not None:
        text = ngettext(
            "Le %(forum)s a réuni %(count)s participant.",
            "Le %(forum)s a réuni %(count)s participants.",
            participants,
        )
    else:
        return ""
    return text % values


def dateline(edition: Edition, deliberation: Deliberation | None) -> str:
    """« 4 avril 2024 à Marseille »: the day the results were announced, where."""
    forum = edition.forum
    day = (forum.ends_on or forum.starts_on) if forum else None
    if day is None and deliberation is not None and deliberation.published_at:
        day = timezone.localdate(deliberation.published_at)
    city = forum.city if forum else ""
    if day and city:
        return _("%(day)s à %(city)s") % {"day": long_date(day), "city": city}
    return long_date(day) if day else city


def title(edition: Edition) -> str:
    values = {"contest": edition.contest.name, "year": edition.year}
    if edition.forum:
        values["forum"] = edition.forum.name
        return _("%(forum)s : annonce des lauréats « %(contest)s » %(year)s") % values
    return _("Annonce des lauréats « %(contest)s » %(year)s") % values


def jury_institutions(edition: Edition, deliberation: Deliberation | None) -> list[str]:
    """The institutions of the jury: those of the deliberated round's jurors who accepted, or,
    for an edition judged before the platform, those its transparency page published."""
    if deliberation is not None:
        jurors = Juror.objects.filter(
            round_id=deliberation.round_id, state=JurorState.ACCEPTED
        ).select_related("institution")
        # One line per institution however its jurors spelled it: the first spelling wins.
        labels: dict[str, str] = {}
        for juror in jurors:
            label = " ".join(juror.institution_label.split())
            labels.setdefault(label.casefold(), label)
        return sorted(labels.values(), key=str.casefold)
    transparency = EditionTransparency.objects.filter(edition=edition, published=True).first()
    if transparency is None:
        return []
    return [line.strip() for line in transparency.jury_institutions.splitlines() if line.strip()]


def jury_sentence(edition: Edition, deliberation: Deliberation | None) -> str:
    institutions = jury_institutions(edition, deliberation)
    if not institutions:
        return ""
    values = {"institutions": join_names(institutions)}
    sessions = 0
    if deliberation is not None and deliberation.round.kind == RoundKind.AUDITION:
        sessions = AuditionSession.objects.filter(round_id=deliberation.round_id).count()
    if sessions:
        values["count"] = sessions
        text = ngettext(
            "Le jury, qui a auditionné les candidats lors d'une séance en visioconférence, "
            "était composé de représentants de ces institutions : %(institutions)s.",
            "Le jury, qui a auditionné les candidats lors de %(count)s séances en "
            "visioconférence, était composé de représentants de ces institutions : "
            "%(institutions)s.",
            sessions,
        )
        return text % values
    return _("Le jury était composé de représentants de ces institutions : %(institutions)s.") % (
        values
    )


def _level_heading(level_group) -> str:
    if level_group.level:
        return capfirst(level_group.level.distinction)
    if level_group.distinction_only:
        return _("Distinctions")
    return _("Niveau non publié")


def theme_sections(edition: Edition) -> list[ThemeSection]:
    """The laureates by theme (the edition's order), then by level (or, argent, bronze)."""
    groups = group_awards(edition_awards(edition.pk))
    has_themes = any(group.theme is not None for group in groups)
    sections = []
    for group in groups:
        if group.theme is not None:
            heading = group.theme.name
        else:
            heading = _("Sans thème publié") if has_themes else ""
        levels = [
            LevelSection(
                heading=_level_heading(level_group),
                code=level_group.level.code if level_group.level else "",
                laureates=[
                    Laureate(
                        names=join_names(laureate_names(award)),
                        title=award.title,
                        slug=award.slug,
                        distinctions=distinction_names(award_distinctions(award)),
                    )
                    for award in level_group.awards
                ],
            )
            for level_group in group.levels
        ]
        sections.append(ThemeSection(heading=heading, levels=levels))
    return sections


def build_press_release(edition: Edition) -> PressRelease:
    """The press release of `edition`, whose results the caller knows to be public.

    `edition` should come with its contest and Forum (select_related).
    """
    deliberation = Deliberation.objects.filter(edition=edition).select_related("round").first()
    themes = theme_sections(edition)
    awards_count = sum(len(level.laureates) for theme in themes for level in theme.levels)
    figures = headline_figures(edition, awards_count)
    return PressRelease(
        edition=edition,
        dateline=dateline(edition, deliberation),
        title=title(edition),
        forum=forum_sentence(edition),
        figures=figures,
        figures_sentence=figures_sentence(figures),
        criteria=list(edition.criteria.order_by("position", "name").values_list("name", flat=True)),
        jury=jury_sentence(edition, deliberation),
        themes=themes,
        awarded_by=_("« %(contest)s » est décerné par %(organisation)s.")
        % {"contest": edition.contest.name, "organisation": awarded_by(edition.contest)},
    )


def render_press_release_pdf(edition: Edition) -> bytes:
    """The press release as a PDF, in French like every official document of the label."""
    with translation.override(DOCUMENT_LANGUAGE):
        release = build_press_release(edition)
    return render_pdf(PDF_TEMPLATE, {"release": release})
