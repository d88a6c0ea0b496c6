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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from contests import defaults
from contests.enums import EventKind
from contests.models import Contest, Criterion, Edition, Event, Level, Theme
from territories.domain import free_slug
from territories.matching import Match, Matcher, Outcome, kind_from_words
from territories.models import Organisation
from territories.text import fold

from ..enums import OrganisationMatch, OrganisationRole
from ..models import Award, AwardOrganisation
from ..signals import palmares_changed
from .distinctions import set_award_distinctions
from .organisations import Placement, place_organisations, placement_of, read_organisations
from .rows import AwardRow, EditionRow, read_editions, read_palmares

CONTEST_SLUG = defaults.LABEL_TERRITOIRE_INNOVANT
CONTEST_NAME = "Label Territoire Innovant"
FORUM_NAME = "Forum des Interconnectés {year}"
FORUM_SLUG = "forum-des-interconnectes-{year}"
# Editions whose criteria a source lists: the 2024 press release (data/sources/001_…txt) names
# the six criteria of contests.defaults.LABEL_CRITERIA, in that order.
PUBLISHED_CRITERIA = {2024: defaults.LABEL_CRITERIA}
AWARD_SLUG_LENGTH = 80
# How a link records the matcher's outcome; any outcome without a body means "unverified".
MATCH_OF_OUTCOME = {
    Outcome.NAME: OrganisationMatch.NAME,
    Outcome.ALIAS: OrganisationMatch.ALIAS,
    Outcome.SUCCESSOR: OrganisationMatch.SUCCESSOR,
}


class PalmaresImportError(Exception):
    """The database refuses the palmarès (e.g. a year already run on the platform)."""


@dataclass
class ImportReport:
    rows: int
    awards: int
    editions: int
    matches: list[Match]  # one per distinct published name, in order of first appearance
    created: int
    updated: int

    @property
    def organisations_matched(self) -> int:
        """Names matched to a body of the referential: by name, alias or successor."""
        return sum(match.matched for match in self.matches)

    @property
    def matched_as_successor(self) -> list[str]:
        return [
            match.published_name for match in self.matches if match.outcome == Outcome.SUCCESSOR
        ]

    @property
    def unmatched(self) -> list[str]:
        return [match.published_name for match in self.matches if not match.matched]

    @property
    def match_rate(self) -> float:
        return self.organisations_matched / len(self.matches) if self.matches else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "awards": self.awards,
            "editions": self.editions,
            "organisations_matched": self.organisations_matched,
            "matched_as_successor": self.matched_as_successor,
            "unmatched": self.unmatched,
            "match_rate": round(self.match_rate, 3),
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class _Writer:
    """Creates or updates rows, counting what it does."""

    created: int = 0
    updated: int = 0
    taken_award_slugs: set[str] | None = None

    def upsert[M: models.Model](
        self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
    ) -> M:
        """The row matching `lookup`, created with `values` or updated to them if they differ."""
        instance = model._default_manager.filter(**lookup).order_by("pk").first()
        if instance is None:
            self.created += 1
            return model._default_manager.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=changed)
            self.updated += 1
        return instance


def import_palmares(
    palmares_path: Path, editions_path: Path | None = None, organisations_path: Path | None = None
) -> ImportReport:
    """Import a palmarès file (and its editions and organisations files) as editions and awards.

    Effects: reads and checks the files (PalmaresFileError on the first bad row, nothing
    written); refuses to run on an empty referential (PalmaresImportError); then, in one
    transaction: gets or creates the contest; creates or updates each
    edition, its Forum event, themes, levels and published criteria; matches every distinct
    organisation name (creating unverified organisations for the others, reused by folded name)
    and gives the unverified organisations of organisations.csv their territory (updated when
    it changed); creates or updates each award and its organisations (first one lead, the
    others partners, each with how it was identified: `OrganisationMatch`). After the
    transaction, `awards.signals.palmares_changed` for the editions and awards of the files: the
    public search finds the imported awards at once and the open-data files follow.
    """
    award_rows = read_palmares(palmares_path)
    edition_rows = read_editions(editions_path) if editions_path else []
    if not Organisation.objects.from_referential().exists():
        # Matching against nothing would turn every collectivité into an unverified duplicate.
        raise PalmaresImportError(
            _("Le référentiel territorial est vide : lancez d'abord import_territories.")
        )
    placements = read_organisations(organisations_path) if organisations_path else {}
    writer = _Writer()
    try:
        with transaction.atomic():
            contest = _contest(writer)
            editions = _import_editions(writer, contest, edition_rows, award_rows)
            matches, organisations = _match_organisations(writer, award_rows, placements)
            writer.updated += place_organisations(placements)
            awards = {
                _import_award(writer, editions[row.year], row, organisations).pk
                for row in award_rows
            }
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
    )


def _contest(writer: _Writer) -> Contest:
    """The label's contest: seeded by a contests migration, created here if it is missing."""
    contest = Contest.objects.filter(slug=CONTEST_SLUG).first()
    if contest is None:
        contest = Contest.objects.create(slug=CONTEST_SLUG, name=CONTEST_NAME)
        writer.created += 1
    return contest


def _import_editions(
    writer: _Writer, contest: Contest, edition_rows: list[EditionRow], award_rows: list[AwardRow]
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
    writer: _Writer,
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
        forum = _import_forum(writer, row) if row.has_forum_details else None
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
        for level in defaults.LEVELS
    }
    for position, criterion in enumerate(PUBLISHED_CRITERIA.get(year, ()), start=1):
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


def _import_forum(writer: _Writer, row: EditionRow) -> Event:
    """The edition's Forum, under a stable slug ("forum-des-interconnectes-2024")."""
    return writer.upsert(
        Event,
        {"slug": FORUM_SLUG.format(year=row.year)},
        {
            "kind": EventKind.FORUM,
            "name": FORUM_NAME.format(year=row.year),
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
    writer: _Writer, award_rows: list[AwardRow], placements: dict[str, Placement]
) -> tuple[list[Match], dict[str, _Identified]]:
    """Match each distinct published name (by folded name); keep the others as unverified."""
    matcher = Matcher()
    matches: list[Match] = []
    organisations: dict[str, _Identified] = {}
    for row in award_rows:
        for name in row.organisations:
            key = fold(name)
            if key in organisations:
                continue
            match = matcher.match(name)
            matches.append(match)
            if match.organisation is not None:
                identified = _Identified(match.organisation, MATCH_OF_OUTCOME[match.outcome])
            else:
                unverified = _unverified(writer, name, placements)
                identified = _Identified(unverified, OrganisationMatch.UNVERIFIED)
            organisations[key] = identified
    return matches, organisations


def _unverified(writer: _Writer, name: str, placements: dict[str, Placement]) -> Organisation:
    """The organisation kept for a name the referential does not hold: reused, or created (with
    the territory organisations.csv gives it, so that a first import updates nothing)."""
    existing = (
        Organisation.objects.filter(search_name=fold(name), from_referential=False)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    writer.created += 1
    return Organisation.objects.create(
        kind=kind_from_words(name),
        name=name,
        slug=free_slug(name),
        from_referential=False,
        **placement_of(placements, name),
    )


def _import_award(
    writer: _Writer, parts: _EditionParts, row: AwardRow, organisations: dict[str, _Identified]
) -> Award:
    values = {
        "level_id": parts.levels[row.level].pk if row.level else None,
        "theme_id": parts.themes[_theme_slug(row.theme)].pk if row.theme else None,
        "notes": row.notes,
        "source": row.source,
    }
    lookup = {"edition": parts.edition, "title": row.title}
    if not Award.objects.filter(**lookup).exists():
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
    set_award_distinctions(award, parts.edition, row.distinctions, row.line)
    return award


def _award_slug(writer: _Writer, row: AwardRow) -> str:
    """A slug like "2024-inclusif-le-jeu-concevons-nos-services…": cut at a word, unique."""
    from awards.publication.publishing import award_slug

    if writer.taken_award_slugs is None:
        writer.taken_award_slugs = set(Award.objects.values_list("slug", flat=True))
    return award_slug(row.year, row.title, writer.taken_award_slugs)
