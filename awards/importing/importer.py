"""Import of the published palmarès as historical editions and awards.

`import_palmares` reads and checks both CSV files first, then brings the database to what they
say in one transaction: the contest, one historical edition per year (its Forum, funnel counts,
themes, levels and, where a source lists them, criteria), one award per row with its
organisations, each matched to the referential (territories.matching) or kept as an unverified
organisation; each link records how its organisation was identified (name, alias, successor,
unverified); an unverified one gets the territory its published name states where
data/organisations.csv records it (.organisations). Rows already in the database are compared
and only changed ones are written, so a second run changes nothing. Rows that left the files
are kept: awards may be linked elsewhere.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from contests import defaults
from contests.enums import EventKind
from contests.models import Contest, ContestLevel, Criterion, Edition, Event, Level, Theme
from contests.presentation import default_contest_slug
from territories.domain import record_outside_referential
from territories.matching import Match, Matcher, Outcome, kind_from_words
from territories.models import Organisation
from territories.text import fold

from ..enums import OrganisationMatch, OrganisationRole
from ..models import Award, AwardOrganisation
from ..signals import palmares_changed
from .choices import NameChoice, RenameError, rename_organisations
from .distinctions import set_award_distinctions
from .organisations import Placement, place_organisations, placement_of, read_organisations
from .report import ImportReport, Writer
from .rows import AwardRow, EditionRow, Source, read_editions, read_palmares

# The Label's Forum events, as data/editions.csv has always created them (stable slugs that
# pages link to); the events of any other contest are named from its ceremony (Contest data).
LABEL_SLUG = defaults.LABEL_TERRITOIRE_INNOVANT
LABEL_FORUM_NAME = "Forum des Interconnectés {year}"
LABEL_FORUM_SLUG = "forum-des-interconnectes-{year}"
# Editions whose criteria a source lists: the 2024 press release (data/sources/001_…txt) names
# the six criteria of contests.defaults.LABEL_CRITERIA, in that order (the Label's only).
PUBLISHED_CRITERIA = {LABEL_SLUG: {2024: defaults.LABEL_CRITERIA}}
AWARD_SLUG_LENGTH = 80
# How a link records the matcher's outcome; any outcome without a body means "unverified".
MATCH_OF_OUTCOME = {
    Outcome.NAME: OrganisationMatch.NAME,
    Outcome.ALIAS: OrganisationMatch.ALIAS,
    Outcome.SUCCESSOR: OrganisationMatch.SUCCESSOR,
}


class PalmaresImportError(Exception):
    """The database refuses the palmarès (e.g. a year already run on the platform)."""


def find_contest(slug: str | None = None) -> Contest:
    """The contest of that slug (None: the site's configured one), or PalmaresImportError
    naming the known slugs."""
    slug = slug or default_contest_slug()
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        known = ", ".join(Contest.objects.order_by("slug").values_list("slug", flat=True))
        raise PalmaresImportError(
            _("Concours « %(slug)s » inconnu (concours existants : %(known)s).")
            % {"slug": slug, "known": known or "-"}
        )
    return contest


def level_codes(contest: Contest) -> list[str]:
    """The level codes a palmarès of the contest may give: its default levels', by rank."""
    return list(contest.default_levels.order_by("rank").values_list("code", flat=True))


def import_palmares(
    palmares_path: Source,
    editions_path: Path | None = None,
    organisations_path: Path | None = None,
    *,
    contest: Contest | None = None,
    renames: Mapping[str, str] | None = None,
    choices: Mapping[str, NameChoice] | None = None,
    by=None,
) -> ImportReport:
    """Import a palmarès file (and its editions and organisations files) as editions and awards
    of `contest` (None: the site's configured contest).

    Effects: reads and checks the files against the contest's level codes (PalmaresFileError
    on the first bad row, nothing written); refuses to run on an empty referential
    (PalmaresImportError); applies the organiser's `renames` (folded published name → name to
    use instead); then, in one transaction: creates or updates each edition, its ceremony
    event, themes, the contest's levels and published criteria; matches every distinct
    organisation name, unless the organiser chose its structure or a kind to record it with
    (`choices`, by folded name; the others outside the referential become unverified
    organisations, reused by folded name) and gives the unverified organisations of
    organisations.csv their territory (updated when it changed); creates or updates each award
    and its organisations (first one lead, the others partners, each with how it was
    identified: `OrganisationMatch`). After the transaction, `awards.signals.palmares_changed`
    for the editions and awards of the files: the public search finds the imported awards at
    once and the open-data files follow.
    """
    contest = contest or find_contest()
    award_rows = read_palmares(palmares_path, level_codes(contest))
    try:
        award_rows = rename_organisations(award_rows, renames or {})
    except RenameError as error:
        raise PalmaresImportError(str(error)) from error
    edition_rows = read_editions(editions_path) if editions_path else []
    if not Organisation.objects.from_referential().exists():
        # Matching against nothing would turn every collectivité into an unverified duplicate.
        raise PalmaresImportError(
            _("Le référentiel territorial est vide : lancez d'abord import_territories.")
        )
    placements = read_organisations(organisations_path) if organisations_path else {}
    writer = Writer()
    try:
        with transaction.atomic():
            editions = _import_editions(writer, contest, edition_rows, award_rows)
            matches, organisations = _match_organisations(
                writer, award_rows, placements, choices or {}, by
            )
            writer.updated += place_organisations(placements)
            awards = set()
            for row in award_rows:
                before = writer.counts()
                new = not _award_lookup(editions[row.year], row).exists()
                award = _import_award(writer, editions[row.year], row, organisations)
                _import_distinctions(writer, award, row)
                writer.count_award(before, new=new)
                awards.add(award.pk)
    except IntegrityError as error:
        # E.g. an edition whose levels an organiser renumbered: everything is rolled back.
        raise PalmaresImportError(
            _("La base de données refuse le palmarès (%s).") % error
        ) from error
    palmares_changed.send(
        sender=Award,
        editions=[parts.edition for parts in editions.values()],
        award_ids=sorted(awards),
    )
    return ImportReport(
        rows=len(award_rows),
        awards=len(awards),
        editions=len(editions),
        matches=matches,
        created=writer.created,
        updated=writer.updated,
        award_outcomes=writer.award_outcomes,
    )


def _import_editions(
    writer: Writer, contest: Contest, edition_rows: list[EditionRow], award_rows: list[AwardRow]
) -> dict[int, "_EditionParts"]:
    """Every edition the files name, by year: those of editions.csv and those of the awards."""
    by_year = {row.year: row for row in edition_rows}
    years = sorted(by_year.keys() | {row.year for row in award_rows})
    return {
        year: _import_edition(
            writer, contest, year, by_year.get(year), [a for a in award_rows if a.year == year]
        )
        for year in years
    }


def _import_edition(
    writer: Writer,
    contest: Contest,
    year: int,
    row: EditionRow | None,
    award_rows: list[AwardRow],
) -> "_EditionParts":
    """One historical edition with its Forum, figures, themes, levels and published criteria.

    Without a row of editions.csv for the year, what the database already holds of the edition
    (figures, Forum) is left as it is: a palmarès file alone says nothing about them.
    """
    existing = Edition.objects.filter(contest=contest, year=year).first()
    if existing is not None and not existing.is_historical:
        raise PalmaresImportError(
            _(
                "L'édition %(year)s de « %(contest)s » existe déjà sur la plateforme ; "
                "l'import ne remplace pas une édition en cours."
            )
            % {"year": year, "contest": contest.name}
        )
    values: dict[str, Any] = {"is_historical": True}
    if row is not None:
        forum = _import_forum(writer, contest, row) if row.has_forum_details else None
        values |= {
            "forum_id": forum.pk if forum else None,
            "applications_count": row.applications,
            "auditioned_count": row.auditioned,
            "laureates_count": row.laureates,
            "gold_count": row.gold,
            "criteria_count": row.criteria,
            "notes": row.notes,
            "source": row.source,
        }
    edition = writer.upsert(Edition, {"contest": contest, "year": year}, values)
    themes = {
        _theme_slug(name): writer.upsert(
            Theme,
            {"edition": edition, "slug": _theme_slug(name)},
            {"name": name, "position": position},
        )
        for position, name in enumerate(_theme_names(row, award_rows), start=1)
    }
    levels = {
        level.code: writer.upsert(
            Level,
            {"edition": edition, "code": level.code},
            {"name": level.name, "rank": level.rank},
        )
        for level in ContestLevel.objects.filter(contest=contest).order_by("rank")
    }
    published_criteria = PUBLISHED_CRITERIA.get(contest.slug, {}).get(year, ())
    for position, criterion in enumerate(published_criteria, start=1):
        writer.upsert(
            Criterion,
            {"edition": edition, "name": criterion.name},
            {
                "description": criterion.description,
                "weight": defaults.CRITERION_WEIGHT,
                "eliminatory": defaults.CRITERION_ELIMINATORY,
                "position": position,
            },
        )
    return _EditionParts(edition=edition, themes=themes, levels=levels)


@dataclass(frozen=True)
class _EditionParts:
    edition: Edition
    themes: dict[str, Theme]  # by slug
    levels: dict[str, Level]  # by code


def _import_forum(writer: Writer, contest: Contest, row: EditionRow) -> Event:
    """The edition's ceremony under a stable slug: the Label's "forum-des-interconnectes-2024",
    another contest's from its slug and ceremony name ("<contest>-<ceremony>-2024")."""
    if contest.slug == LABEL_SLUG:
        name, slug = LABEL_FORUM_NAME.format(year=row.year), LABEL_FORUM_SLUG.format(year=row.year)
    else:
        name = f"{contest.ceremony_label} {row.year}"
        slug = slugify(f"{contest.slug} {contest.ceremony_label} {row.year}")[:80]
    return writer.upsert(
        Event,
        {"slug": slug},
        {
            "kind": EventKind.FORUM,
            "name": name,
            "city": row.forum_city,
            "starts_on": row.forum_start,
            "ends_on": row.forum_end,
            "participants": row.participants,
            "source": row.source,
        },
    )


def _theme_slug(name: str) -> str:
    return slugify(name)[:120]


def _theme_names(row: EditionRow | None, award_rows: list[AwardRow]) -> list[str]:
    """The edition's themes as published, then any other theme its awards name (by slug)."""
    names = list(row.themes) if row else []
    for award in award_rows:
        if award.theme and _theme_slug(award.theme) not in {_theme_slug(name) for name in names}:
            names.append(award.theme)
    return names


@dataclass(frozen=True)
class _Identified:
    organisation: Organisation
    match: OrganisationMatch


def _match_organisations(
    writer: Writer,
    award_rows: list[AwardRow],
    placements: dict[str, Placement],
    choices: Mapping[str, NameChoice],
    by,
) -> tuple[list[Match], dict[str, _Identified]]:
    """Match each distinct published name (by folded name); keep the others as unverified.

    A structure the organiser chose is linked as chosen (DECLARED) and counts as matched by
    name in the report; a kind the organiser chose records the name outside the referential.
    """
    matcher = Matcher()
    matches: list[Match] = []
    organisations: dict[str, _Identified] = {}
    for row in award_rows:
        for name in row.organisations:
            key = fold(name)
            if key in organisations:
                continue
            choice = choices.get(key, NameChoice())
            if choice.organisation is not None:
                matches.append(Match(name, choice.organisation, Outcome.NAME, 1))
                organisations[key] = _Identified(choice.organisation, OrganisationMatch.DECLARED)
                continue
            match = matcher.match(name) if not choice.kind else Match(name, None, Outcome.NOT_FOUND)
            matches.append(match)
            if match.organisation is not None:
                identified = _Identified(match.organisation, MATCH_OF_OUTCOME[match.outcome])
            else:
                unverified = _unverified(writer, name, placements, choice.kind, by)
                identified = _Identified(unverified, OrganisationMatch.UNVERIFIED)
            organisations[key] = identified
    return matches, organisations


def _unverified(
    writer: Writer, name: str, placements: dict[str, Placement], kind: str, by
) -> Organisation:
    """The organisation kept for a name the referential does not hold: reused (given the kind
    the organiser chose, if any), or created (with the territory organisations.csv gives it,
    so that a first import updates nothing)."""
    existing = (
        Organisation.objects.filter(search_name=fold(name), from_referential=False)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        if kind and existing.kind != kind:
            existing.kind = kind
            existing.save(update_fields=["kind", "updated_at"])
            writer.updated += 1
        return existing
    writer.created += 1
    return record_outside_referential(
        name=name, kind=kind or kind_from_words(name), by=by, **placement_of(placements, name)
    )


def _import_award(
    writer: Writer, parts: _EditionParts, row: AwardRow, organisations: dict[str, _Identified]
) -> Award:
    values = {
        "level_id": parts.levels[row.level].pk if row.level else None,
        "theme_id": parts.themes[_theme_slug(row.theme)].pk if row.theme else None,
        "notes": row.notes,
        "source": row.source,
    }
    lookup = {"edition": parts.edition, "title": row.title}
    if not _award_lookup(parts, row).exists():
        values["slug"] = _award_slug(writer, row)  # set once: the slug is the award's address
    award = writer.upsert(Award, lookup, values)
    wanted = [
        (
            organisations[fold(name)].organisation.pk,
            OrganisationRole.LEAD if position == 0 else OrganisationRole.PARTNER,
            position,
            name,
            organisations[fold(name)].match,
        )
        for position, name in enumerate(row.organisations)
    ]
    current = list(
        award.award_organisations.order_by("position", "pk").values_list(
            "organisation_id", "role", "position", "published_name", "match"
        )
    )
    if current != wanted:
        if current:
            writer.updated += 1
            award.award_organisations.all().delete()
        else:
            writer.created += len(wanted)
        AwardOrganisation.objects.bulk_create(
            AwardOrganisation(
                award=award,
                organisation_id=pk,
                role=role,
                position=position,
                published_name=name,
                match=match,
            )
            for pk, role, position, name, match in wanted
        )
    return award


def _award_lookup(parts: _EditionParts, row: AwardRow) -> models.QuerySet[Award]:
    return Award.objects.filter(edition=parts.edition, title=row.title)


def _import_distinctions(writer: Writer, award: Award, row: AwardRow) -> None:
    """The distinctions (mentions, prix spéciaux) the row's optional column gives its award."""
    before = set(award.distinctions.values_list("code", flat=True))
    if set(row.distinctions) == before:  # the usual case: nothing to write, no more queries
        return
    set_award_distinctions(award, award.edition, row.distinctions, row.line)
    writer.updated += 1


def _award_slug(writer: Writer, row: AwardRow) -> str:
    """A slug like "2024-inclusif-le-jeu-concevons-nos-services…": cut at a word, unique."""
    from awards.publication.publishing import award_slug

    if writer.taken_award_slugs is None:
        writer.taken_award_slugs = set(Award.objects.values_list("slug", flat=True))
    return award_slug(row.year, row.title, writer.taken_award_slugs)
