import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from awards.importing import PalmaresFileError, PalmaresImportError, find_contest, import_palmares
from territories.matching import Match


class Command(BaseCommand):
    help = (
        "Import a published palmarès (format of data/palmares.csv, with data/editions.csv) as "
        "historical editions and awards of a contest (--contest SLUG; default: the site's "
        "configured contest, settings.PUBLIC_PALMARES_CONTEST). Level codes are the contest's "
        "(its default levels); a code it does not know stops the import, naming the known ones, "
        "and every edition gets the contest's levels. Each organisation name "
        "is matched to the referential (territories/matching.py): by its name; through ALIASES, "
        "a former or usual name of the SAME legal entity; or through SUCCESSORS, a body that "
        "merged into another one, linked to the body that succeeded it and recorded as its "
        "successor (never as the same body). A name that cannot be matched is kept as an "
        "unverified organisation and listed; nothing is guessed. An unverified organisation whose "
        "published name states its territory gets the département and/or région that "
        "data/organisations.csv records for it (by folded name; bodies of the referential are "
        "never touched; a région-only row sets the région alone). Each award's organisation "
        "records how it was identified (name, alias, successor, unverified). Idempotent and "
        "atomic: a malformed row stops the import with its file and line number, and nothing is "
        'imported. Ends with one JSON line: {"rows", "awards", "editions", '
        '"organisations_matched", "matched_as_successor", "unmatched", "match_rate", "created", '
        '"updated"}, where organisations_matched counts the DISTINCT organisation names of the '
        "file (compared folded: accents, case and punctuation aside) that designate a body of "
        "the referential by name, alias or successor; matched_as_successor lists, as published, "
        "those of them matched to a successor; unmatched lists the others as published; and "
        "match_rate = organisations_matched / number of distinct names."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="The palmarès file (data/palmares.csv).")
        parser.add_argument(
            "--contest",
            metavar="SLUG",
            help="The contest whose palmarès this is (default: the site's configured contest).",
        )
        parser.add_argument(
            "--editions",
            type=Path,
            help="The editions file (default: editions.csv beside the palmarès file, if present).",
        )
        parser.add_argument(
            "--organisations",
            type=Path,
            help=(
                "The territories of unverified organisations (format of data/organisations.csv; "
                "default: organisations.csv beside the palmarès file, if present)."
            ),
        )
        parser.add_argument(
            "--matches",
            action="store_true",
            help="Print the match table (published name → organisation) before the JSON line.",
        )

    def handle(
        self,
        *args,
        csv: Path,
        contest: str | None,
        editions: Path | None,
        organisations: Path | None,
        matches: bool,
        **options,
    ):
        editions = editions or beside(csv, "editions.csv")
        organisations = organisations or beside(csv, "organisations.csv")
        try:
            report = import_palmares(csv, editions, organisations, contest=find_contest(contest))
        except (PalmaresFileError, PalmaresImportError) as error:
            raise CommandError(_("Palmarès non importé, rien n'a changé. %s") % error) from error
        if matches:
            for match in report.matches:
                self.stdout.write(f"{match.published_name} → {describe(match)}")
        if options["verbosity"] >= 1:
            if report.created or report.updated:
                summary = _("Palmarès importé. Créés : %(created)s ; modifiés : %(updated)s.")
            else:
                summary = _("Palmarès déjà à jour : rien n'a été créé ni modifié.")
            self.stdout.write(summary % {"created": report.created, "updated": report.updated})
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))


def beside(csv: Path, name: str) -> Path | None:
    """The file of that name in the palmarès file's folder, if there is one."""
    path = csv.parent / name
    return path if path.exists() else None


def describe(match: Match) -> str:
    """Like "Toulouse [commune 31555] (name)", or why the name stayed unmatched."""
    organisation = match.organisation
    if organisation is None:
        return _("non rapprochée (%s)") % match.outcome
    code = organisation.insee_code or organisation.siren
    return f"{organisation.name} [{organisation.kind} {code}] ({match.outcome})"
